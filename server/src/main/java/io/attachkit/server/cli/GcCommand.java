package io.attachkit.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.attachkit.Attachments;
import io.attachkit.FileStore;
import io.attachkit.OrphanSweep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code attachkit gc --referenced FILE [--dry-run]}: deletes stored files no message references. */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"Delete (or with --dry-run, list) the stored files that FILE does not reference.",
                "FILE is JSON (every \"file_id\" value anywhere in it counts, e.g. exported threads or attachments)",
                "or text with one file id, storage path or /files/ URL per line ('#' starts a comment)."})
final class GcCommand implements Callable<Integer> {
    @Mixin
    StoreOption storeOption;

    @Option(names = "--referenced", required = true, paramLabel = "FILE", description = "The file ids still in use.")
    Path referenced;

    @Option(names = "--dry-run", description = "List the orphans without deleting them.")
    boolean dryRun;

    @Option(names = "--min-age", paramLabel = "DURATION", defaultValue = "PT10M",
            description = "Keep files younger than this, which may belong to a message still being written (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration minAge;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Set<String> ids = readReferenced();
        try (FileStore store = storeOption.open();
             Attachments attachments = Attachments.builder().store(store).build()) {
            OrphanSweep sweep = attachments.sweepOrphans(ids, dryRun, minAge);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("dry_run", sweep.dryRun());
            out.put("referenced", ids.size());
            out.put(dryRun ? "orphans" : "deleted", sweep.orphans());
            out.put("bytes", sweep.bytes());
            Cli.printJson(spec.commandLine().getOut(), out);
            return 0;
        }
    }

    private Set<String> readReferenced() {
        String text;
        try {
            text = Files.readString(referenced, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "Cannot read --referenced " + referenced + ": " + e.getMessage(), e, null, null);
        }
        Set<String> ids = new HashSet<>();
        String trimmed = text.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                collectFileIds(new ObjectMapper().readValue(trimmed, Object.class), ids);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "--referenced " + referenced + " is not valid JSON: " + e.getMessage(), e, null, null);
            }
            return ids;
        }
        for (String line : text.split("\\R")) {
            String v = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            v = v.strip();
            if (!v.isEmpty()) {
                try {
                    ids.add(Cli.fileIdOf(v));
                } catch (RuntimeException e) {
                    throw new ParameterException(spec.commandLine(), "--referenced " + referenced + ": " + e.getMessage(), e, null, null);
                }
            }
        }
        return ids;
    }

    private static void collectFileIds(Object node, Set<String> ids) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if ("file_id".equals(k) && v instanceof String s) {
                    ids.add(s);
                } else {
                    collectFileIds(v, ids);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collectFileIds(v, ids));
        }
    }
}
