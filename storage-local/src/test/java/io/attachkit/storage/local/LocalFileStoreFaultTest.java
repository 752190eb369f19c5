package io.attachkit.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.Attachment;
import io.attachkit.AttachmentStatus;
import io.attachkit.StorageException;
import io.attachkit.StorageFullException;
import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import io.attachkit.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real filesystem faults: a full disk and a disk that turns read-only, with nothing partial left and the quota intact. */
class LocalFileStoreFaultTest {
    private static final int KIB = 1024;

    @TempDir
    Path dir;

    private static long entries(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void fullDisk_failsCleanly_leavesNoPartialFile_andKeepsTheQuotaExact() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("small"));
        try (SmallFilesystem fs = SmallFilesystem.mount(mount, 2048 * KIB)) {
            Path root = Files.createDirectories(mount.resolve("store"));
            long max = 1200 * KIB;
            LocalFileStore store = LocalFileStore.builder().root(root).limits(StorageLimits.defaults().toBuilder()
                    .maxStorageSize(max).allowMimeType("application/octet-stream").build()).build();
            StoredFile first = store.save(new ByteArrayInputStream(TestContent.text(200 * KIB, 1)), "first.txt", null);
            long filesBefore = entries(root);

            // ballast outside the store fills the disk, so the next save hits ENOSPC half way
            Path ballast = mount.resolve("ballast");
            Files.write(ballast, new byte[1500 * KIB]);
            Attachment doomed = Attachment.fromBytes("doomed.txt", TestContent.text(600 * KIB, 2), null);
            assertThatThrownBy(() -> doomed.ensureStored(store)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("No space left on device");
            assertThat(doomed.status()).isEqualTo(AttachmentStatus.FAILED);
            assertThat(store.list()).containsExactly(first.fileId());
            assertThat(entries(root)).as("no temp file or sidecar is left behind").isEqualTo(filesBefore);
            Files.delete(ballast);

            // the quota did not keep the failed save's bytes: exactly the rest still fits, one more byte does not
            long rest = max - first.size();
            StoredFile filler = store.save(new ByteArrayInputStream(TestContent.text((int) rest, 3)), "filler.txt", null);
            assertThat(store.storageSize()).isEqualTo(max);
            assertThatThrownBy(() -> store.save(new ByteArrayInputStream(new byte[] {'x'}), "one.txt", null))
                    .isInstanceOf(StorageFullException.class);
            assertThat(store.list()).containsExactlyInAnyOrder(first.fileId(), filler.fileId());
        }
    }

    @Test
    void readOnlyDisk_failsCleanly_readsStillWork_andWritesResumeAfterwards() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("ro"));
        try (SmallFilesystem fs = SmallFilesystem.mount(mount, 4096 * KIB)) {
            Path root = Files.createDirectories(mount.resolve("store"));
            LocalFileStore store = LocalFileStore.builder().root(root).limits(StorageLimits.defaults()).build();
            StoredFile kept = store.save(new ByteArrayInputStream(TestContent.text(10 * KIB, 1)), "kept.txt", null);
            long filesBefore = entries(root);

            fs.remount(true);
            try {
                assertThatThrownBy(() -> store.save(new ByteArrayInputStream(TestContent.text(10 * KIB, 2)), "new.txt", null))
                        .isInstanceOf(StorageException.class).hasMessageContaining("Read-only file system");
                assertThat(store.get(kept.fileId())).isEqualTo(TestContent.text(10 * KIB, 1));
                assertThat(store.list()).containsExactly(kept.fileId());
                assertThat(store.checkHealth().healthy()).isFalse();
                assertThat(store.checkHealth().errors()).anySatisfy(e -> assertThat(e).contains("Read-only"));
            } finally {
                fs.remount(false);
            }
            assertThat(entries(root)).isEqualTo(filesBefore);
            StoredFile later = store.save(new ByteArrayInputStream(TestContent.text(10 * KIB, 2)), "new.txt", null);
            assertThat(store.list()).containsExactlyInAnyOrder(kept.fileId(), later.fileId());
        }
    }
}
