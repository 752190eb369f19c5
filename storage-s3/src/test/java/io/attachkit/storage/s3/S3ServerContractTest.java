package io.attachkit.storage.s3;

import io.attachkit.FileStore;
import io.attachkit.StorageLimits;
import io.attachkit.testkit.FileStoreContract;

/**
 * The FileStore contract against S3FileStore on an independent S3 server in a child process, with the default
 * {@link ChecksumMode#AUTO}: every store gets its own bucket (and learns the server's checksums afresh). Small
 * parts (5 MiB) so the contract's 10 MiB file goes up as a multipart upload.
 */
abstract class S3ServerContractTest extends FileStoreContract {
    /** @return the server, started once per JVM */
    abstract S3TestServer server() throws Exception;

    @Override
    protected FileStore createStore(StorageLimits limits) throws Exception {
        S3TestServer server = server();
        return server.storeBuilder(server.createBucket())
                .keyPrefix("contract/files")
                .partSize(5 * 1024 * 1024)
                .maxConcurrency(2)
                .limits(limits)
                .build();
    }
}
