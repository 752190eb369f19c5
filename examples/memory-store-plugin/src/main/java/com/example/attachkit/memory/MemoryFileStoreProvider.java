package com.example.attachkit.memory;

import io.attachkit.FileStore;
import io.attachkit.FileStoreProvider;
import io.attachkit.StorageLimits;
import java.net.URI;

/**
 * Opens {@link MemoryFileStore}s for {@code mem://} URIs; registered in
 * {@code META-INF/services/io.attachkit.FileStoreProvider}. Every call returns a new, empty store.
 */
public final class MemoryFileStoreProvider implements FileStoreProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public MemoryFileStoreProvider() {
    }

    @Override
    public String scheme() {
        return "mem";
    }

    @Override
    public FileStore open(URI uri, StorageLimits limits) {
        return new MemoryFileStore(limits);
    }
}
