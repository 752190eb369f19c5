package io.attachkit.server.cli;

import io.attachkit.AttachmentException;
import io.attachkit.FileStore;
import io.attachkit.FileStores;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code --store URI} option every command that touches a store shares. */
final class StoreOption {
    /** The store used when none is given: a local store in {@code ./attachkit-data}. */
    static final String DEFAULT = "attachkit-data";

    @Option(names = "--store", paramLabel = "URI",
            description = "The store: a path, file:///abs/path, s3://bucket/prefix?region=..., or any scheme a plugin provides"
                    + " (default: ${ATTACHKIT_STORE:-./attachkit-data}).")
    String store;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * @return the store's URI as given (or the default), turned into a URI if it is a plain path
     * @throws ParameterException if the store is given but blank (it would otherwise mean the working directory)
     */
    String uri() {
        String env = System.getenv("ATTACHKIT_STORE");
        String value = store != null ? store : env != null && !env.isBlank() ? env : DEFAULT;
        if (value.isBlank()) {
            throw new ParameterException(command.commandLine(), "--store must not be blank; give a path or a URI such as file:///var/lib/attachkit");
        }
        if (value.matches("[A-Za-z][A-Za-z0-9+.-]+:.*")) {
            return value;
        }
        return Path.of(value).toAbsolutePath().normalize().toUri().toString();
    }

    /**
     * @return a newly opened store; the caller closes it
     * @throws ParameterException (a usage error, exit 2) if the store cannot be opened from what was given
     */
    FileStore open() {
        String given = store != null ? store : "the default store";
        try {
            return FileStores.open(uri());
        } catch (IllegalArgumentException | AttachmentException e) {
            throw new ParameterException(command.commandLine(), "Cannot open --store " + given + ": " + e.getMessage(), e);
        }
    }
}
