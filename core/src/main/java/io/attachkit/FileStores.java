package io.attachkit;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a {@link FileStore} from a URI, finding the backend for its scheme on the classpath.
 *
 * <pre>{@code
 * FileStore local = FileStores.open("file:///var/lib/attachkit");
 * FileStore s3 = FileStores.open("s3://my-bucket/attachments?region=eu-west-1");
 * }</pre>
 *
 * <p>Backends register a {@link FileStoreProvider} through {@link ServiceLoader}. A provider that fails to
 * load is logged and skipped; an unknown scheme is an error that lists the schemes found. Nothing is
 * cached between calls: each call looks the providers up anew and returns a new store.
 */
public final class FileStores {
    private static final Logger LOG = LoggerFactory.getLogger(FileStores.class);

    private FileStores() {
    }

    /**
     * Opens a store with limits from the environment (else Tyler's defaults).
     *
     * @param uri the store's URI, e.g. {@code file:///var/lib/attachkit}
     * @return a new store; the caller closes it
     * @throws IllegalArgumentException if the URI is malformed or its scheme has no provider
     */
    public static FileStore open(String uri) {
        return open(uri, StorageLimits.fromEnvironment());
    }

    /**
     * @param uri the store's URI
     * @param limits the limits the store enforces
     * @return a new store; the caller closes it
     * @throws IllegalArgumentException if the URI is malformed or its scheme has no provider
     */
    public static FileStore open(String uri, StorageLimits limits) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("Not a valid store URI: '" + uri + "' (expected e.g. file:///var/lib/attachkit)", e);
        }
        return open(parsed, limits, Thread.currentThread().getContextClassLoader());
    }

    /**
     * @param uri the store's URI
     * @param limits the limits the store enforces
     * @param classLoader where to look for providers
     * @return a new store; the caller closes it
     * @throws IllegalArgumentException if the URI has no scheme or its scheme has no provider
     */
    public static FileStore open(URI uri, StorageLimits limits, ClassLoader classLoader) {
        if (uri.getScheme() == null) {
            throw new IllegalArgumentException("Store URI '" + uri + "' has no scheme; use e.g. file:///path or s3://bucket/prefix");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        Map<String, FileStoreProvider> providers = providers(classLoader);
        FileStoreProvider provider = providers.get(scheme);
        if (provider == null) {
            throw new IllegalArgumentException("No storage backend for scheme '" + scheme + "' in '" + uri
                    + "'; schemes on the classpath: " + providers.keySet()
                    + ". Add the backend's jar (e.g. attachkit-storage-s3 for s3://) to the classpath.");
        }
        return provider.open(uri, limits);
    }

    /**
     * @param classLoader where to look
     * @return the providers found, by scheme (the highest priority for each)
     */
    public static Map<String, FileStoreProvider> providers(ClassLoader classLoader) {
        Map<String, FileStoreProvider> byScheme = new TreeMap<>();
        var iterator = ServiceLoader.load(FileStoreProvider.class, classLoader).iterator();
        while (true) {
            FileStoreProvider p;
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                p = iterator.next();
            } catch (ServiceConfigurationError e) {
                LOG.warn("Skipping a storage provider that failed to load: {}", e.getMessage(), e);
                continue;
            }
            String scheme = p.scheme().toLowerCase(Locale.ROOT);
            FileStoreProvider existing = byScheme.get(scheme);
            if (existing == null || p.priority() > existing.priority()) {
                if (existing != null) {
                    LOG.info("Storage provider {} replaces {} for scheme '{}' (higher priority)",
                            p.getClass().getName(), existing.getClass().getName(), scheme);
                }
                byScheme.put(scheme, p);
            }
        }
        return byScheme;
    }
}
