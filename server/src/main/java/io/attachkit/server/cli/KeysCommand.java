package io.attachkit.server.cli;

import io.attachkit.server.ApiKeyScope;
import io.attachkit.server.ApiKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code attachkit keys}: manages the API key file a server reads. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage API keys.",
        subcommands = {KeysCommand.NewKey.class})
final class KeysCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code attachkit keys new}: prints a new key once and appends its hash to the key file. */
    @Command(name = "new", mixinStandardHelpOptions = true,
            description = {"Make an API key: it is printed once on stdout, and only its SHA-256 is appended to the key file",
                    "(a running server reads the file again: no restart). Revoke a key by deleting its line."})
    static final class NewKey implements Callable<Integer> {
        @Option(names = "--scope", defaultValue = "read-write", description = "read or read-write (default ${DEFAULT-VALUE}).")
        String scope;

        @Option(names = "--id", description = "The key's id, logged with its requests (default: key-<random>).")
        String id;

        @Option(names = "--key-file", defaultValue = "attachkit-keys.txt",
                description = "The key file to append to, created when missing (default ${DEFAULT-VALUE}).")
        Path keyFile;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            ApiKeyScope s;
            String line;
            String secret = ApiKeys.newSecret();
            String keyId = id != null ? id : String.format("key-%06x", new SecureRandom().nextInt(1 << 24));
            try {
                s = ApiKeyScope.parse(scope);
                line = ApiKeys.keyFileLine(keyId, s, secret);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            if (Files.notExists(keyFile)) {
                Files.createFile(keyFile);
                try {
                    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the hashes are not secrets; the permission only keeps the list of ids private
                }
            }
            Files.writeString(keyFile, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            spec.commandLine().getOut().println(secret);
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().println("Key " + keyId + " (" + s.token() + ") added to " + keyFile
                    + "; it is shown only this once. Use it as: Authorization: Bearer <key>");
            return 0;
        }
    }
}
