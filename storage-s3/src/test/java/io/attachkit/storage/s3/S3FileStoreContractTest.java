package io.attachkit.storage.s3;

import io.attachkit.FileStore;
import io.attachkit.StorageLimits;
import io.attachkit.testkit.FileStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The FileStore contract against S3FileStore on a real S3 server (S3Proxy in this JVM, memory blob store):
 * every store gets its own bucket. Small parts (5 MiB) so the contract's 10 MiB file goes up as a multipart upload.
 */
class S3FileStoreContractTest extends FileStoreContract {
    private static S3ProxyServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.inMemory();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    protected FileStore createStore(StorageLimits limits) {
        return configure(server.storeBuilder(server.createBucket())
                .keyPrefix("contract/files")
                .partSize(5 * 1024 * 1024)
                .maxConcurrency(2)
                .limits(limits))
                .build();
    }

    /** Lets a subclass run the same contract with other settings. */
    S3FileStore.Builder configure(S3FileStore.Builder builder) {
        return builder;
    }
}
