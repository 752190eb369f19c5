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
 *     [sizeMiB=256] [rounds=3] [sha256InObjectMetadata=false] [servers=s3proxy|s3proxy,s3mock,s3rver]
 * </pre>
 *
 * The third argument {@code true} measures the store with {@code sha256InObjectMetadata(true)} (each multipart
 * object rewritten in place by a server-side copy after its upload).
 *
 * Numbers to report, never pass/fail. Prints one line per round and a median summary.
 */
public final class S3ThroughputBenchmark {
    private static final long MIB = 1024 * 1024;

    private S3ThroughputBenchmark() {
    }

    /**
     * @param args optional: file size in MiB (default 256), rounds (default 3), {@code true} to turn on the store's
     *     {@code sha256InObjectMetadata} (default {@code false}), comma-separated servers (default {@code s3proxy})
     * @throws Exception if the benchmark cannot run
     */
    public static void main(String[] args) throws Exception {
        long sizeMiB = args.length > 0 ? Long.parseLong(args[0]) : 256;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean sha256InObjectMetadata = args.length > 2 && Boolean.parseBoolean(args[2]);
        String servers = args.length > 3 ? args[3] : "s3proxy";
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
                    summary.add(runAgainst(server, file, size, rounds, sha256InObjectMetadata));
                }
            }
        } finally {
            deleteTree(work);
        }
        System.out.printf(Locale.ROOT, "%nsummary (ratio = S3FileStore / plain SDK on the same server, median of %d rounds):%n",
                rounds);
        summary.forEach(System.out::println);
    }

    /** @return the summary line of one server */
    private static String runAgainst(BenchServer server, Path file, long size, int rounds, boolean sha256InObjectMetadata)
            throws Exception {
        String bucket = "bench";
        System.out.printf(Locale.ROOT, "%n== %s at %s%n", server.name(), server.endpoint());
        try (S3Client plain = S3Client.builder().endpointOverride(server.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                     .credentialsProvider(server.credentials())
                     .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(!server.plainUploads()).build())
                     .httpClientBuilder(Apache5HttpClient.builder()).build();
             S3FileStore store = S3FileStore.builder().bucket(bucket).endpointOverride(server.endpoint()).pathStyleAccess(true)
                     .region("us-east-1").credentialsProvider(server.credentials())
                     .chunkedEncoding(!server.plainUploads())
                     .sha256InObjectMetadata(sha256InObjectMetadata)
                     .limits(StorageLimits.builder(Map.of()).maxFileSize(size + MIB).maxStorageSize(16L * 1024 * MIB).build())
                     .build()) {
            plain.createBucket(b -> b.bucket(bucket));
            System.out.printf(Locale.ROOT, "store: partSize %d MiB, maxConcurrency %d, sha256InObjectMetadata %s,"
                            + " chunkedEncoding %s%n", store.partSize() / MIB, store.maxConcurrency(),
                    store.sha256InObjectMetadata(), !server.plainUploads());
            // warm-up: JIT, connections, and the checksum mode AUTO settles on for this server
            runRound(plain, store, bucket, file, Math.min(size, 32 * MIB), null);
            List<double[]> results = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                double[] m = runRound(plain, store, bucket, file, size, r);
                results.add(m);
            }
            double sdkPut = median(results, 0);
            double storeSave = median(results, 1);
            double sdkGet = median(results, 2);
            double storeOpen = median(results, 3);
            double peak = results.stream().mapToDouble(m -> m[4]).max().orElse(0);
            double sampled = results.stream().mapToDouble(m -> m[5]).max().orElse(0);
            System.out.printf(Locale.ROOT, "median upload:   SDK putObject %.1f MB/s, S3FileStore.save %.1f MB/s, ratio %.3f%n",
                    sdkPut, storeSave, storeSave / sdkPut);
            System.out.printf(Locale.ROOT, "median download: SDK getObject %.1f MB/s, S3FileStore.open %.1f MB/s, ratio %.3f%n",
                    sdkGet, storeOpen, storeOpen / sdkGet);
            System.out.printf(Locale.ROOT, "peak heap during S3FileStore.save (this JVM): pools' peak %.1f MiB,"
                    + " sampled used %.1f MiB (max heap %d MiB)%n", peak, sampled, Runtime.getRuntime().maxMemory() / MIB);
            System.out.printf(Locale.ROOT, "checksum mode in effect: %s%n", store.checkHealth().details()
                    .get(S3FileStore.HEALTH_CHECKSUM_MODE));
            return String.format(Locale.ROOT, "%-42s upload %.3f (%.0f vs %.0f MB/s), download %.3f (%.0f vs %.0f MB/s),"
                            + " checksums %s", server.name(), storeSave / sdkPut, storeSave, sdkPut, storeOpen / sdkGet,
                    storeOpen, sdkGet, store.checksumModeInEffect());
        }
    }

    /** @return MB/s of SDK put, store save, SDK get, store open; then peak heap MiB (pools), sampled heap MiB */
    private static double[] runRound(S3Client plain, S3FileStore store, String bucket, Path file, long size, Integer round)
            throws Exception {
        Path part = file;
        if (size != Files.size(file)) {
            part = file.resolveSibling("warmup.txt");
            try (InputStream in = Files.newInputStream(file); OutputStream out = Files.newOutputStream(part)) {
                in.transferTo(new LimitedOutput(out, size));
            }
        }
        String key = "plain/" + size + "-" + System.nanoTime();
        System.gc();
        long t0 = System.nanoTime();
        plain.putObject(b -> b.bucket(bucket).key(key).contentType("text/plain"), RequestBody.fromFile(part));
        long t1 = System.nanoTime();

        System.gc();
        resetPeaks();
        HeapSampler sampler = new HeapSampler();
        sampler.start();
        long t2 = System.nanoTime();
        StoredFile f;
        try (InputStream in = Files.newInputStream(part)) {
            f = store.save(in, "payload.txt", "text/plain");
        }
        long t3 = System.nanoTime();
        sampler.stop();
        double peakPools = heapPeak() / (double) MIB;
        double sampled = sampler.max.get() / (double) MIB;

        long t4 = System.nanoTime();
        long plainRead;
        try (InputStream in = plain.getObject(b -> b.bucket(bucket).key(key))) {
            plainRead = drain(in);
        }
        long t5 = System.nanoTime();
        long storeRead;
        try (InputStream in = store.open(f.fileId(), f.storagePath())) {
            storeRead = drain(in);
        }
        long t6 = System.nanoTime();
        if (plainRead != size || storeRead != size || f.size() != size) {
            throw new IllegalStateException("read " + plainRead + "/" + storeRead + " bytes of " + size);
        }
        plain.deleteObject(b -> b.bucket(bucket).key(key));
        store.delete(f.fileId(), f.storagePath());
        if (part != file) {
            Files.delete(part);
        }
        double mb = size / 1e6;
        double[] m = {mb / secs(t0, t1), mb / secs(t2, t3), mb / secs(t4, t5), mb / secs(t5, t6), peakPools, sampled};
        if (round != null) {
            System.out.printf(Locale.ROOT, "round %d: put %.1f MB/s | save %.1f MB/s (%.3f) | get %.1f MB/s | open %.1f MB/s (%.3f)"
                            + " | heap peak %.1f MiB (sampled %.1f)%n",
                    round, m[0], m[1], m[1] / m[0], m[2], m[3], m[3] / m[2], peakPools, sampled);
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
