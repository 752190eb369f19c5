package io.attachkit.benchmarks.storage;

import io.attachkit.Attachment;
import io.attachkit.StorageLimits;
import io.attachkit.storage.local.LocalFileStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Saves many 4 KiB text files, each into a fresh directory, and reports files per second: through
 * {@code LocalFileStore.save}, through {@code Attachment.fromBytes(...).ensureStored(store)}, and a floor of
 * plain {@code Files.write} into the same sharded layout (no temp file, no sidecar, no rename), and a bound: the
 * file calls alone that a crash-safe save with a sidecar makes.
 */
final class SmallFiles {
    private static final int SIZE = 4096;
    /** About the size of a real sidecar. */
    private static final byte[] SIDECAR = ("{\"file_id\":\"0b7c1f0e-3c4d-4f7a-9b1e-2a6c8d9e0f11\",\"storage_path\":"
            + "\"0b/7c1f0e-3c4d-4f7a-9b1e-2a6c8d9e0f11.txt\",\"backend\":\"local\",\"size\":4096,\"sha256\":"
            + "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\",\"mime_type\":\"text/plain\","
            + "\"created_at\":\"2026-12-02T05:00:00Z\",\"filename\":\"note-1.txt\"}").getBytes(StandardCharsets.UTF_8);

    private SmallFiles() {
    }

    /** One way of writing file number {@code i} with content {@code bytes} into {@code dir}. */
    @FunctionalInterface
    private interface Writer {
        void write(Path dir, Object store, int i, byte[] bytes) throws IOException;
    }

    static List<String> run(Path base, int files, int reps) throws IOException {
        Path work = base.resolve("small");
        LocalSaveBenchmark.deleteTree(work);
        Files.createDirectories(work);
        // the fast MIME path loads in the background at first use: measure it, not the start-up fallback
        io.attachkit.internal.mime.MimeDetector.awaitFastPath();
        StorageLimits limits = StorageLimits.builder().maxStorageSize(4L * files * SIZE + (1 << 20)).build();
        Writer save = (dir, store, i, bytes) ->
                ((LocalFileStore) store).save(new ByteArrayInputStream(bytes), "note-" + i + ".txt", "text/plain");
        Writer attach = (dir, store, i, bytes) ->
                Attachment.fromBytes("note-" + i + ".txt", bytes, "text/plain").ensureStored((LocalFileStore) store);
        Writer raw = (dir, store, i, bytes) -> rawWrite(dir, i, bytes, (Boolean) store);
        Writer bare = (dir, store, i, bytes) -> bareSave(dir, i, bytes, (Boolean) store);

        // one unrecorded round of each, so that no first repetition pays for the JIT compiling the save path
        int warmUp = Math.min(files, 2000);
        once("warm-up: floor", work, warmUp, null, false, raw, 0);
        once("warm-up: bound", work, warmUp, null, false, bare, 0);
        once("warm-up: store.save", work, warmUp, limits, false, save, 0);
        once("warm-up: ensureStored", work, warmUp, limits, false, attach, 0);
        List<String> rows = new ArrayList<>();
        rows.add(String.format("%-34s %9s %9s %8s  %s", files + " files of 4 KiB", "median s", "files/s", "ratio",
                "runs (s)"));
        for (boolean fsync : new boolean[] {false, true}) {
            String f = fsync ? "fsync on" : "fsync off";
            Samples floor = new Samples("floor: Files.write, " + (fsync ? "force" : "no force"));
            Samples saved = new Samples("store.save, " + f);
            Samples ensured = new Samples("ensureStored, " + f);
            Samples bound = new Samples("bound: the save's file calls, " + f);
            for (int rep = 1; rep <= reps; rep++) {
                // interleaved, order rotated each repetition: the machine's load changes from second to second
                for (int k = 0; k < 4; k++) {
                    switch ((rep - 1 + k) % 4) {
                        case 0 -> floor.add(once(floor.label(), work, files, null, fsync, raw, rep));
                        case 1 -> saved.add(once(saved.label(), work, files, limits, fsync, save, rep));
                        case 2 -> bound.add(once(bound.label(), work, files, null, fsync, bare, rep));
                        default -> ensured.add(once(ensured.label(), work, files, limits, fsync, attach, rep));
                    }
                }
            }
            rows.add(row(saved, files, floor));
            rows.add(row(ensured, files, floor));
            rows.add(row(bound, files, floor));
            rows.add(row(floor, files, null));
        }
        rows.add("  ratio = files/s over the floor's files/s with the same fsync (goal: >= 10,000 files/s fsync off,"
                + " >= 0.80 of the floor fsync on)");
        rows.add("  bound = only the file calls a crash-safe save with a sidecar makes (temp file, sidecar created"
                + " exclusively, one rename, with fsync on each forced and the directory forced), no Java work:"
                + " the most a store with this layout can reach");
        LocalSaveBenchmark.deleteTree(work);
        return rows;
    }

