package io.attachkit.server.cli;

import io.attachkit.AttachmentException;
import io.attachkit.FileStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code attachkit get ID_OR_PATH [-o FILE]}: writes a stored file's bytes. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Write a stored file's bytes to FILE (or standard output); --info prints its metadata as JSON instead.")
final class GetCommand implements Callable<Integer> {
    @Mixin
    StoreOption storeOption;

    @Parameters(index = "0", paramLabel = "ID_OR_PATH", description = "A file id, a storage path (ab/cdef.pdf) or a /files/ URL path.")
    String idOrPath;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to this file instead of standard output.")
    Path output;

    @Option(names = "--info", description = "Print the file's metadata as JSON instead of its bytes.")
    boolean info;

    @ParentCommand
    AttachkitCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        try (FileStore store = storeOption.open()) {
            String id = Cli.fileIdOf(idOrPath);
            if (info) {
                Cli.printJson(spec.commandLine().getOut(), Cli.describe(store.stat(id)));
                return 0;
            }
            try (InputStream in = store.open(id)) {
                if (output != null) {
                    Path tmp = Files.createTempFile(output.toAbsolutePath().getParent(), ".attachkit-get-", ".tmp");
                    try {
                        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                        Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                } else {
                    OutputStream out = parent.binaryOut();
                    in.transferTo(out);
                    out.flush();
                }
            }
            return 0;
        } catch (AttachmentException e) {
            Cli.printJson(spec.commandLine().getErr(), Cli.error(e.getMessage()));
            return 1;
        }
    }
}
