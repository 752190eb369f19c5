package io.attachkit.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.AttachmentException;
import io.attachkit.FileTooLargeException;
import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import io.attachkit.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Saves larger than one copy chunk (256 KiB), which {@link LocalFileStore} writes on a second thread
 * while the caller's thread reads and hashes: the bytes, the limits and the cleanup must be as for
 * small files.
 */
class LocalFileStoreLargeSaveTest {
    private static final int CHUNK = 256 * 1024;

    @TempDir
    Path dir;

    private LocalFileStore store(StorageLimits limits, boolean fsync) {
        return LocalFileStore.builder().root(dir.resolve("store")).limits(limits).fsync(fsync).build();
    }

    @ParameterizedTest
    @ValueSource(ints = {CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 7 * CHUNK + 12_345})
    void save_aroundAndAcrossChunkBoundaries_roundTripsByteForByte(int size) throws Exception {
        LocalFileStore store = store(StorageLimits.defaults(), true);
        byte[] content = gzipHeaderThenRandom(size);
        StoredFile f = store.save(new ByteArrayInputStream(content), "chunks.gz", null);
        assertThat(f.size()).isEqualTo(content.length);
        assertThat(f.sha256()).isEqualTo(TestContent.sha256(content));
        try (InputStream in = store.open(f.fileId(), f.storagePath())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(hiddenTempFiles()).isZero();
    }

    @Test
    void save_overSizeLimitAfterSeveralChunks_isRefusedAndLeavesNoTempFile() throws Exception {
        LocalFileStore store = store(StorageLimits.builder().maxFileSize(5L * 1024 * 1024).build(), false);
        TestContent.EndlessText endless = new TestContent.EndlessText();
        assertThatThrownBy(() -> store.save(endless, "endless.txt", "text/plain"))
                .isInstanceOf(FileTooLargeException.class);
        assertThat(endless.bytesRead()).isLessThan(5L * 1024 * 1024 + 2L * 1024 * 1024);
        assertThat(store.list()).isEmpty();
        assertThat(store.storageSize()).isZero();
        assertThat(hiddenTempFiles()).isZero();
    }

    @Test
    void save_sourceFailingAfterSeveralChunks_leavesNothing() throws Exception {
        LocalFileStore store = store(StorageLimits.defaults(), true);
        InputStream failing = new TestContent.FailingAfter(TestContent.text(3 * 1024 * 1024 + 7, 5));
        assertThatThrownBy(() -> store.save(failing, "cut.txt", null))
                .isInstanceOf(AttachmentException.class)
                .hasMessageContaining("simulated client disconnect");
        assertThat(store.list()).isEmpty();
        assertThat(hiddenTempFiles()).isZero();
    }

    @Test
    void copy_writeFailure_stopsReadingAndReachesTheCaller() throws Exception {
        Path target = dir.resolve("read-only");
        Files.write(target, new byte[0]);
        TestContent.EndlessText endless = new TestContent.EndlessText();
        try (FileChannel readOnly = FileChannel.open(target, StandardOpenOption.READ)) {
            assertThatThrownBy(() -> PipelinedCopy.copy(endless, (b, off, len) -> { }, readOnly,
                    new io.attachkit.internal.io.BufferPool(CHUNK, 2), false))
                    .isInstanceOf(NonWritableChannelException.class);
        }
        // the reader stopped within a few chunks of the failure instead of reading the endless stream on
        assertThat(endless.bytesRead()).isLessThanOrEqualTo((long) (PipelinedCopy.CHUNKS + 2) * CHUNK);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("attachkit-local-writer"));
    }

    /** Exactly {@code size} bytes that the store detects as gzip. */
    private static byte[] gzipHeaderThenRandom(int size) {
        byte[] b = new byte[size];
        new java.util.Random(size).nextBytes(b);
        byte[] header = {0x1f, (byte) 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, (byte) 0xff};
        System.arraycopy(header, 0, b, 0, header.length);
        return b;
    }

    private long hiddenTempFiles() throws Exception {
        try (Stream<Path> walk = Files.walk(dir.resolve("store"))) {
            return walk.filter(p -> p.getFileName().toString().startsWith(".tmp-")).count();
        }
    }
}
