package io.attachkit.benchmarks.s3;

import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import io.attachkit.storage.s3.S3FileStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Upload and download throughput of S3FileStore for one large file, as a ratio to plain AWS SDK
 * {@code putObject}/{@code getObject} of the same file on the same server in the same run, against each server
 * asked for: S3Proxy in this JVM (filesystem blob store in a temporary directory), Adobe S3Mock (child JVM) and
 * s3rver (child node process), see {@link BenchServer}; plus the peak heap during the store's upload (this JVM:
 * with S3Proxy in-process an upper bound for the store alone). The store runs with its default
 * {@code checksumMode(AUTO)}, so each server's figures include the checksums it settles on (and, for servers that
 * report none, the read-back that verifies each save).
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -Xmx128m -cp benchmarks/target/benchmarks.jar io.attachkit.benchmarks.s3.S3ThroughputBenchmark \
 *     [sizeMiB=256] [rounds=3] [sha256InObjectMetadata=false] [servers=s3proxy|s3proxy,s3mock,s3rver] \
 *     [storeVariants=default|default,p16c4,p32c2,...]
 * </pre>
 *
 * The third argument {@code true} measures the store with {@code sha256InObjectMetadata(true)} (each multipart
 * object rewritten in place by a server-side copy after its upload). The fifth lists store configurations to
 * measure side by side, for the part size / concurrency curve: {@code default}, or {@code pNcM} for
 * {@code partSize(N MiB).maxConcurrency(M)}.
 * Each round runs the plain put, every variant's save and a bare multipart upload ({@link BareMultipart}: the SDK's
 * own calls with the first variant's part size and concurrency, no store around them: what any multipart upload
 * reaches on that server) in an order rotated by round; each ratio is the median of the rounds' ratios to the put.
 *
 * Numbers to report, never pass/fail. Prints one line per round and a median summary.
 */
public final class S3ThroughputBenchmark {
    private static final long MIB = 1024 * 1024;

    private S3ThroughputBenchmark() {
    }

    /**
     * @param args optional: file size in MiB (default 256), rounds (default 3), {@code true} to turn on the store's
     *     {@code sha256InObjectMetadata} (default {@code false}), comma-separated servers (default {@code s3proxy}),
     *     comma-separated store variants (default {@code default})
     * @throws Exception if the benchmark cannot run
     */
    public static void main(String[] args) throws Exception {
        long sizeMiB = args.length > 0 ? Long.parseLong(args[0]) : 256;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean sha256InObjectMetadata = args.length > 2 && Boolean.parseBoolean(args[2]);
        String servers = args.length > 3 ? args[3] : "s3proxy";
        List<String> variants = List.of((args.length > 4 ? args[4] : "default").split(","));
        long size = sizeMiB * MIB;
        Path work = Files.createTempDirectory("attachkit-s3-bench");
        Path file = work.resolve("payload.txt");
        writeText(file, size);
        System.out.printf(Locale.ROOT, "file %d MiB, %d rounds, max heap %d MiB, servers %s%n",
                sizeMiB, rounds, Runtime.getRuntime().maxMemory() / MIB, servers);
        List<String> summary = new ArrayList<>();
        try {
            for (String name : servers.split(",")) {
                try (BenchServer server = BenchServer.start(name.trim(), work)) {
                    summary.addAll(runAgainst(server, file, size, rounds, sha256InObjectMetadata, variants));
                }
            }
        } finally {
            deleteTree(work);
        }
        System.out.printf(Locale.ROOT, "%nsummary (ratio = S3FileStore.save / plain SDK putObject on the same server, median of %d rounds' ratios):%n",
                rounds);
        summary.forEach(System.out::println);
    }

