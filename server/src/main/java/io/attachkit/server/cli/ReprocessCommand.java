package io.attachkit.server.cli;

import io.attachkit.Attachments;
import io.attachkit.FileStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code attachkit reprocess ID...}: runs the processors again on stored files and keeps the new results. */
@Command(name = "reprocess", mixinStandardHelpOptions = true,
        description = {"Run the processor again on each stored file (after a failure, or to refresh a result), keep the new",
                "result in the store and print the attachment JSON. Exit 1 when any id is unknown or processing failed."})
final class ReprocessCommand implements Callable<Integer> {
    @Mixin
    StoreOption storeOption;

    @Parameters(arity = "1..*", paramLabel = "ID", description = "File ids to reprocess.")
    List<String> ids;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ProgressBar progress = ProgressBar.forTerminal();
        try (FileStore store = storeOption.open();
             Attachments attachments = Attachments.builder().store(store).listener(progress).build()) {
            return ProcessCommand.Reprocessing.run(spec, store, ids, attachments::reprocess);
        } finally {
            progress.done();
        }
    }
}
