package io.attachkit.server.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.attachkit.StoredFile;
import io.attachkit.storage.local.LocalFileStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server under a bounded loopback load loses no upload, serves every byte correctly, and keeps its heap and
 * file descriptors bounded. The server runs in a child JVM ({@link LoadServerMain}, {@code -Xmx256m}, the
 * processors on the classpath) over a real local store; clients in this JVM run a mix of uploads and downloads
 * ({@link LoadDriver}) for a fixed time, then every stored file is checked against its seed.
 *
 * <p>Two kill variants ({@link #killedMidRun_losesNothingAcknowledged_andLeavesOnlyWholeFiles}) send the server SIGTERM or
 * SIGKILL in the middle of an 8 s run and check the store it leaves.
 *
 * <p>{@code mvn verify} runs 32 clients for 10 s in the server module's {@code load} surefire execution. The full
 * figure of the reliability issue (200 clients, 60 s):
 * <pre>
 * mvn -B -pl server -am verify -Dtest=ServerLoadTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dattachkit.load.clients=200 -Dattachkit.load.seconds=60
 * </pre>
 */
class ServerLoadTest {
    private static final int CLIENTS = Integer.getInteger("attachkit.load.clients", 32);
    private static final int SECONDS = Integer.getInteger("attachkit.load.seconds", 10);
    private static final String HEAP = System.getProperty("attachkit.load.heap", "256m");
    private static final long SEED = Long.getLong("attachkit.load.seed", 20250601L);
    /** The live heap after any collection must stay under this, however many requests ran. */
    private static final long MAX_LIVE_HEAP = 160L << 20;
    /** After the run, its connections closed and a full GC, the live heap must be back near its idle size (plus caches). */
    private static final long MAX_LIVE_HEAP_GROWTH = 48L << 20;
    /**
     * Descriptors that may stay open after the run: jars opened by classes loaded late, a log file, and the selector
     * (an epoll and an eventfd) XNIO keeps per thread for blocking reads and writes, made in each of the server's 16
     * worker threads as it first blocks: bounded by the worker count, not by the load.
     */
    private static final long FD_SLACK = 24 + 2 * 16;

    @TempDir
    Path dir;

    @Test
    void mixedLoad_losesNoUpload_servesEveryByteAndKeepsHeapAndDescriptorsBounded() throws Exception {
        assumeTrue(Boolean.getBoolean("attachkit.load.execution"),
                "runs only in the server module's 'load' surefire execution (its own JVM)");
        Path root = Files.createDirectories(dir.resolve("store"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path log = dir.resolve("server.log");
        StringBuilder report = new StringBuilder();
        LoadDriver driver;
        Map<String, Long> idle;
        Map<String, Long> afterRun;
        Map<String, Long> afterGc;
        long wallNanos;
        try (ChildServer server = ChildServer.start(root, tmp, HEAP, SECONDS + 900L, log)) {
            driver = new LoadDriver(URI.create("http://127.0.0.1:" + server.port));
            warmUp(driver);
            awaitIdleConnections();
            idle = server.statsAfterGc();

            wallNanos = driver.run(CLIENTS, SECONDS, SEED);
            afterRun = server.stats();

            List<String> sweepFailures = getEveryUpload(driver);
            assertThat(sweepFailures).as("files that GET did not serve byte for byte after the run").isEmpty();
            long fdsAfter = awaitDescriptors(server, idle.get("fds") + FD_SLACK);
            afterGc = server.statsAfterGc(); // the clients' connections are closed: what the load left behind
            String histogram = afterGc.get("used") >= idle.get("used") + MAX_LIVE_HEAP_GROWTH
                    || afterRun.get("maxAfterGc") >= MAX_LIVE_HEAP ? server.histogram(60) : "";
            if (System.getProperty("attachkit.load.heapdump") != null) {
                server.heapDump(Path.of(System.getProperty("attachkit.load.heapdump")).toAbsolutePath());
            }
            assertThat(server.stop()).as("the server JVM's exit code (see %s)", log).isZero();

            report.append(report(driver, wallNanos, idle, afterRun, afterGc, fdsAfter));
            System.out.println(report + histogram);
            assertThat(driver.errors).as("failed requests (all requests in the mix are valid)").isEmpty();
            assertThat(fdsAfter).as("open descriptors of the server after the run (idle: %d)", idle.get("fds"))
                    .isLessThanOrEqualTo(idle.get("fds") + FD_SLACK);
        }

        checkStore(root, tmp, driver);
        assertThat(afterRun.get("maxAfterGc")).as("largest live heap after a collection during the run").isLessThan(MAX_LIVE_HEAP);
        assertThat(afterGc.get("used")).as("live heap after the run and a full GC (idle: %d)", idle.get("used"))
                .isLessThan(idle.get("used") + MAX_LIVE_HEAP_GROWTH);
        assertThat(Files.readString(log)).as("the server's log").doesNotContain("OutOfMemoryError").doesNotContain("ERROR");
    }

    /** How the kill variants stop the server mid-run. */
    enum Kill {
        /** {@link Process#destroy()}: SIGTERM, a graceful shutdown as {@code attachkit serve} does it. */
        SIGTERM(143),
        /** {@link Process#destroyForcibly()}: SIGKILL, the JVM dies between any two instructions. */
        SIGKILL(137);

        final int exitCode;

        Kill(int exitCode) {
            this.exitCode = exitCode;
        }
    }

    /** The kill variants' load: short, so {@code mvn verify} stays quick, with the signal in its middle. */
    private static final int KILL_RUN_SECONDS = 8;
    private static final long KILL_AFTER_MILLIS = 4_000;
    /** What a client may see once the server is told to stop: its 503 JSON answer, or its connections gone. */
    private static final Set<String> ERRORS_A_STOPPING_SERVER_MAY_CAUSE =
            Set.of("503 JSON", "connection refused", "connection reset/closed");

    /**
     * The server is sent SIGTERM or SIGKILL in the middle of the mixed load. Nothing it acknowledged is lost, every
     * file in the store is whole (its bytes hash to its sidecar's sha256), no temp file survives a store reopen (none
     * exists at all after SIGTERM, whose graceful shutdown lets the uploads in flight finish or rolls them back), and
     * the clients see only 503 JSON answers and refused or lost connections, and only after the signal.
     */
    @ParameterizedTest
    @EnumSource(Kill.class)
    void killedMidRun_losesNothingAcknowledged_andLeavesOnlyWholeFiles(Kill kill) throws Exception {
        assumeTrue(Boolean.getBoolean("attachkit.load.execution"),
                "runs only in the server module's 'load' surefire execution (its own JVM)");
        Path root = Files.createDirectories(dir.resolve("store"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path log = dir.resolve("server.log");
        LoadDriver driver;
        int exitCode;
        long wallNanos;
        try (ChildServer server = ChildServer.start(root, tmp, HEAP, KILL_RUN_SECONDS + 900L, log)) {
            driver = new LoadDriver(URI.create("http://127.0.0.1:" + server.port));
            warmUp(driver);
            ExecutorService runner = Executors.newSingleThreadExecutor();
            try {
                Future<Long> run = runner.submit(() -> driver.run(CLIENTS, KILL_RUN_SECONDS, SEED + kill.ordinal()));
                Thread.sleep(KILL_AFTER_MILLIS);
                driver.signalled();
                if (kill == Kill.SIGTERM) {
                    server.process.destroy();
                } else {
                    server.process.destroyForcibly();
                }
                assertThat(server.process.waitFor(LoadServerMain.SHUTDOWN_GRACE.toSeconds() + 30, TimeUnit.SECONDS))
                        .as("the server stopped after %s (see %s)", kill, log).isTrue();
                exitCode = server.process.exitValue();
                wallNanos = run.get(KILL_RUN_SECONDS + LoadDriver.REQUEST_TIMEOUT.toSeconds() + 120, TimeUnit.SECONDS);
            } finally {
                runner.shutdownNow();
            }
        }
        String serverLog = Files.readString(log);
        StoreAfterKill store = checkStoreAfterKill(root, driver);
        System.out.println(killReport(kill, driver, wallNanos, exitCode, store));

        assertThat(driver.errorsBeforeSignal).as("failed requests before the signal").isEmpty();
        assertThat(driver.unexpectedAfterSignal).as("failures after the signal that are not 503 JSON or a lost connection").isEmpty();
        assertThat(driver.errorKinds.keySet()).as("kinds of failure after the signal").isSubsetOf(ERRORS_A_STOPPING_SERVER_MAY_CAUSE);
        assertThat(exitCode).as("the server JVM's exit code after %s (see %s)", kill, log).isEqualTo(kill.exitCode);
        assertThat(driver.uploaded.size()).as("uploads acknowledged").isGreaterThan(0);
        assertThat(store.missing).as("acknowledged uploads missing from the store or not byte for byte").isEmpty();
        assertThat(store.notWhole).as("files in the store whose bytes do not hash to their sidecar's sha256").isEmpty();
        assertThat(store.tempAfterReopen).as("temp files left after the store was opened again (it sweeps dead writers')").isEmpty();
        if (kill == Kill.SIGTERM) {
            assertThat(serverLog).as("the server's log: its graceful shutdown ran and drained").contains("load server: stopped, drained=true");
            assertThat(store.tempBeforeReopen).as("temp files left in the store by a graceful shutdown").isEmpty();
            try (Stream<Path> s = Files.walk(tmp)) {
                assertThat(s.filter(Files::isRegularFile).toList()).as("temp files left in the server's java.io.tmpdir").isEmpty();
            }
        }
        assertThat(serverLog).as("the server's log").doesNotContain("OutOfMemoryError");
    }

    /** What a store reopened after a kill holds, against what the clients were told. */
    private record StoreAfterKill(List<String> missing, List<String> notWhole, List<Path> tempBeforeReopen,
                                  List<Path> tempAfterReopen, int contentFiles, int unacknowledged) {
    }

    private static StoreAfterKill checkStoreAfterKill(Path root, LoadDriver driver) throws IOException {
        List<Path> tempBefore = tempFiles(root);
        List<String> missing = new ArrayList<>();
        List<String> notWhole = new ArrayList<>();
        List<String> content;
        Set<String> acknowledged;
        synchronized (driver.uploaded) {
            acknowledged = driver.uploaded.stream().map(LoadDriver.Uploaded::storagePath).collect(Collectors.toCollection(TreeSet::new));
        }
        try (LocalFileStore store = LocalFileStore.builder().root(root).build()) { // opening it sweeps dead writers' temp files
            for (LoadDriver.Uploaded u : List.copyOf(driver.uploaded)) {
                Path file = root.resolve(u.storagePath());
                if (!Files.isRegularFile(file)) {
                    missing.add(u.storagePath() + ": not in the store");
                } else if (!u.sha256().equals(sha256(file)) || !u.sha256().equals(store.stat(u.fileId(), u.storagePath()).sha256())) {
                    missing.add(u.storagePath() + ": its bytes or its sidecar differ from the upload's sha256 " + u.sha256());
                }
            }
            try (Stream<Path> s = Files.walk(root)) {
                content = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                        .map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
            }
            for (String path : content) {
                // the sidecar ('.<name>.json' beside its file) as written, not as the store would repair or guess it
                Path file = root.resolve(path);
                if (io.attachkit.internal.StoragePaths.isDerivedRecordId(io.attachkit.internal.StoragePaths.fileIdOf(path))) {
                    // a derived record (a processing result) has no sidecar: it is whole if it is a whole JSON document
                    try {
                        LoadDriver.JSON.readTree(file.toFile());
                    } catch (IOException e) {
                        notWhole.add(path + ": a derived record that is not whole JSON: " + e.getMessage());
                    }
                    continue;
                }
                Path sidecar = file.resolveSibling("." + file.getFileName() + ".json");
                String recorded = Files.isRegularFile(sidecar)
                        ? LoadDriver.JSON.readTree(sidecar.toFile()).path("sha256").asText(null) : null;
                String actual = sha256(file);
                if (!actual.equals(recorded)) {
                    notWhole.add(path + ": sidecar sha256 " + recorded + ", bytes " + actual);
                }
            }
        }
        int unacknowledged = (int) content.stream().filter(p -> !acknowledged.contains(p))
                .filter(p -> !io.attachkit.internal.StoragePaths.isDerivedRecordId(io.attachkit.internal.StoragePaths.fileIdOf(p)))
                .count();
        return new StoreAfterKill(missing, notWhole, tempBefore, tempFiles(root), content.size(), unacknowledged);
    }

    private static List<Path> tempFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
        }
    }

    private static String killReport(Kill kill, LoadDriver d, long wallNanos, int exitCode, StoreAfterKill store) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%nattachkit server load, %s after %d ms of %d s: %d clients (wall %.1f s), server exit code %d%n",
                kill, KILL_AFTER_MILLIS, KILL_RUN_SECONDS, CLIENTS, wallNanos / 1e9, exitCode));
        sb.append(String.format("  uploads acknowledged %d; store: %d files with the derived records (%d uploads stored but unacknowledged: answer lost), "
                        + "%d temp files before reopen, %d after%n", d.uploaded.size(), store.contentFiles(), store.unacknowledged(),
                store.tempBeforeReopen().size(), store.tempAfterReopen().size()));
        sb.append("  client errors:");
        if (d.errorKinds.isEmpty()) {
            sb.append(" none");
        }
        d.errorKinds.forEach((k, n) -> sb.append(' ').append(k).append('=').append(n.get()));
        sb.append('\n');
        store.tempBeforeReopen().stream().limit(8).forEach(t -> sb.append("  temp file before reopen: ").append(t.getFileName()).append('\n'));
        d.errors.stream().limit(8).forEach(e -> sb.append("  error: ").append(e, 0, Math.min(e.length(), 300)).append('\n'));
        d.unexpectedAfterSignal.forEach(e -> sb.append("  unexpected: ").append(e).append('\n'));
        d.errorsBeforeSignal.forEach(e -> sb.append("  before the signal: ").append(e).append('\n'));
        return sb.toString();
    }

    /** One request of each kind, so classes are loaded (and jars opened) before the idle figures are taken. */
    private static void warmUp(LoadDriver driver) throws Exception {
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < 4; i++) {
            driver.once(LoadDriver.Op.JSON_UPLOAD, r, 9999, i);
            driver.once(LoadDriver.Op.MULTIPART_UPLOAD, r, 9999, 100 + i);
        }
        for (LoadDriver.Op op : LoadDriver.Op.values()) {
            driver.once(op, r, 9999, 200 + op.ordinal());
        }
    }

    /** Lets the client's idle keep-alive connections close (this JVM runs with a 2 s keep-alive timeout). */
    private static void awaitIdleConnections() throws InterruptedException {
        Thread.sleep(TimeUnit.SECONDS.toMillis(Long.getLong("jdk.httpclient.keepalive.timeout", 2) + 2));
    }

    private static long awaitDescriptors(ChildServer server, long atMost) throws Exception {
        awaitIdleConnections();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long fds;
        do {
            fds = server.stats().get("fds");
            if (fds <= atMost) {
                return fds;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < until);
        return fds;
    }

    /** GETs every file an upload reported as stored and checks its bytes; answers the failures. */
    private static List<String> getEveryUpload(LoadDriver driver) throws Exception {
        List<LoadDriver.Uploaded> all;
        synchronized (driver.uploaded) {
            all = new ArrayList<>(driver.uploaded);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (LoadDriver.Uploaded u : all) {
                results.add(pool.submit(() -> {
                    try {
                        driver.get(u);
                        return null;
                    } catch (Exception | AssertionError e) {
                        return e.toString();
                    }
                }));
            }
            List<String> failures = new ArrayList<>();
            for (Future<String> f : results) {
                String failure = f.get(5, TimeUnit.MINUTES);
                if (failure != null) {
                    failures.add(failure);
                }
            }
            return failures;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * After the server stopped: no temp file anywhere, exactly the successful uploads on disk, each with its bytes.
     * Temp files are looked for before a store is opened on the root again (opening it sweeps them).
     */
    private static void checkStore(Path root, Path tmp, LoadDriver driver) throws IOException {
        List<Path> onDisk;
        try (Stream<Path> s = Files.walk(root)) {
            onDisk = s.filter(Files::isRegularFile).toList();
        }
        assertThat(onDisk).as("temp files left in the store").noneMatch(p -> p.getFileName().toString().startsWith(".tmp-"));
        try (Stream<Path> s = Files.walk(tmp)) {
            assertThat(s.filter(Files::isRegularFile).toList()).as("temp files left in the server's java.io.tmpdir").isEmpty();
        }
        // derived records (processing results kept by content digest, ids 'derived-<sha256>') are the store's own
        Set<String> contentFiles = onDisk.stream().filter(p -> !p.getFileName().toString().startsWith("."))
                .map(p -> root.relativize(p).toString().replace('\\', '/'))
                .filter(path -> !io.attachkit.internal.StoragePaths.isDerivedRecordId(io.attachkit.internal.StoragePaths.fileIdOf(path)))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> succeeded;
        synchronized (driver.uploaded) {
            succeeded = driver.uploaded.stream().map(LoadDriver.Uploaded::storagePath).collect(Collectors.toCollection(TreeSet::new));
            assertThat(succeeded).as("distinct storage paths").hasSize(driver.uploaded.size());
        }
        assertThat(contentFiles).as("the store's files are exactly the successful uploads").isEqualTo(succeeded);

        try (LocalFileStore store = LocalFileStore.builder().root(root).build()) {
            assertThat(store.fileCount()).as("the store's file count").isEqualTo(succeeded.size());
            for (LoadDriver.Uploaded u : driver.uploaded) {
                StoredFile meta = store.stat(u.fileId(), u.storagePath());
                assertThat(meta.sha256()).as("recorded sha256 of %s", u.storagePath()).isEqualTo(u.sha256());
                assertThat(meta.size()).as("recorded size of %s", u.storagePath()).isEqualTo(u.content().size());
                assertThat(sha256(root.resolve(u.storagePath()))).as("sha256 on disk of %s", u.storagePath()).isEqualTo(u.sha256());
            }
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md = LoadContent.sha256Digest();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String report(LoadDriver d, long wallNanos, Map<String, Long> idle, Map<String, Long> afterRun,
                                 Map<String, Long> afterGc, long fdsAfter) {
        double secs = wallNanos / 1e9;
        StringBuilder sb = new StringBuilder();
        List<Long> all = new ArrayList<>();
        sb.append(String.format("%nattachkit server load: %d clients, %d s (wall %.1f s), server -Xmx%s%n", CLIENTS, SECONDS, secs, HEAP));
        sb.append(String.format("  %-17s %8s %8s %9s %9s %9s %7s%n", "request", "count", "per s", "p50 ms", "p99 ms", "max ms", "errors"));
        for (LoadDriver.Op op : LoadDriver.Op.values()) {
            List<Long> l;
            synchronized (d.latencies.get(op)) {
                l = new ArrayList<>(d.latencies.get(op));
            }
            all.addAll(l);
            sb.append(line(op.name(), l, secs, d.errorCounts.get(op).get()));
        }
        sb.append(line("all", all, secs, d.errorCounts.values().stream().mapToLong(java.util.concurrent.atomic.AtomicLong::get).sum()));
        sb.append(String.format("  uploaded %d files, %.1f MiB sent; %.1f MiB received (%.1f MiB/s in, %.1f MiB/s out)%n",
                d.uploaded.size(), d.bytesUp.get() / 1048576.0, d.bytesDown.get() / 1048576.0,
                d.bytesUp.get() / 1048576.0 / secs, d.bytesDown.get() / 1048576.0 / secs));
        sb.append(String.format("  server heap: peak used %.1f MiB, largest live after GC %.1f MiB, live idle %.1f MiB -> after run %.1f MiB, %d GCs%n",
                afterRun.get("peakUsed") / 1048576.0, afterRun.get("maxAfterGc") / 1048576.0,
                idle.get("used") / 1048576.0, afterGc.get("used") / 1048576.0, afterRun.get("gcs")));
        sb.append(String.format("  server fds: idle %d, end of run %d, after clients closed %d; threads idle %d, end of run %d%n",
                idle.get("fds"), afterRun.get("fds"), fdsAfter, idle.get("threads"), afterRun.get("threads")));
        d.errors.stream().limit(10).forEach(e -> sb.append("  error: ").append(e).append('\n'));
        return sb.toString();
    }

    private static String line(String name, List<Long> nanos, double secs, long errors) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format("  %-17s %8d %8.1f %9.1f %9.1f %9.1f %7d%n", name, sorted.length, sorted.length / secs,
                pct(sorted, 50), pct(sorted, 99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, errors);
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }
}
