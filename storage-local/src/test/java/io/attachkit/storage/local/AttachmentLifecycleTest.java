package io.attachkit.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.Attachment;
import io.attachkit.AttachmentStatus;
import io.attachkit.FileStore;
import io.attachkit.FileTooLargeException;
import io.attachkit.InvalidContentException;
import io.attachkit.StorageLimits;
import io.attachkit.UnsupportedFileTypeException;
import io.attachkit.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link Attachment} lifecycle (PENDING, STORED, FAILED) on a real local store. */
class AttachmentLifecycleTest {
    @TempDir
    Path dir;

    private LocalFileStore store(StorageLimits limits) {
        return LocalFileStore.builder().root(dir.resolve("store")).limits(limits).build();
    }

    private LocalFileStore store() {
        return store(StorageLimits.defaults());
    }

    @Test
    void ensureStored_recordsEverything_andSetsTheUrl() {
        FileStore store = store();
        byte[] pdf = TestContent.minimalPdf();
        Attachment a = Attachment.fromBytes("Q3 report.pdf", pdf, "application/pdf");
        assertThat(a.status()).isEqualTo(AttachmentStatus.PENDING);

        a.ensureStored(store);

        assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
        assertThat(a.fileId()).isNotBlank();
        assertThat(a.storagePath()).isEqualTo(a.fileId().substring(0, 2) + "/" + a.fileId().substring(2) + ".pdf");
        assertThat(a.storageBackend()).isEqualTo("local");
        assertThat(a.size()).isEqualTo(pdf.length);
        assertThat(a.sha256()).isEqualTo(TestContent.sha256(pdf));
        assertThat(a.mimeType()).isEqualTo("application/pdf");
        assertThat(a.processedContent().url()).isEqualTo("/files/" + a.storagePath());
        assertThat(a.processedContent().get("mime_mismatch")).isNull();
        assertThat(a.getContentBytes(store)).isEqualTo(pdf);
        assertThat(a.modelDump()).doesNotContainKey("content").containsEntry("status", "stored");
    }

