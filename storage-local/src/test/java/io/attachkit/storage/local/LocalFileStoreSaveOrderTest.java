package io.attachkit.storage.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.IncomingFile;
import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import io.attachkit.internal.io.LimitedDigestInputStream;
import io.attachkit.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a save leaves on disk with its one rename: the file and its complete sidecar, nothing else; the same id
 * saved again replaces both together; a durable large save (which flushes while it copies) keeps every byte.
 */
class LocalFileStoreSaveOrderTest {
    @TempDir
    Path root;

    @Test
    void save_leavesExactlyTheFileAndItsSidecar() throws Exception {
        LocalFileStore store = LocalFileStore.builder().root(root).build();
        StoredFile f = store.save(new ByteArrayInputStream(TestContent.text(4096, 1)), "note.txt", null);
        Path shard = root.resolve(f.storagePath()).getParent();
        String name = root.resolve(f.storagePath()).getFileName().toString();
        assertThat(namesIn(shard)).containsExactlyInAnyOrder(name, "." + name + ".json");
        StoredFile back = store.stat(f.fileId());
        assertThat(back.sha256()).isEqualTo(TestContent.sha256(TestContent.text(4096, 1)));
        assertThat(back.mimeType()).isEqualTo("text/plain");
        assertThat(back.filename()).isEqualTo("note.txt");
    }

    @Test
    void doSave_sameIdTwice_replacesTheFileAndItsSidecarTogether() throws Exception {
        LocalFileStore store = LocalFileStore.builder().root(root).build();
        String id = "0123456789abcdef0123456789abcdef";
        String path = "01/23456789abcdef0123456789abcdef.txt";
        store.doSave(incoming(id, path, TestContent.text(100, 1)));
        byte[] second = TestContent.text(250, 2);
        store.doSave(incoming(id, path, second));
        assertThat(store.get(id)).isEqualTo(second);
        StoredFile meta = store.stat(id);
        assertThat(meta.size()).isEqualTo(250);
        assertThat(meta.sha256()).isEqualTo(TestContent.sha256(second));
        assertThat(namesIn(root.resolve("01"))).containsExactlyInAnyOrder("23456789abcdef0123456789abcdef.txt",
                ".23456789abcdef0123456789abcdef.txt.json");
    }

    @Test
    void save_durableLargerThanTheFlushInterval_keepsEveryByteAndStopsItsThreads() throws Exception {
        LocalFileStore store = LocalFileStore.builder().root(root).fsync(true).limits(StorageLimits.builder()
                .maxFileSize(256L << 20).maxStorageSize(1L << 30).build()).build();
        int size = (int) PipelinedCopy.FLUSH_BYTES * 2 + 12_345;
        byte[] content = TestContent.text(size, 3);
        StoredFile f = store.save(new ByteArrayInputStream(content), "big.txt", null);
        assertThat(f.sha256()).isEqualTo(TestContent.sha256(content));
        assertThat(store.get(f.fileId())).isEqualTo(content);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("attachkit-local-"));
    }

    /** An incoming file as {@code AbstractFileStore} builds one (its constructor is package-private there). */
    private static IncomingFile incoming(String id, String path, byte[] content) throws Exception {
        Constructor<IncomingFile> c = IncomingFile.class.getDeclaredConstructor(String.class, String.class, String.class,
                String.class, LimitedDigestInputStream.class);
        c.setAccessible(true);
        return c.newInstance(id, path, "x.txt", "text/plain",
                new LimitedDigestInputStream(new ByteArrayInputStream(content), "x.txt", 1 << 20, null));
    }

    private static List<String> namesIn(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toList());
        }
    }
}
