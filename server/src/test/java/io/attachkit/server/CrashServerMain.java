package io.attachkit.server;

import io.attachkit.Attachments;
import io.attachkit.ContentProcessor;
import io.attachkit.ContentProcessors;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.storage.local.LocalFileStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A server for {@link ProcessingCrashTest}, run in a child JVM that the test kills with SIGKILL: its PDF processor
 * writes a marker file once it runs and then never ends. Prints {@code PORT n} once it listens.
 */
public final class CrashServerMain {
    private CrashServerMain() {
    }

    /**
     * @param args the store's root, the marker file written when the processor starts
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path running = Path.of(args[1]);
        LocalFileStore store = LocalFileStore.builder().root(root).build();
        ContentProcessor hangs = new ContentProcessor() {
            @Override
            public String name() {
                return "pages";
            }

            @Override
            public boolean supports(String mimeType) {
                return mimeType.equals("application/pdf");
            }

            @Override
            public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
                try {
                    Files.writeString(running, "running");
                    Thread.sleep(Long.MAX_VALUE); // the test kills the JVM here
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ProcessedContent.of(Map.of("type", "document"));
            }
        };
        Attachments attachments = Attachments.builder().store(store).processors(ContentProcessors.of(List.of(hangs))).build();
        AttachkitServer server = AttachkitServer.builder().attachments(attachments).port(0).build().start();
        System.out.println("PORT " + server.port());
        System.out.flush();
        try (InputStream stdin = System.in) {
            stdin.read(); // until the test ends (or kills) us
        }
    }
}
