package io.attachkit;

import java.net.URI;

/**
 * Creates {@link FileStore}s for one URI scheme; the plugin point for storage backends.
 *
 * <p>A backend jar registers its provider in
 * {@code META-INF/services/io.attachkit.FileStoreProvider}; {@link FileStores#open(String)} then opens
 * URIs of its scheme. Implementations need a public no-argument constructor and must be thread-safe.
 *
 * <pre>{@code
 * public final class MemoryFileStoreProvider implements FileStoreProvider {
 *     public String scheme() { return "mem"; }
 *     public FileStore open(URI uri, StorageLimits limits) { return new MemoryFileStore(uri.getHost(), limits); }
 * }
 * }</pre>
 */
public interface FileStoreProvider {

    /** @return the URI scheme this provider opens, lower case, e.g. {@code file} or {@code s3} */
    String scheme();

    /**
     * When two providers on the classpath claim one scheme, the higher priority wins, so an application's
     * own provider can replace a built-in one.
     *
     * @return the priority; built-in providers use 0
     */
    default int priority() {
        return 0;
    }

    /**
     * @param uri the store's URI, of this provider's scheme
     * @param limits the limits the store must enforce
     * @return a new store; the caller closes it
     * @throws IllegalArgumentException if the URI is not valid for this backend (the message says why)
     * @throws StorageException if the backend cannot be reached or set up
     */
    FileStore open(URI uri, StorageLimits limits);
}
