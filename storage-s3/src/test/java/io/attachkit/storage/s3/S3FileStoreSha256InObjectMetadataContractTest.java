package io.attachkit.storage.s3;

/**
 * The FileStore contract again with {@code sha256InObjectMetadata(true)}: the contract's multipart file is
 * rewritten in place with its SHA-256 in its metadata, and the store must behave exactly as in the default mode.
 */
class S3FileStoreSha256InObjectMetadataContractTest extends S3FileStoreContractTest {
    @Override
    S3FileStore.Builder configure(S3FileStore.Builder builder) {
        return builder.sha256InObjectMetadata(true);
    }
}
