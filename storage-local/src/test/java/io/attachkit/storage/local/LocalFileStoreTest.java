package io.attachkit.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.CachingFileStore;
import io.attachkit.FileStore;
import io.attachkit.FileStores;
import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import io.attachkit.UnsafePathException;
import io.attachkit.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is particular to the local backend: atomic writes, crash leftovers, links, Tyler's files, configuration. */
class LocalFileStoreTest {
    @TempDir
    Path dir;

    private LocalFileStore store(Path root) {
        return LocalFileStore.builder().root(root).limits(StorageLimits.defaults()).build();
    }

    private static long visibleFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    @Test
    void save_isInvisibleUntilComplete() throws Exception {
        LocalFileStore store = store(dir);
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        byte[] first = TestContent.text(100_000, 1);
        InputStream slow = new InputStream() {
            int pos;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos == first.length) {
                    return -1;
                }
                if (pos >= 70_000 && halfway.getCount() > 0) {
                    halfway.countDown();
                    try {
                        proceed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                int n = Math.min(Math.min(len, 10_000), first.length - pos);
                System.arraycopy(first, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        CompletableFuture<StoredFile> saving = CompletableFuture.supplyAsync(() -> store.save(slow, "slow.txt", null));
        assertThat(halfway.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(store.list()).isEmpty();
        assertThat(visibleFiles(dir)).isZero();
        proceed.countDown();
        StoredFile f = saving.get(10, TimeUnit.SECONDS);
        assertThat(store.list()).containsExactly(f.fileId());
        assertThat(store.get(f.fileId())).isEqualTo(first);
    }

    @Test
    void opening_removesTempFilesOfDeadWriters_andOrphanSidecars_butKeepsLiveOnes() throws Exception {
        Path shard = Files.createDirectories(dir.resolve("ab"));
        Path dead = Files.write(shard.resolve(".tmp-2147483646-5d0c"), new byte[100]);
        Path live = Files.write(shard.resolve(".tmp-" + ProcessHandle.current().pid() + "-77aa"), new byte[100]);
        Path orphanSidecar = Files.write(shard.resolve(".cdef-never-renamed.txt.json"), new byte[10]);
        Files.setLastModifiedTime(orphanSidecar, FileTime.from(Instant.now().minusSeconds(3600)));
        Path freshSidecar = Files.write(shard.resolve(".cdef-being-written.txt.json"), new byte[10]);

        store(dir);

        assertThat(dead).doesNotExist();
        assertThat(orphanSidecar).doesNotExist();
        assertThat(live).exists();
        assertThat(freshSidecar).exists();
    }

    @Test
    void symlinkInsideRoot_pointingOut_isRefused() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.write(outside.resolve("cdef0123"), "secret".getBytes());
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createSymbolicLink(root.resolve("ab"), outside);
        LocalFileStore store = store(root);
        assertThatThrownBy(() -> store.get("abcdef0123")).isInstanceOf(UnsafePathException.class)
                .hasMessageContaining("outside the store root");
        assertThatThrownBy(() -> store.delete("abcdef0123", "ab/cdef0123")).isInstanceOf(UnsafePathException.class);
        assertThat(outside.resolve("cdef0123")).exists();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void save_intoAShardThatLinksOut_isRefused_andWritesNothingOutside() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path root = Files.createDirectories(dir.resolve("root"));
        String hex = "0123456789abcdef";
        for (char a : hex.toCharArray()) {
            for (char b : hex.toCharArray()) {
                Files.createSymbolicLink(root.resolve("" + a + b), outside);
            }
        }
        LocalFileStore store = store(root);
        assertThatThrownBy(() -> store.save(new ByteArrayInputStream("x".getBytes()), "x.txt", null))
                .isInstanceOf(UnsafePathException.class);
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void fileWrittenByTyler_withoutSidecar_isReadable() throws Exception {
        String id = "3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8";
        Path shard = Files.createDirectories(dir.resolve("3f"));
        Files.write(shard.resolve(id.substring(2) + ".pdf"), TestContent.minimalPdf());
        LocalFileStore store = store(dir);
        assertThat(store.list()).containsExactly(id);
        assertThat(store.get(id)).isEqualTo(TestContent.minimalPdf());
        StoredFile meta = store.stat(id);
        assertThat(meta.storagePath()).isEqualTo("3f/" + id.substring(2) + ".pdf");
        assertThat(meta.mimeType()).isEqualTo("application/pdf");
        assertThat(meta.sha256()).isNull();
        assertThat(meta.size()).isEqualTo(TestContent.minimalPdf().length);
        store.delete(id);
        assertThat(store.list()).isEmpty();
    }

    @Test
    void fileStoresOpen_fileUris_absoluteAndRelative() {
        try (FileStore abs = FileStores.open(dir.toUri().toString(), StorageLimits.defaults())) {
            assertThat(abs).isInstanceOf(LocalFileStore.class);
            assertThat(((LocalFileStore) abs).root()).isEqualTo(dir.toAbsolutePath());
            assertThat(abs.backendName()).isEqualTo("local");
        }
        assertThatThrownBy(() -> FileStores.open("file://somehost/x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not name a host");
        assertThatThrownBy(() -> FileStores.open("nosuch://x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No storage backend for scheme 'nosuch'").hasMessageContaining("[file");
        assertThatThrownBy(() -> FileStores.open("no scheme here")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void environment_configuresRootAndLimits_likeTylers() throws Exception {
        Path root = dir.resolve("from-env");
        LocalFileStore store = LocalFileStore.builder().environment(Map.of(
                "ATTACHKIT_FILE_STORAGE_PATH", root.toString(),
                "ATTACHKIT_MAX_FILE_SIZE", "10",
                "ATTACHKIT_ALLOWED_MIME_TYPES", "text/plain")).build();
        assertThat(store.root()).isEqualTo(root);
        assertThat(store.limits().maxFileSize()).isEqualTo(10);
        assertThat(store.limits().allowedMimeTypes()).containsExactly("text/plain");
        assertThatThrownBy(() -> LocalFileStore.builder().environment(Map.of("ATTACHKIT_MAX_FILE_SIZE", "ten")).root(dir).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ATTACHKIT_MAX_FILE_SIZE");
    }

    @Test
    void rootThatIsAFile_isAClearError() throws Exception {
        Path file = Files.write(dir.resolve("not-a-dir"), new byte[1]);
        assertThatThrownBy(() -> store(file)).isInstanceOf(io.attachkit.StorageException.class).hasMessageContaining("not-a-dir");
    }

    @Test
    void cachingLayer_servesRepeatedReadsFromMemory_andForgetsDeletedFiles() {
        LocalFileStore local = store(dir);
        CachingFileStore cached = CachingFileStore.builder(local).maximumBytes(1 << 20).maximumFileSize(64 * 1024).build();
        StoredFile small = cached.save(new ByteArrayInputStream(TestContent.text(1000, 1)), "s.txt", null);
        StoredFile big = cached.save(new ByteArrayInputStream(TestContent.text(100_000, 2)), "b.txt", null);
        assertThat(cached.get(small.fileId())).isEqualTo(TestContent.text(1000, 1));
        assertThat(cached.get(small.fileId())).isEqualTo(TestContent.text(1000, 1));
        assertThat(cached.hitCount()).isEqualTo(1);
        assertThat(cached.cachedBytes()).isEqualTo(1000);
        cached.get(big.fileId());
        assertThat(cached.cachedBytes()).as("files over maximumFileSize are not cached").isEqualTo(1000);
        cached.delete(small.fileId());
        assertThatThrownBy(() -> cached.get(small.fileId())).isInstanceOf(io.attachkit.StoredFileNotFoundException.class);
        assertThatThrownBy(() -> CachingFileStore.builder(local).maximumBytes(10).maximumFileSize(20).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumFileSize");
    }
}
