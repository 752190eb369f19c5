package io.attachkit.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.ContentProcessor;
import io.attachkit.ContentProcessors;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.ProcessingListener;
import io.attachkit.ProcessingQueueFullException;
import io.attachkit.ProcessingStatus;
import io.attachkit.StorageLimits;
import io.attachkit.testkit.TestContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processing as its own lifecycle: in the background from a bounded, fair queue, with results kept in the store
 * (a derived record per content) so that other instances and restarts read them instead of processing again.
 */
class BackgroundProcessingTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> opened = new java.util.ArrayList<>();
    /** Processor runs, counted through the listener as an application would. */
    private final AtomicInteger runs = new AtomicInteger();
    /** Released by tests whose processor must block ("BLOCK" files and PDFs). */
    private final CountDownLatch release = new CountDownLatch(1);

    /** A real processor: counts words of text; "FAIL" fails, "BLOCK" and every PDF wait for {@link #release}. */
    private final class Words implements ContentProcessor {
        private final String version;

        Words(String version) {
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
            return mimeType.equals("text/plain") || mimeType.equals("application/pdf");
        }

        @Override
        public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
            String text;
            try (InputStream in = input.open()) {
                text = new String(in.readNBytes(64), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (text.startsWith("BLOCK") || input.mimeType().equals("application/pdf")) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (text.startsWith("FAIL")) {
                throw new ProcessingException("cannot read '" + input.filename() + "'");
            }
            return ProcessedContent.of(Map.of("type", "text", "text", text, "words", text.trim().split("\\s+").length));
        }
    }

    private final ProcessingListener counting = new ProcessingListener() {
        @Override
        public void progress(String filename, String stage, long done, long total) {
        }

        @Override
        public void processed(String filename, String processor, ProcessingStatus outcome, long tookMillis) {
            runs.incrementAndGet();
        }
    };

    private LocalFileStore store() {
        LocalFileStore s = LocalFileStore.builder().root(dir).limits(StorageLimits.defaults()).build();
        opened.add(s);
        return s;
    }

    private Attachments attachments(LocalFileStore store, String version, int workers, int maxQueued) {
        Attachments a = Attachments.builder().store(store).processors(ContentProcessors.of(List.of(new Words(version))))
                .processingLimits(ProcessingLimits.builder().timeout(Duration.ofSeconds(20)).build())
                .listener(counting).workers(workers).maxQueuedJobs(maxQueued).build();
        opened.add(a);
        return a;
    }

    @AfterEach
    void closeAll() throws Exception {
        release.countDown();
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private static Attachment text(String name, String content) {
        return Attachment.fromBytes(name, content.getBytes(StandardCharsets.UTF_8), "text/plain");
    }

    @Test
    void storeAndProcessAsync_answersOnceStored_thenTheResultArrives() throws Exception {
        Attachments service = attachments(store(), "1", 2, 100);
        Attachment a = text("a.txt", "BLOCK three words");
        CompletableFuture<Attachment> done = service.storeAndProcessAsync(a);
        assertThat(a.fileId()).isNotNull();
        assertThat(a.processingStatus()).isIn(ProcessingStatus.QUEUED, ProcessingStatus.RUNNING);
        assertThat(a.modelDump().get("processing_status")).isIn("queued", "running");
        assertThat(service.awaitProcessing(a, Duration.ofMillis(50)).processingStatus()).isNotEqualTo(ProcessingStatus.DONE);
        release.countDown();
        assertThat(done.get(10, TimeUnit.SECONDS)).isSameAs(a);
        assertThat(a.processingStatus()).isEqualTo(ProcessingStatus.DONE);
        assertThat(a.processedContent().get("words")).isEqualTo(3);
        assertThat(a.processedContent().url()).isEqualTo("/files/" + a.storagePath());
        assertThat(a.modelDump()).containsEntry("processing_status", "done");
        assertThat(Attachment.fromJson(a.toJson()).processingStatus()).isEqualTo(ProcessingStatus.DONE);
    }

    @Test
    void anotherInstanceOverTheSameStore_readsTheResult_withoutARun() throws Exception {
        Attachments first = attachments(store(), "1", 1, 100);
        Attachment a = first.storeAndProcess(text("a.txt", "kept in the store"));
        assertThat(runs).hasValue(1);
        assertThat(store().list()).containsExactly(a.fileId()); // the record is hidden from the listing

        Attachments second = attachments(store(), "1", 1, 100); // another store object and service: another instance
        Attachment fromMessage = Attachment.fromJson(a.toJson());
        fromMessage.setProcessedContent(ProcessedContent.empty());
        second.process(fromMessage);
        assertThat(fromMessage.processedContent().text()).isEqualTo("kept in the store");
        assertThat(fromMessage.processingStatus()).isEqualTo(ProcessingStatus.DONE);
        assertThat(runs).as("no processor run on the second instance").hasValue(1);
    }

    @Test
    void sameBytesUnderTwoNames_concurrently_areProcessedOnce() throws Exception {
        Attachments service = attachments(store(), "1", 2, 100);
        CompletableFuture<Attachment> one = service.storeAndProcessAsync(text("one.txt", "BLOCK same bytes"));
        CompletableFuture<Attachment> two = service.storeAndProcessAsync(text("two.txt", "BLOCK same bytes"));
        Thread.sleep(100);
        release.countDown();
        assertThat(one.get(10, TimeUnit.SECONDS).processedContent().get("words")).isEqualTo(3);
        assertThat(two.get(10, TimeUnit.SECONDS).processedContent().get("words")).isEqualTo(3);
        assertThat(runs).hasValue(1);
    }

    @Test
    void aProcessorVersionBump_processesAgain() {
        service(attachments(store(), "1", 1, 100), "v1 text");
        assertThat(runs).hasValue(1);
        service(attachments(store(), "1", 1, 100), "v1 text");
        assertThat(runs).hasValue(1);
        service(attachments(store(), "2", 1, 100), "v1 text");
        assertThat(runs).hasValue(2);
    }

    private static void service(Attachments service, String content) {
        service.storeAndProcess(text("f.txt", content));
    }

    @Test
    void aFailure_isKeptAsFailed_andReprocessRunsAgain() {
        Attachments service = attachments(store(), "1", 1, 100);
        Attachment a = service.storeAndProcess(text("bad.txt", "FAIL now"));
        assertThat(a.processingStatus()).isEqualTo(ProcessingStatus.FAILED);
        assertThat(a.processedContent().error()).isEqualTo("words: cannot read 'bad.txt'");
        assertThat(a.modelDump()).containsEntry("processing_status", "failed").containsEntry("status", "stored");

        Attachments other = attachments(store(), "1", 1, 100);
        Attachment again = other.process(Attachment.fromJson(a.toJson()));
        assertThat(again.processingStatus()).isEqualTo(ProcessingStatus.FAILED);
        assertThat(runs).as("the kept failure answers, no new run").hasValue(1);
        other.reprocess(again);
        assertThat(runs).hasValue(2);
    }

    @Test
    void fullQueue_isRetryable_andStoresNothing() throws Exception {
        LocalFileStore store = store();
        Attachments service = attachments(store, "1", 1, 2);
        service.storeAndProcessAsync(text("running.txt", "BLOCK running"));
        waitUntil(() -> service.queueDepth() == 0); // taken by the one worker
        service.storeAndProcessAsync(text("q1.txt", "BLOCK queued one"));
        service.storeAndProcessAsync(text("q2.txt", "BLOCK queued two"));
        long files = store.fileCount();
        assertThatThrownBy(() -> service.storeAndProcessAsync(text("refused.txt", "BLOCK refused")))
                .isInstanceOfSatisfying(ProcessingQueueFullException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.retryAfter()).isPositive();
                    assertThat(e).hasMessageContaining("queue is full");
                });
        assertThat(store.fileCount()).isEqualTo(files);
        release.countDown();
        waitUntil(() -> runs.get() == 3);
    }

    @Test
    void aSmallFileBehindLongScans_finishesFirst() throws Exception {
        Attachments service = attachments(store(), "1", 2, 100);
        // two "scans" (PDFs estimated at several seconds each) arrive first and block in the processor
        CompletableFuture<Attachment> scan1 = service.storeAndProcessAsync(Attachment.fromBytes("scan1.pdf", pdf(1), null));
        CompletableFuture<Attachment> scan2 = service.storeAndProcessAsync(Attachment.fromBytes("scan2.pdf", pdf(2), null));
        Thread.sleep(200);
        CompletableFuture<Attachment> csv = service.storeAndProcessAsync(text("small.txt", "a small file"));
        assertThat(csv.get(10, TimeUnit.SECONDS).processingStatus()).isEqualTo(ProcessingStatus.DONE);
        assertThat(scan1.isDone() || scan2.isDone()).as("the scans still run").isFalse();
        release.countDown();
        assertThat(scan1.get(10, TimeUnit.SECONDS).processingStatus()).isEqualTo(ProcessingStatus.DONE);
        assertThat(scan2.get(10, TimeUnit.SECONDS).processingStatus()).isEqualTo(ProcessingStatus.DONE);
    }

    /** A PDF of about 1 MB (estimated as a long OCR job); distinct bytes per seed. */
    private static byte[] pdf(int seed) {
        byte[] head = TestContent.minimalPdf();
        byte[] out = new byte[1_000_000];
        System.arraycopy(head, 0, out, 0, head.length);
        out[head.length] = '\n';
        for (int i = head.length + 1; i < out.length; i++) {
            out[i] = (byte) ('%' + (i * 31 + seed) % 20);
        }
        return out;
    }

    @Test
    void workAcceptedBeforeACrash_isResumedAtTheNextStart_andKeptOnce() throws Exception {
        LocalFileStore store = store();
        Attachments before = attachments(store, "1", 1, 100);
        Attachment scan = Attachment.fromBytes("scan.pdf", pdf(3), null);
        before.storeAndProcessAsync(scan); // blocks in the processor: long work
        waitUntil(() -> before.queueDepth() == 0);
        before.close(); // the process "dies": the result is never written

        CountDownLatch alreadyReleased = release;
        alreadyReleased.countDown();
        Attachments after = attachments(store(), "1", 1, 100);
        int startRuns = runs.get();
        List<CompletableFuture<Attachment>> resumed = after.resumePending();
        assertThat(resumed).hasSize(1);
        Attachment done = resumed.get(0).get(10, TimeUnit.SECONDS);
        assertThat(done.fileId()).isEqualTo(scan.fileId());
        assertThat(done.processingStatus()).isEqualTo(ProcessingStatus.DONE);
        assertThat(runs.get() - startRuns).isEqualTo(1);
        Attachment reloaded = attachments(store(), "1", 1, 100).process(Attachment.fromJson(scan.toJson()));
        assertThat(reloaded.processingStatus()).isEqualTo(ProcessingStatus.DONE);
        assertThat(runs.get() - startRuns).as("the result was kept once and read back").isEqualTo(1);
        assertThat(attachments(store(), "1", 1, 100).resumePending()).as("nothing pending any more").isEmpty();
    }

    @Test
    void theRecordGoesWithItsFile_andOrphanRecordsAreSwept() {
        LocalFileStore store = store();
        Attachments service = attachments(store, "1", 1, 100);
        Attachment kept = service.storeAndProcess(text("kept.txt", "kept words"));
        Attachment gone = service.storeAndProcess(text("gone.txt", "gone words"));
        assertThat(store.derivedRecordDigests()).containsExactlyInAnyOrder(kept.sha256(), gone.sha256());
        store.delete(gone.fileId());
        assertThat(store.derivedRecordDigests()).containsExactly(kept.sha256());

        // a record whose file vanished behind the store's back (deleted by hand) is swept
        Attachment lost = service.storeAndProcess(text("lost.txt", "lost words"));
        store.writeDerivedRecord(lost.sha256(), store.readDerivedRecord(lost.sha256()).orElseThrow());
        try {
            java.nio.file.Files.delete(dir.resolve(lost.storagePath()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        service.sweepOrphans(Set.of(kept.fileId()), false);
        assertThat(store.derivedRecordDigests()).containsExactly(kept.sha256());
        assertThat(store.list()).containsExactly(kept.fileId());
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
