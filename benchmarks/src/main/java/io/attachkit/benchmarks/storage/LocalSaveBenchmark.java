package io.attachkit.benchmarks.storage;

import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import io.attachkit.storage.local.LocalFileStore;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * End-to-end comparison of {@link LocalFileStore#save} with {@code cp} on the same disk, in one run.
 *
 * <pre>
 * java -Xmx64m -cp benchmarks/target/benchmarks.jar io.attachkit.benchmarks.storage.LocalSaveBenchmark /work/bench-tmp
 *     [--size-mib 1024] [--reps 3] [--files 10000] [--skip-large] [--skip-small]
 * </pre>
 *
 * <p>Large file: writes a source file (gzip header + random bytes), reads it once (hashing it, which
 * also leaves it in the page cache, so every copy reads from memory alike), then per repetition times
 * {@code cp}, {@code cp} followed by {@code sync} of the copy, {@code save} with fsync and {@code save}
 * without (in an order rotated each repetition), running a global {@code sync} before each timing so no
 * run pays for another's writeback.
 * Every stored copy is read back and its SHA-256 compared with the source's. Store with fsync pairs
 * with {@code cp + sync} (both end with the data on disk); store without fsync pairs with plain
 * {@code cp} (both end with the data in the page cache).
 *
 * <p>Small files: saves N files of 4 KiB through {@code save} and through
 * {@code Attachment.fromBytes(...).ensureStored(store)}, with and without fsync, into a fresh store
 * each time, plus a floor: plain {@code Files.write} of the same files (and {@code force}).
 *
 * <p>Every timing is repeated (default 3) and the median reported.
 */
public final class LocalSaveBenchmark {
    private static final long MIB = 1024 * 1024;

    private LocalSaveBenchmark() {
    }

    /**
     * @param args a working directory on the disk to measure, then options (see the class doc)
     * @throws Exception if a step fails (the benchmark stops at the first failure)
     */
    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Files.createDirectories(o.dir);
        System.out.printf("attachkit storage benchmark: dir=%s, max heap=%d MiB, %d repetitions (median reported)%n",
                o.dir.toRealPath(), Runtime.getRuntime().maxMemory() / MIB, o.reps);
        List<String> rows = new ArrayList<>();
        if (!o.skipLarge) {
            rows.addAll(large(o));
        }
        if (!o.skipSmall) {
            rows.addAll(SmallFiles.run(o.dir, o.files, o.reps));
        }
        System.out.println();
        System.out.println("== results ==");
        rows.forEach(System.out::println);
        System.out.printf("peak heap used (sum of heap pools' peaks): %.1f MiB of %d MiB max%n",
                peakHeapBytes() / (double) MIB, Runtime.getRuntime().maxMemory() / MIB);
    }

    private static List<String> large(Options o) throws IOException {
        long size = o.sizeMib * MIB;
        Path work = o.dir.resolve("large");
        deleteTree(work);
        Files.createDirectories(work);
        Path src = work.resolve("source.gz");
        Path dst = work.resolve("copy.gz");
        Path storeRoot = work.resolve("store");
        System.out.printf("creating %s (%d MiB)...%n", src, o.sizeMib);
        SourceFile.create(src, size, 42);
        long t = System.nanoTime();
        String srcSha = SourceFile.sha256(src); // warms the page cache too
        System.out.printf("source sha256=%s (hashed from disk in %.2f s)%n", srcSha, (System.nanoTime() - t) / 1e9);

        StorageLimits limits = StorageLimits.builder().maxFileSize(size).maxStorageSize(2 * size + 64 * MIB).build();
        LocalFileStore synced = LocalFileStore.builder().root(storeRoot).limits(limits).fsync(true).build();
        LocalFileStore unsynced = LocalFileStore.builder().root(storeRoot).limits(limits).fsync(false).build();

        Samples cp = new Samples("cp");
        Samples cpSync = new Samples("cp + sync");
        Samples storeSync = new Samples("store.save, fsync on");
        Samples storeNoSync = new Samples("store.save, fsync off");
        // the bound on any store that hashes what it saves: SHA-256 of the same bytes, read from the page cache
        Samples hashOnly = new Samples("bound: SHA-256 of the source");
        for (int rep = 1; rep <= o.reps; rep++) {
            // Rotate the order each repetition: on a shared virtual disk a run is often slowed by the one
            // before it (freeing and discarding a 1 GiB file), so no operation should always follow the same one.
            for (int k = 0; k < 5; k++) {
                switch ((rep - 1 + k) % 5) {
                    case 0 -> cp.add(timeCp(src, dst, false));
                    case 1 -> cpSync.add(timeCp(src, dst, true));
                    case 2 -> storeSync.add(timeSave(synced, src, srcSha));
                    case 3 -> hashOnly.add(timeHash(src, srcSha));
                    default -> storeNoSync.add(timeSave(unsynced, src, srcSha));
                }
            }
            System.out.printf("rep %d: cp %.3f s, cp+sync %.3f s, save(fsync) %.3f s, save(no fsync) %.3f s,"
                    + " sha256 %.3f s%n", rep, last(cp), last(cpSync), last(storeSync), last(storeNoSync), last(hashOnly));
        }
        Files.delete(src);
        deleteTree(work);

        List<String> rows = new ArrayList<>();
        rows.add(String.format("%-34s %9s %9s %8s  %s", "large file (" + o.sizeMib + " MiB)", "median s", "MB/s", "ratio",
                "runs (s)"));
        rows.add(largeRow(cp, size, null));
        rows.add(largeRow(cpSync, size, null));
        rows.add(largeRow(storeNoSync, size, cp));
        rows.add(largeRow(hashOnly, size, cp));
        rows.add(largeRow(storeSync, size, cpSync));
        rows.add("  ratio = store MB/s / cp MB/s: fsync off vs cp (goal >= 0.60), fsync on vs cp + sync (goal >= 0.90);"
                + " every stored copy's SHA-256 matched the source");
        rows.add("  the bound's ratio is the most a save that hashes its bytes can reach against cp here (cp copies in"
                + " the kernel; SHA-256 runs on one core)");
        return rows;
    }

    private static double last(Samples s) {
        String[] all = s.all().split(" ");
        return Double.parseDouble(all[all.length - 1]);
    }

    private static String largeRow(Samples s, long size, Samples reference) {
        double sec = s.medianSeconds();
        String ratio = reference == null ? "" : String.format("%.2f", reference.medianSeconds() / sec);
        return String.format("%-34s %9.3f %9.0f %8s  %s", s.label(), sec, size / 1e6 / sec, ratio, s.all());
    }

    private static long timeCp(Path src, Path dst, boolean sync) throws IOException {
        Shell.syncAll();
        long t = System.nanoTime();
        Shell.run("cp", src.toString(), dst.toString());
        if (sync) {
            Shell.run("sync", dst.toString()); // coreutils: fsync of that one file
        }
        long elapsed = System.nanoTime() - t;
        Files.delete(dst);
        return elapsed;
    }

    private static long timeSave(LocalFileStore store, Path src, String srcSha) throws IOException {
        Shell.syncAll();
        long t = System.nanoTime();
        StoredFile stored;
        try (InputStream in = Files.newInputStream(src)) {
            stored = store.save(in, "big.gz", null);
        }
        long elapsed = System.nanoTime() - t;
        String back;
        try (InputStream in = store.open(stored.fileId(), stored.storagePath())) {
            back = SourceFile.sha256(in);
        }
        if (!back.equals(srcSha) || !stored.sha256().equals(srcSha) || stored.size() != Files.size(src)) {
            throw new IllegalStateException("stored copy differs from the source: stored sha256=" + back + ", reported "
                    + stored.sha256() + ", size " + stored.size() + "; source " + srcSha);
        }
        store.delete(stored.fileId(), stored.storagePath());
        return elapsed;
    }

    private static long timeHash(Path src, String srcSha) throws IOException {
        Shell.syncAll();
        long t = System.nanoTime();
        String sha = SourceFile.sha256(src);
        long elapsed = System.nanoTime() - t;
        if (!sha.equals(srcSha)) {
            throw new IllegalStateException("the source's SHA-256 changed: " + sha);
        }
        return elapsed;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** Command-line options. */
    private static final class Options {
        Path dir = Path.of("/work/bench-tmp");
        long sizeMib = 1024;
        int reps = 3;
        int files = 10_000;
        boolean skipLarge;
        boolean skipSmall;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--size-mib" -> o.sizeMib = Long.parseLong(args[++i]);
                    case "--reps" -> o.reps = Integer.parseInt(args[++i]);
                    case "--files" -> o.files = Integer.parseInt(args[++i]);
                    case "--skip-large" -> o.skipLarge = true;
                    case "--skip-small" -> o.skipSmall = true;
                    default -> {
                        if (args[i].startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + args[i]
                                    + "; use DIR [--size-mib N] [--reps N] [--files N] [--skip-large] [--skip-small]");
                        }
                        o.dir = Path.of(args[i]);
                    }
                }
            }
            return o;
        }
    }
}
