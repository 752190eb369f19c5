package io.attachkit.server.cli;

import io.attachkit.Attachment;
import io.attachkit.AttachmentException;
import io.attachkit.Attachments;
import io.attachkit.FileStore;
import java.nio.file.Path;
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

/** {@code attachkit store FILE...}: stores and processes files, prints their attachment JSON. */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = {"Store and process each FILE; print a JSON array of attachments in Tyler's shape",
                "(with processed_content: extracted text, table summary, url).",
                "Exit 0 when all were stored, 1 when any failed (that item has status 'failed' and an 'error')."})
final class StoreCommand implements Callable<Integer> {
    @Mixin
    StoreOption storeOption;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to store.")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ProgressBar progress = ProgressBar.forTerminal();
        List<Map<String, Object>> out = new ArrayList<>();
        boolean anyFailed = false;
        try (FileStore store = storeOption.open();
             Attachments attachments = Attachments.builder().store(store).listener(progress).build()) {
            int n = 0;
            for (Path file : files) {
                progress.file(++n, files.size(), file.toString());
                try {
                    Attachment a = Attachment.fromPath(file);
                    try {
                        attachments.storeAndProcess(a);
                        out.add(a.modelDump());
                    } catch (AttachmentException e) {
                        out.add(a.modelDump()); // status failed, with its error
                        anyFailed = true;
                    }
                } catch (AttachmentException e) {
                    Map<String, Object> failed = new LinkedHashMap<>();
                    failed.put("filename", file.getFileName() == null ? file.toString() : file.getFileName().toString());
                    failed.put("status", "failed");
                    failed.put("error", e.getMessage());
                    out.add(failed);
                    anyFailed = true;
                }
            }
        } finally {
            progress.done();
        }
        Cli.printJson(spec.commandLine().getOut(), out);
        return anyFailed ? 1 : 0;
    }
}