    private static long once(String label, Path work, int files, StorageLimits limits, boolean fsync, Writer writer,
            int rep) throws IOException {
        byte[] template = template();
        Path dir = work.resolve("run");
        LocalSaveBenchmark.deleteTree(dir);
        Files.createDirectories(dir);
        Object target = limits == null ? (Object) fsync
                : LocalFileStore.builder().root(dir).limits(limits).fsync(fsync).build();
        Shell.syncAll();
        long t = System.nanoTime();
        for (int i = 0; i < files; i++) {
            byte[] bytes = template.clone();
            stamp(bytes, i);
            writer.write(dir, target, i, bytes);
        }
        long elapsed = System.nanoTime() - t;
        if (limits != null && ((LocalFileStore) target).fileCount() != files) {
            throw new IllegalStateException(label + ": expected " + files + " stored files, found "
                    + ((LocalFileStore) target).fileCount());
        }
        System.out.printf("%s rep %d: %.3f s%n", label, rep, elapsed / 1e9);
        LocalSaveBenchmark.deleteTree(dir);
        return elapsed;
    }

    private static String row(Samples s, int files, Samples floor) {
        double sec = s.medianSeconds();
        String ratio = floor == null ? "" : String.format("%.2f", floor.medianSeconds() / sec);
        return String.format("%-34s %9.3f %9.0f %8s  %s", s.label(), sec, files / sec, ratio, s.all());
    }

    private static byte[] template() {
        StringBuilder sb = new StringBuilder(SIZE);
        while (sb.length() < SIZE) {
            sb.append("attachkit small-file benchmark line, plain ASCII text so the store sees text/plain.\n");
        }
        return sb.substring(0, SIZE).getBytes(StandardCharsets.US_ASCII);
    }

    /** Makes every file's content different (first bytes carry the index), so no two are alike. */
    private static void stamp(byte[] bytes, int i) {
        String s = String.format("%08d ", i);
        for (int k = 0; k < s.length(); k++) {
            bytes[k] = (byte) s.charAt(k);
        }
    }

    /** LocalFileStore.doSave's file calls alone, on the same sharded layout: what its ratio can reach at most. */
    private static void bareSave(Path dir, int i, byte[] bytes, boolean force) throws IOException {
        String name = nameOf(i);
        Path shard = shardOf(dir, name);
        Path temp = shard.resolve(".tmp-bench-" + name);
        writeNew(temp, bytes, force);
        writeNew(shard.resolve("." + name.substring(2) + ".txt.json"), SIDECAR, force);
        Files.move(temp, shard.resolve(name.substring(2) + ".txt"), StandardCopyOption.ATOMIC_MOVE);
        if (force) {
            try (FileChannel d = FileChannel.open(shard, StandardOpenOption.READ)) {
                d.force(true);
            }
        }
    }

    private static void writeNew(Path file, byte[] bytes, boolean force) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            if (force) {
                ch.force(true);
            }
        }
    }

    private static void rawWrite(Path dir, int i, byte[] bytes, boolean force) throws IOException {
        String name = nameOf(i);
        writeNew(shardOf(dir, name).resolve(name.substring(2) + ".txt"), bytes, force);
    }

    /** File number {@code i}'s name: spread over 256 shards like the store's ids. */
    private static String nameOf(int i) {
        return String.format("%08x", i * 2654435761L & 0xffffffffL);
    }

    /** The name's shard directory, created when missing (as the store does). */
    private static Path shardOf(Path dir, String name) throws IOException {
        Path shard = dir.resolve(name.substring(0, 2));
        Files.createDirectories(shard);
        return shard;
    }
}
