package com.example.attachkit.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.FileStore;
import io.attachkit.FileStores;
import io.attachkit.StorageLimits;
import io.attachkit.testkit.FileStoreContract;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

/** The plugin passes the same contract as the built-in backends, opened through its URI scheme. */
class MemoryFileStoreContractTest extends FileStoreContract {

    @Override
    protected FileStore createStore(StorageLimits limits) {
        return FileStores.open("mem://contract", limits);
    }

    @Test
    void fileStoresOpen_findsThePluginByItsScheme() {
        try (FileStore store = FileStores.open("mem://example")) {
            assertThat(store).isInstanceOf(MemoryFileStore.class);
            assertThat(store.save(new ByteArrayInputStream("hi".getBytes()), "hi.txt", null).storageBackend()).isEqualTo("mem");
        }
    }
}
