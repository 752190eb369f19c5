package io.attachkit.ai;

import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.storage.local.LocalFileStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real local store in a fresh folder and an {@link Attachments} with the real processors, opened before
 * each test and closed after it: {@code @RegisterExtension final ProcessedStore env = new ProcessedStore();}.
 */
public final class ProcessedStore implements BeforeEachCallback, AfterEachCallback {
    private Path root;
    private LocalFileStore store;
    private Attachments attachments;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        root = Files.createTempDirectory("attachkit-ai-test");
        store = LocalFileStore.builder().root(root).build();
        attachments = Attachments.builder().store(store).build();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        attachments.close();
        store.close();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** @return the store */
    public LocalFileStore store() {
        return store;
    }

    /** @return the attachments service over {@link #store()} */
    public Attachments attachments() {
        return attachments;
    }

    /** @return a PDF of these pages, stored and processed */
    public Attachment pdf(String filename, List<String> pages) {
        return process(filename, AiFixtures.pdf(pages));
    }

    /** @return a PNG showing this text, stored and processed (OCR) */
    public Attachment png(String filename, String text) {
        return process(filename, AiFixtures.png(text));
    }

    /** @return these bytes, stored and processed */
    public Attachment process(String filename, byte[] bytes) {
        return attachments.storeAndProcess(Attachment.fromBytes(filename, bytes, null));
    }
}