    /** @return the summary lines of one server */
    private static List<String> runAgainst(BenchServer server, Path file, long size, int rounds,
            boolean sha256InObjectMetadata, List<String> variants) throws Exception {
        String bucket = "bench";
        System.out.printf(Locale.ROOT, "%n== %s at %s%n", server.name(), server.endpoint());
        List<S3FileStore> stores = new ArrayList<>();
        try (S3Client plain = S3Client.builder().endpointOverride(server.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                     .credentialsProvider(server.credentials())
                     .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(!server.plainUploads()).build())
                     .httpClientBuilder(Apache5HttpClient.builder()).build()) {
            plain.createBucket(b -> b.bucket(bucket));
            for (String variant : variants) {
                stores.add(store(server, bucket, size, sha256InObjectMetadata, variant));
            }
            for (int v = 0; v < stores.size(); v++) {
                S3FileStore store = stores.get(v);
                System.out.printf(Locale.ROOT, "store %s: partSize %d MiB, maxConcurrency %d, sha256InObjectMetadata %s,"
                                + " chunkedEncoding %s%n", variants.get(v), store.partSize() / MIB, store.maxConcurrency(),
                        store.sha256InObjectMetadata(), !server.plainUploads());
            }
            // warm-up: JIT, connections, and the checksum mode AUTO settles on for this server
            runRound(plain, stores, variants, bucket, file, Math.min(size, 32 * MIB), null);
            List<double[]> results = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                results.add(runRound(plain, stores, variants, bucket, file, size, r));
            }
            double sdkPut = median(results, 0);
            double sdkGet = median(results, 1);
            double storeOpen = median(results, 2);
            double peak = results.stream().mapToDouble(m -> m[3]).max().orElse(0);
            double sampled = results.stream().mapToDouble(m -> m[4]).max().orElse(0);
            List<String> lines = new ArrayList<>();
            for (int v = 0; v < stores.size(); v++) {
                double storeSave = median(results, RESULTS + v);
                double ratio = median(results, RESULTS + stores.size() + v);
                System.out.printf(Locale.ROOT, "median upload %-10s SDK putObject %.1f MB/s, S3FileStore.save %.1f MB/s,"
                        + " ratio %.3f (median of the rounds' ratios)%n", variants.get(v), sdkPut, storeSave, ratio);
                lines.add(String.format(Locale.ROOT, "%-42s %-10s upload %.3f (%.0f vs %.0f MB/s)%s", server.name(),
                        variants.get(v), ratio, storeSave, sdkPut, v > 0 ? "" : String.format(Locale.ROOT,
                                ", download %.3f (%.0f vs %.0f MB/s), checksums %s", storeOpen / sdkGet, storeOpen, sdkGet,
                                stores.get(0).checksumModeInEffect())));
            }
            double bare = median(results, RESULTS + 2 * stores.size() + 1);
            System.out.printf(Locale.ROOT, "median bound: bare SDK multipart upload (the store's part size and"
                    + " concurrency, no store) %.1f MB/s, ratio %.3f to putObject%n",
                    median(results, RESULTS + 2 * stores.size()), bare);
            lines.add(String.format(Locale.ROOT, "%-42s %-10s upload %.3f (the bound: SDK multipart, no store)",
                    server.name(), "bare", bare));
            System.out.printf(Locale.ROOT, "median download: SDK getObject %.1f MB/s, S3FileStore.open %.1f MB/s, ratio %.3f%n",
                    sdkGet, storeOpen, storeOpen / sdkGet);
            System.out.printf(Locale.ROOT, "peak heap during S3FileStore.save (this JVM): pools' peak %.1f MiB,"
                    + " sampled used %.1f MiB (max heap %d MiB)%n", peak, sampled, Runtime.getRuntime().maxMemory() / MIB);
            System.out.printf(Locale.ROOT, "checksum mode in effect: %s%n", stores.get(0).checkHealth().details()
                    .get(S3FileStore.HEALTH_CHECKSUM_MODE));
            return lines;
        } finally {
            for (S3FileStore store : stores) {
                store.close();
            }
        }
    }

    /**
     * @param variant {@code default} (the store's defaults), or {@code pNcM} for {@code partSize(N MiB)} and
     *     {@code maxConcurrency(M)}
     */
    private static S3FileStore store(BenchServer server, String bucket, long size, boolean sha256InObjectMetadata,
            String variant) {
        S3FileStore.Builder b = S3FileStore.builder().bucket(bucket).endpointOverride(server.endpoint()).pathStyleAccess(true)
                .region("us-east-1").credentialsProvider(server.credentials())
                .chunkedEncoding(!server.plainUploads())
                .sha256InObjectMetadata(sha256InObjectMetadata)
                .limits(StorageLimits.builder(Map.of()).maxFileSize(size + MIB).maxStorageSize(16L * 1024 * MIB).build());
        if (!variant.equals("default")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("p(\\d+)c(\\d+)").matcher(variant);
            if (!m.matches()) {
                throw new IllegalArgumentException("store variant '" + variant + "': use default or pNcM");
            }
            b.partSize(Long.parseLong(m.group(1)) * MIB).maxConcurrency(Integer.parseInt(m.group(2)));
        }
        return b.build();
    }

    /** Index of the first store figure in a round's results: put, get, open, peak heap, sampled heap come first. */
    private static final int RESULTS = 5;

    /**
     * One round: the plain put and each store's save, in an order rotated by round (so none always runs first on a
     * warmed server), then the plain get and the first store's open.
     *
     * @return MB/s of SDK put, SDK get, store open; peak heap MiB (pools), sampled heap MiB; each store's save MB/s;
     *     each store's save / put ratio
     */
    private static double[] runRound(S3Client plain, List<S3FileStore> stores, List<String> variants, String bucket,
            Path file, long size, Integer round) throws Exception {
        Path part = file;
        if (size != Files.size(file)) {
            part = file.resolveSibling("warmup.txt");
            try (InputStream in = Files.newInputStream(file); OutputStream out = Files.newOutputStream(part)) {
                in.transferTo(new LimitedOutput(out, size));
            }
        }
        String key = "plain/" + size + "-" + System.nanoTime();
        int n = stores.size();
        double[] m = new double[RESULTS + 2 * n + 2];
        StoredFile[] saved = new StoredFile[n];
        double mb = size / 1e6;
        int offset = round == null ? 0 : round;
        String bareKey = "bare/" + size + "-" + System.nanoTime();
        for (int i = 0; i <= n + 1; i++) {
            int slot = (i + offset) % (n + 2); // slot n is the plain put, n + 1 the bare multipart upload
            System.gc();
            if (slot == n) {
                Path body = part;
                long t0 = System.nanoTime();
                plain.putObject(b -> b.bucket(bucket).key(key).contentType("text/plain"), RequestBody.fromFile(body));
                m[0] = mb / secs(t0, System.nanoTime());
                continue;
            }
            if (slot == n + 1) {
                long t0 = System.nanoTime();
                BareMultipart.upload(plain, bucket, bareKey, part, stores.get(0).partSize(), stores.get(0).maxConcurrency());
                m[RESULTS + 2 * n] = mb / secs(t0, System.nanoTime());
                continue;
            }
            resetPeaks();
            HeapSampler sampler = new HeapSampler();
            sampler.start();
            long t2 = System.nanoTime();
            try (InputStream in = Files.newInputStream(part)) {
                saved[slot] = stores.get(slot).save(in, "payload.txt", "text/plain");
            }
            long t3 = System.nanoTime();
            sampler.stop();
            m[RESULTS + slot] = mb / secs(t2, t3);
            m[3] = Math.max(m[3], heapPeak() / (double) MIB);
            m[4] = Math.max(m[4], sampler.max.get() / (double) MIB);
        }
        for (int v = 0; v < n; v++) {
            m[RESULTS + n + v] = m[RESULTS + v] / m[0];
        }
        m[RESULTS + 2 * n + 1] = m[RESULTS + 2 * n] / m[0];
        plain.deleteObject(b -> b.bucket(bucket).key(bareKey));

        long t4 = System.nanoTime();
        long plainRead;
        try (InputStream in = plain.getObject(b -> b.bucket(bucket).key(key))) {
            plainRead = drain(in);
        }
        long t5 = System.nanoTime();
        long storeRead;
        try (InputStream in = stores.get(0).open(saved[0].fileId(), saved[0].storagePath())) {
            storeRead = drain(in);
        }
        long t6 = System.nanoTime();
        m[1] = mb / secs(t4, t5);
        m[2] = mb / secs(t5, t6);
        if (plainRead != size || storeRead != size) {
            throw new IllegalStateException("read " + plainRead + "/" + storeRead + " bytes of " + size);
        }
        plain.deleteObject(b -> b.bucket(bucket).key(key));
        for (int v = 0; v < n; v++) {
            if (saved[v].size() != size) {
                throw new IllegalStateException("saved " + saved[v].size() + " bytes of " + size);
            }
            stores.get(v).delete(saved[v].fileId(), saved[v].storagePath());
        }
        if (part != file) {
            Files.delete(part);
        }
        if (round != null) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d: put %.1f MB/s", round, m[0]));
            for (int v = 0; v < n; v++) {
                line.append(String.format(Locale.ROOT, " | save %s %.1f MB/s (%.3f)", variants.get(v), m[RESULTS + v],
                        m[RESULTS + n + v]));
            }
            line.append(String.format(Locale.ROOT, " | bare multipart %.1f MB/s (%.3f)", m[RESULTS + 2 * n],
                    m[RESULTS + 2 * n + 1]));
            line.append(String.format(Locale.ROOT, " | get %.1f MB/s | open %.1f MB/s (%.3f) | heap peak %.1f MiB (sampled %.1f)",
                    m[1], m[2], m[2] / m[1], m[3], m[4]));
            System.out.println(line);
        }
        return m;
    }

    private static double secs(long a, long b) {
        return (b - a) / 1e9;
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            total += n;
        }
        return total;
    }

    private static double median(List<double[]> results, int index) {
        double[] v = results.stream().mapToDouble(m -> m[index]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void writeText(Path file, long size) throws IOException {
        byte[] alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\n".getBytes();
        SplittableRandom random = new SplittableRandom(42);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += buf.length) {
                for (int i = 0; i < buf.length; i += 8) {
                    long bits = random.nextLong();
                    for (int j = 0; j < 8; j++) {
                        buf[i + j] = alphabet[(int) ((bits >>> (8 * j)) & 63)];
                    }
                }
                out.write(buf, 0, (int) Math.min(buf.length, size - written));
            }
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** Samples used heap every 5 ms. */
    private static final class HeapSampler {
        final AtomicLong max = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::run, "heap-sampler");

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        private void run() {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            while (running.get()) {
                max.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Stops writing after a number of bytes. */
    private static final class LimitedOutput extends OutputStream {
        private final OutputStream out;
        private long left;

        LimitedOutput(OutputStream out, long limit) {
            this.out = out;
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            if (left > 0) {
                out.write(b);
                left--;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, left);
            if (n > 0) {
                out.write(b, off, n);
                left -= n;
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
