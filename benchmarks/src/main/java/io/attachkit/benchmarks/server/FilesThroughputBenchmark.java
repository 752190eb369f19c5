package io.attachkit.benchmarks.server;

import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import io.attachkit.server.AttachkitServer;
import io.attachkit.storage.local.LocalFileStore;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * GET throughput of a 100 MiB file over loopback, as a ratio to reading the same stored file from disk
 * (both warm in the page cache, both through a 256 KiB buffer).
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.attachkit.benchmarks.server.FilesThroughputBenchmark [MiB] [rounds]
 * </pre>
 */
public final class FilesThroughputBenchmark {
    private FilesThroughputBenchmark() {
    }

    /**
     * @param args optional size in MiB (default 100) and rounds (default 5)
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long size = mib * 1024L * 1024;
        Path root = Files.createTempDirectory("attachkit-bench-files");
        StorageLimits limits = StorageLimits.builder(java.util.Map.of()).maxFileSize(size + 1).maxStorageSize(4 * size)
                .allowMimeType("application/octet-stream").build();
        try (LocalFileStore store = LocalFileStore.builder().root(root).limits(limits).build();
             AttachkitServer server = AttachkitServer.builder().store(store).port(0).build().start()) {
            Path source = root.resolve("source.bin");
            byte[] block = new byte[1024 * 1024];
            new Random(42).nextBytes(block);
            try (var out = Files.newOutputStream(source)) {
                for (int i = 0; i < mib; i++) {
                    out.write(block);
                }
            }
            StoredFile f;
            try (InputStream in = Files.newInputStream(source)) {
                f = store.save(in, "big.bin", null);
            }
            Files.delete(source);
            Path stored = root.resolve(f.storagePath());
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(server.baseUri().resolve(f.url())).build();

            double[] disk = new double[rounds];
            double[] http = new double[rounds];
            double[] socket = new double[rounds];
            for (int warm = 0; warm < 2; warm++) {
                readDisk(stored);
                readHttp(client, get, size);
                readSocket(server.port(), f.url(), size);
            }
            for (int r = 0; r < rounds; r++) {
                disk[r] = readDisk(stored);
                http[r] = readHttp(client, get, size);
                socket[r] = readSocket(server.port(), f.url(), size);
            }
            double diskMedian = median(disk);
            double httpMedian = median(http);
            double socketMedian = median(socket);
            System.out.printf("file: %d MiB, %d rounds (medians), file warm in the page cache%n", mib, rounds);
            System.out.printf("disk read (256 KiB buffer)         : %8.1f MiB/s%n", mib / diskMedian);
            System.out.printf("GET /files, plain socket client    : %8.1f MiB/s   ratio to disk %.3f%n", mib / socketMedian, diskMedian / socketMedian);
            System.out.printf("GET /files, java.net.http client   : %8.1f MiB/s   ratio to disk %.3f%n", mib / httpMedian, diskMedian / httpMedian);
        } finally {
            try (var s = Files.walk(root)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double readDisk(Path file) throws Exception {
        long t0 = System.nanoTime();
        byte[] buf = new byte[256 * 1024];
        long total = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
            }
        }
        if (total == 0) {
            throw new IllegalStateException("empty file");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double readHttp(HttpClient client, HttpRequest get, long size) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<InputStream> r = client.send(get, HttpResponse.BodyHandlers.ofInputStream());
        byte[] buf = new byte[256 * 1024];
        long total = 0;
        try (InputStream in = r.body()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
            }
        }
        if (r.statusCode() != 200 || total != size) {
            throw new IllegalStateException("GET returned " + r.statusCode() + " with " + total + " bytes, expected " + size);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** A minimal HTTP/1.1 reader, so the figure measures the server rather than a client library. */
    private static double readSocket(int port, String path, long size) throws Exception {
        long t0 = System.nanoTime();
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setReceiveBufferSize(1 << 20);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256 * 1024];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
            }
            if (total < size) {
                throw new IllegalStateException("GET returned " + total + " bytes, expected at least " + size);
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
