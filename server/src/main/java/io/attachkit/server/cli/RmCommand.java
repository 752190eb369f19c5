package io.attachkit.server.cli;

import io.attachkit.AttachmentException;
import io.attachkit.FileStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code attachkit rm ID_OR_PATH...}: deletes stored files. */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = "Delete stored files; print {\"deleted\":[...],\"errors\":[...]}. Exit 1 when any could not be deleted.")
final class RmCommand implements Callable<Integer> {
    @Mixin
    StoreOption storeOption;

    @Parameters(arity = "1..*", paramLabel = "ID_OR_PATH", description = "File ids, storage paths or /files/ URL paths.")
    List<String> ids;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<String> deleted = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        try (FileStore store = storeOption.open()) {
            for (String idOrPath : ids) {
                try {
                    String id = Cli.fileIdOf(idOrPath);
                    store.delete(id);
                    deleted.add(id);
                } catch (AttachmentException e) {
                    Map<String, Object> err = new LinkedHashMap<>();
                    err.put("id", idOrPath);
                    err.put("error", e.getMessage());
                    errors.add(err);
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deleted", deleted);
        out.put("errors", errors);
        Cli.printJson(spec.commandLine().getOut(), out);
        return errors.isEmpty() ? 0 : 1;
    }
}
