package io.attachkit.storage.local;

import io.attachkit.FileStore;
import io.attachkit.StorageLimits;
import io.attachkit.testkit.FileStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The shared FileStore contract, run against {@link LocalFileStore}. */
class LocalFileStoreContractTest extends FileStoreContract {
    @TempDir
    Path dir;
    private int n;

    @Override
    protected FileStore createStore(StorageLimits limits) {
        return LocalFileStore.builder().root(dir.resolve("store-" + n++)).limits(limits).build();
    }
}