    @Test
    void ensureStored_isANoOpWhenStored_andForceStoresAgain() {
        FileStore store = store();
        Attachment a = Attachment.fromBytes("a.txt", "one".getBytes(StandardCharsets.UTF_8), null);
        a.ensureStored(store);
        String first = a.fileId();
        a.ensureStored(store);
        assertThat(a.fileId()).isEqualTo(first);
        assertThat(store.fileCount()).isEqualTo(1);

        a.ensureStored(store, true);
        assertThat(a.fileId()).isNotEqualTo(first);
        assertThat(store.list()).containsExactlyInAnyOrder(first, a.fileId());
        assertThat(a.getContentBytes(store)).isEqualTo("one".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void forcedRestore_ofAnAttachmentLoadedFromJson_readsFromTheStore() {
        FileStore store = store();
        Attachment a = Attachment.fromBytes("a.txt", "from store".getBytes(StandardCharsets.UTF_8), null).ensureStored(store);
        Attachment loaded = Attachment.fromJson(a.toJson());
        loaded.ensureStored(store, true);
        assertThat(loaded.fileId()).isNotEqualTo(a.fileId());
        assertThat(loaded.getContentBytes(store)).isEqualTo("from store".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sixtyFourThreads_ensureStored_storeExactlyOneFile() throws Exception {
        FileStore store = store();
        Attachment a = Attachment.fromBytes("shared.txt", TestContent.text(50_000, 1), null);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                ids.add(pool.submit(() -> {
                    start.await();
                    return a.ensureStored(store).fileId();
                }));
            }
            start.countDown();
            for (Future<String> f : ids) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(a.fileId());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list()).containsExactly(a.fileId());
    }

    @Test
    void tooLarge_isFailed_withAReason_andNothingStored_thenSucceedsWhenAllowed() {
        FileStore small = store(StorageLimits.defaults().toBuilder().maxFileSize(100).build());
        Attachment a = Attachment.fromBytes("big.txt", TestContent.text(1_000, 1), null);
        assertThatThrownBy(() -> a.ensureStored(small)).isInstanceOf(FileTooLargeException.class);
        assertThat(a.status()).isEqualTo(AttachmentStatus.FAILED);
        assertThat(a.failureReason()).contains("too large").contains("100");
        assertThat(a.fileId()).isNull();
        assertThat(small.list()).isEmpty();
        assertThat(a.modelDump()).containsEntry("status", "failed").containsKey("error").containsKey("content");

        LocalFileStore roomy = LocalFileStore.builder().root(dir.resolve("roomy")).limits(StorageLimits.defaults()).build();
        a.ensureStored(roomy);
        assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
        assertThat(a.failureReason()).isNull();
    }

    @Test
    void unsupportedType_isFailed() {
        FileStore store = store();
        Attachment a = Attachment.fromBytes("innocent.txt", TestContent.executable(), "text/plain");
        assertThatThrownBy(() -> a.ensureStored(store)).isInstanceOf(UnsupportedFileTypeException.class);
        assertThat(a.status()).isEqualTo(AttachmentStatus.FAILED);
        assertThat(a.failureReason()).contains("application/x-msdownload");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void spoofedType_detectedTypeWins_andTheMismatchIsRecorded() {
        FileStore store = store();
        Attachment a = Attachment.fromBytes("photo.png", TestContent.minimalPdf(), "image/png");
        a.ensureStored(store);
        assertThat(a.mimeType()).isEqualTo("application/pdf");
        @SuppressWarnings("unchecked")
        Map<String, Object> mismatch = (Map<String, Object>) a.processedContent().get("mime_mismatch");
        assertThat(mismatch).containsEntry("declared", "image/png").containsEntry("extension", "image/png")
                .containsEntry("detected", "application/pdf");
        Attachment back = Attachment.fromJson(a.toJson());
        assertThat(back.processedContent().get("mime_mismatch")).isEqualTo(mismatch);
    }

    @Test
    void fromPath_streamsAFile() throws Exception {
        FileStore store = store();
        Path file = dir.resolve("notes.md");
        Files.write(file, TestContent.text(300_000, 5));
        Attachment a = Attachment.fromPath(file);
        assertThat(a.filename()).isEqualTo("notes.md");
        a.ensureStored(store);
        assertThat(a.mimeType()).isEqualTo("text/markdown");
        assertThat(a.storagePath()).endsWith(".md");
        assertThat(store.get(a.fileId())).isEqualTo(Files.readAllBytes(file));
        assertThatThrownBy(() -> Attachment.fromPath(dir.resolve("missing.txt"))).isInstanceOf(InvalidContentException.class);
        assertThatThrownBy(() -> Attachment.fromPath(dir)).isInstanceOf(InvalidContentException.class);
    }

    @Test
    void fromStream_isReadOnce() {
        FileStore store = store(StorageLimits.defaults().toBuilder().maxFileSize(10).build());
        InputStream in = new ByteArrayInputStream(TestContent.text(100, 1));
        Attachment a = Attachment.fromStream("s.txt", in, null);
        assertThatThrownBy(() -> a.ensureStored(store)).isInstanceOf(FileTooLargeException.class);
        assertThatThrownBy(() -> a.ensureStored(store)).isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("already read");
        assertThat(a.status()).isEqualTo(AttachmentStatus.FAILED);
    }

    @Test
    void openContent_prefersTheStore_thenLocalContent() throws Exception {
        FileStore store = store();
        Attachment pending = Attachment.fromBase64("b.txt", "aGVsbG8=", null);
        try (InputStream in = pending.openContent(store)) {
            assertThat(in.readAllBytes()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        }
        pending.ensureStored(store);
        Attachment loaded = Attachment.fromJson(pending.toJson());
        assertThat(loaded.hasLocalContent()).isFalse();
        try (InputStream in = loaded.openContent(store)) {
            assertThat(in.readAllBytes()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> loaded.getContentBytes(null)).isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("no store was given");
    }
}
