package io.attachkit.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.Attachment;
import io.attachkit.AttachmentStatus;
import io.attachkit.Attachments;
import io.attachkit.ContentProcessor;
import io.attachkit.ContentProcessors;
import io.attachkit.OrphanSweep;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.StorageLimits;
import io.attachkit.UnsupportedFileTypeException;
import io.attachkit.testkit.TestContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Attachments}: storing and processing, failures that keep files, caching, all-or-nothing, orphans. */
class AttachmentsServiceTest {
    @TempDir
    java.nio.file.Path dir;
    private LocalFileStore store;
    private final AtomicInteger calls = new AtomicInteger();

    /** A real (tiny) processor: counts words of text files; fails or hangs on request. */
    private final class WordCounter implements ContentProcessor {
        private final String version;

        WordCounter(String version) {
            this.version = version;
        }

        @Override
        public String name() {
            return "words";
        }

        @Override
        public String version() {
            return version;
        }

        @Override
        public boolean supports(String mimeType) {
            return mimeType.equals("text/plain");
        }

        @Override
        public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
            calls.incrementAndGet();
            String text;
            try (InputStream in = input.open()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (text.startsWith("FAIL")) {
                throw new ProcessingException("cannot read '" + input.filename() + "'");
            }
            if (text.startsWith("HANG")) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ProcessedContent.of(Map.of("type", "text", "text", text, "words", text.split("\\s+").length));
        }
    }

    @BeforeEach
    void open() {
        store = LocalFileStore.builder().root(dir).limits(StorageLimits.defaults()).build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Attachments attachments(ContentProcessor p) {
        return Attachments.builder().store(store).processors(ContentProcessors.of(List.of(p)))
                .processingLimits(ProcessingLimits.builder().timeout(Duration.ofMillis(500)).build()).workers(1).build();
    }

    private static Attachment text(String name, String content) {
        return Attachment.fromBytes(name, content.getBytes(StandardCharsets.UTF_8), "text/plain");
    }

    @Test
    void storeAndProcess_mergesTheResult_withTheUrl() {
        try (Attachments service = attachments(new WordCounter("1"))) {
            Attachment a = service.storeAndProcess(text("a.txt", "three little words"));
            assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
            assertThat(a.processedContent().type()).isEqualTo("text");
            assertThat(a.processedContent().get("words")).isEqualTo(3);
            assertThat(a.processedContent().url()).isEqualTo("/files/" + a.storagePath());
        }
    }

    @Test
    void processingFailure_isRecorded_andTheFileStaysStored() {
        try (Attachments service = attachments(new WordCounter("1"))) {
            Attachment a = service.storeAndProcess(text("bad.txt", "FAIL please"));
            assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
            assertThat(a.processedContent().error()).isEqualTo("words: cannot read 'bad.txt'");
            assertThat(a.processedContent().url()).isNotNull();
            assertThat(store.exists(a.fileId())).isTrue();
        }
    }

    @Test
    void hangingProcessor_timesOut_andTheNextAttachmentIsStillServed() {
        try (Attachments service = attachments(new WordCounter("1"))) {
            Attachment hung = service.storeAndProcess(text("hang.txt", "HANG forever"));
            assertThat(hung.processedContent().error()).contains("timed out after 500 ms");
            assertThat(hung.status()).isEqualTo(AttachmentStatus.STORED);
            Attachment next = service.storeAndProcess(text("ok.txt", "still served"));
            assertThat(next.processedContent().get("words")).isEqualTo(2);
        }
    }

    @Test
    void sameContentTwice_isProcessedOnce_untilTheVersionChanges() {
        try (Attachments service = attachments(new WordCounter("1"))) {
            service.storeAndProcess(text("one.txt", "same bytes"));
            Attachment second = service.storeAndProcess(text("two.txt", "same bytes"));
            assertThat(calls).hasValue(1);
            assertThat(second.processedContent().get("words")).isEqualTo(2);
            assertThat(second.processedContent().url()).isEqualTo("/files/" + second.storagePath());
        }
        try (Attachments service = attachments(new WordCounter("2"))) {
            service.storeAndProcess(text("three.txt", "same bytes"));
            assertThat(calls).hasValue(2);
        }
    }

    @Test
    void unsupportedTypeForProcessing_isStoredWithJustTheUrl() {
        try (Attachments service = attachments(new WordCounter("1"))) {
            Attachment pdf = service.storeAndProcess(Attachment.fromBytes("a.pdf", TestContent.minimalPdf(), null));
            assertThat(pdf.processedContent().asMap()).containsOnlyKeys("url");
        }
    }

    @Test
    void process_refusesAnAttachmentThatIsNotStored() {
        try (Attachments service = attachments(new WordCounter("1"))) {
            assertThatThrownBy(() -> service.process(text("a.txt", "x"))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("must be stored");
        }
    }

    @Test
    void storeAll_isAllOrNothing() {
        try (Attachments service = attachments(new WordCounter("1"))) {
            Attachment good1 = text("1.txt", "one");
            Attachment good2 = text("2.txt", "two");
            Attachment bad = Attachment.fromBytes("3.txt", TestContent.executable(), null);
            assertThatThrownBy(() -> service.storeAll(List.of(good1, good2, bad))).isInstanceOf(UnsupportedFileTypeException.class);
            assertThat(store.list()).isEmpty();
            assertThat(good1.status()).isEqualTo(AttachmentStatus.PENDING);
            assertThat(good1.fileId()).isNull();
            assertThat(good1.processedContent().url()).isNull();
            assertThat(bad.status()).isEqualTo(AttachmentStatus.FAILED);

            // nothing was lost: the good ones store fine afterwards
            service.storeAll(List.of(good1, good2));
            assertThat(store.list()).containsExactlyInAnyOrder(good1.fileId(), good2.fileId());
            assertThat(good2.getContentBytes(store)).isEqualTo("two".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void sweepOrphans_dryRunListsThem_thenDeletesThem_keepingReferencedAndYoungFiles() {
        try (Attachments service = attachments(new WordCounter("1"))) {
            Attachment kept = service.storeAndProcess(text("kept.txt", "kept"));
            Attachment orphan = service.storeAndProcess(text("orphan.txt", "orphan"));

            assertThat(service.sweepOrphans(Set.of(kept.fileId()), true, Duration.ofHours(1)).orphans())
                    .as("younger than the minimum age").isEmpty();
            OrphanSweep dry = service.sweepOrphans(Set.of(kept.fileId()), true);
            assertThat(dry.orphans()).containsExactly(orphan.fileId());
            assertThat(dry.bytes()).isEqualTo(orphan.size());
            assertThat(store.exists(orphan.fileId())).isTrue();

            OrphanSweep real = service.sweepOrphans(Set.of(kept.fileId()), false);
            assertThat(real.orphans()).containsExactly(orphan.fileId());
            assertThat(store.list()).containsExactly(kept.fileId());
        }
    }
}
