package io.attachkit.server.cli;

import io.attachkit.FileStore;
import io.attachkit.StoredFileNotFoundException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code attachkit ls}: lists the stored files. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = "List the stored files as a JSON array (id, path, filename, type, size, sha256, created_at, url), oldest first.")
final class LsCommand implements Callable<Integer> {
    @Mixin
    StoreOption storeOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Map<String, Object>> out = new ArrayList<>();
        try (FileStore store = storeOption.open()) {
            for (String id : store.list()) {
                try {
                    out.add(Cli.describe(store.stat(id)));
                } catch (StoredFileNotFoundException gone) {
                    // deleted while listing
                }
            }
        }
        out.sort(Comparator.comparing(m -> String.valueOf(m.get("created_at"))));
        Cli.printJson(spec.commandLine().getOut(), out);
        return 0;
    }
}
