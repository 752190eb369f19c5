package io.attachkit.storage.s3;

/** The FileStore contract against Adobe S3Mock, which refuses FULL_OBJECT checksums (AUTO falls back to COMPOSITE). */
class S3MockContractTest extends S3ServerContractTest {
    @Override
    S3TestServer server() throws Exception {
        return S3MockServer.shared();
    }
}
