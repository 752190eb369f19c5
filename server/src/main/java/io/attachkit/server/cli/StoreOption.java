package io.attachkit.server.cli;

import io.attachkit.FileStore;
import io.attachkit.FileStores;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --store URI} option every command that touches a store shares. */
final class StoreOption {
    /** The store used when none is given: a local store in {@code ./attachkit-data}. */
    static final String DEFAULT = "attachkit-data";

    @Option(names = "--store", paramLabel = "URI",
            description = "The store: a path, file:///abs/path, s3://bucket/prefix?region=..., or any scheme a plugin provides"
                    + " (default: ${ATTACHKIT_STORE:-./attachkit-data}).")
    String store;

    /** @return the store's URI as given (or the default), turned into a URI if it is a plain path */
    String uri() {
        String value = store != null ? store : System.getenv().getOrDefault("ATTACHKIT_STORE", DEFAULT);
        if (value.matches("[A-Za-z][A-Za-z0-9+.-]+:.*")) {
            return value;
        }
        return Path.of(value).toAbsolutePath().normalize().toUri().toString();
    }

    /** @return a newly opened store; the caller closes it */
    FileStore open() {
        return FileStores.open(uri());
    }
}
