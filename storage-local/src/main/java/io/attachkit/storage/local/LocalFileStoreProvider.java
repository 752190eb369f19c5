package io.attachkit.storage.local;

import io.attachkit.FileStore;
import io.attachkit.FileStoreProvider;
import io.attachkit.StorageLimits;
import java.net.URI;
import java.nio.file.Path;

/**
 * Opens {@link LocalFileStore}s for {@code file:} URIs: {@code file:///var/lib/attachkit} (absolute) or
 * {@code file:attachkit-data} (relative to the working directory). Registered through
 * {@code META-INF/services}.
 */
public final class LocalFileStoreProvider implements FileStoreProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public LocalFileStoreProvider() {
    }

    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public FileStore open(URI uri, StorageLimits limits) {
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("file: store URIs take no query or fragment, got '" + uri + "'");
        }
        Path root;
        if (uri.isOpaque()) {
            root = Path.of(uri.getSchemeSpecificPart());
        } else {
            if (uri.getAuthority() != null && !uri.getAuthority().isEmpty()) {
                throw new IllegalArgumentException("file: store URIs must not name a host, got '" + uri
                        + "'; use file:///absolute/path or file:relative/path");
            }
            root = Path.of(uri.getPath());
        }
        return LocalFileStore.builder().root(root).limits(limits).build();
    }
}
