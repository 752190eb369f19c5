package io.attachkit.server.cli;

import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.FileStore;
import io.attachkit.StoredFileNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code attachkit process [--pending] [ID...]}: processes stored files (a kept result answers without a run), or
 * with {@code --pending} finishes the work that a server accepted but never ended (it died).
 */
@Command(name = "process", mixinStandardHelpOptions = true,
        description = {"Process stored files by id, printing their attachment JSON (a result kept in the store is used),",
                "or with --pending finish what was accepted for background processing but never ended (after a crash).",
                "Exit 0 when all were processed, 1 when any id is unknown or its processing failed."})
final class ProcessCommand implements Callable<Integer> {
    @Mixin
    StoreOption storeOption;

    @Option(names = "--pending", description = "Queue and finish every file recorded as pending in the store.")
    boolean pending;

    @Parameters(arity = "0..*", paramLabel = "ID", description = "File ids to process.")
    List<String> ids = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!pending && ids.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Give file ids, or --pending");
        }
        ProgressBar progress = ProgressBar.forTerminal();
        try (FileStore store = storeOption.open();
             Attachments attachments = Attachments.builder().store(store).listener(progress).build()) {
            if (pending) {
                List<CompletableFuture<Attachment>> queued = attachments.resumePending();
                CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).join();
                spec.commandLine().getErr().println("attachkit: " + queued.size() + " pending files processed");
            }
            return ids.isEmpty() ? 0 : Reprocessing.run(spec, store, ids, attachments::process);
        } finally {
            progress.done();
        }
    }

    /** Processes or reprocesses files by id and prints their JSON; shared with {@link ReprocessCommand}. */
    static final class Reprocessing {
        private Reprocessing() {
        }

        static int run(CommandSpec spec, FileStore store, List<String> ids, java.util.function.UnaryOperator<Attachment> how) {
            List<Map<String, Object>> out = new ArrayList<>();
            boolean anyFailed = false;
            for (String id : ids) {
                try {
                    Attachment a = how.apply(Attachment.fromStored(store.stat(id)));
                    out.add(a.modelDump());
                    anyFailed |= a.processedContent().error() != null;
                } catch (StoredFileNotFoundException e) {
                    out.add(Map.of("file_id", id, "status", "failed", "error", e.getMessage()));
                    anyFailed = true;
                }
            }
            Cli.printJson(spec.commandLine().getOut(), out);
            return anyFailed ? 1 : 0;
        }
    }
}
