package io.attachkit.storage.s3;

/** The FileStore contract against s3rver, which reports no checksums (AUTO verifies by reading back). */
class S3rverContractTest extends S3ServerContractTest {
    @Override
    S3TestServer server() throws Exception {
        return S3rverServer.shared();
    }
}
