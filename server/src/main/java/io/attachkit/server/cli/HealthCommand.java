package io.attachkit.server.cli;

import io.attachkit.ContentProcessor;
import io.attachkit.ContentProcessors;
import io.attachkit.FileStore;
import io.attachkit.StoreHealth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code attachkit health}: checks that the store can be read and written. */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Check the store (read, write, size) and list the processors found; exit 1 when unhealthy.")
final class HealthCommand implements Callable<Integer> {
    @Mixin
    StoreOption storeOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (FileStore store = storeOption.open()) {
            StoreHealth h = store.checkHealth();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", h.healthy() ? "ok" : "unhealthy");
            out.put("store", storeOption.uri());
            out.put("backend", h.backend());
            out.put("storage_size", h.storageSize());
            out.put("file_count", h.fileCount());
            out.put("errors", h.errors());
            out.put("processors", ContentProcessors.fromClasspath().all().stream().map(ContentProcessor::name).toList());
            Cli.printJson(spec.commandLine().getOut(), out);
            return h.healthy() ? 0 : 1;
        }
    }
}
