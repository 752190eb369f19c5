package io.attachkit.benchmarks.server;

import io.attachkit.StorageLimits;
import io.attachkit.server.AttachkitServer;
import io.attachkit.storage.local.LocalFileStore;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;

/**
 * Ingest rate of small base64 attachments through {@code POST /attachments} (JSON, base64 mode) into a local
 * store: 1,000 attachments of about 1 KiB of text, sent as 10 requests of 100 and as 1,000 requests of one.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.attachkit.benchmarks.server.IngestBenchmark [count]
 * </pre>
 */
public final class IngestBenchmark {
    private IngestBenchmark() {
    }

    /**
     * @param args optional number of attachments (default 1000)
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        System.out.printf("%d attachments of ~1 KiB text; processors on the classpath: %s%n", count,
                io.attachkit.ContentProcessors.fromClasspath().all().stream().map(io.attachkit.ContentProcessor::name).toList());
        for (boolean fsync : new boolean[] {true, false}) {
            Path root = Files.createTempDirectory("attachkit-bench-ingest");
            try (LocalFileStore store = LocalFileStore.builder().root(root).limits(StorageLimits.defaults()).fsync(fsync).build();
                 AttachkitServer server = AttachkitServer.builder().store(store).port(0).build().start()) {
                HttpClient client = HttpClient.newHttpClient();
                run(client, server, Math.min(count, 200), 100, "warm-up ");
                double batched = run(client, server, count, 100, "");
                double single = run(client, server, count, 1, "");
                System.out.printf("local store fsync=%-5s  batches of 100: %8.0f attachments/s   one per request: %8.0f attachments/s%n",
                        fsync, batched, single);
            } finally {
                try (var s = Files.walk(root)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static double run(HttpClient client, AttachkitServer server, int count, int perRequest, String label) throws Exception {
        String[] bodies = new String[(count + perRequest - 1) / perRequest];
        int n = 0;
        for (int b = 0; b < bodies.length; b++) {
            StringBuilder sb = new StringBuilder("{\"conversation_id\":\"bench\",\"attachments\":[");
            for (int i = 0; i < perRequest && n < count; i++, n++) {
                String text = ("attachment " + n + " " + label + "lorem ipsum dolor sit amet ").repeat(24);
                if (i > 0) {
                    sb.append(',');
                }
                sb.append("{\"filename\":\"note-").append(n).append(".txt\",\"mime_type\":\"text/plain\",\"data\":\"")
                        .append(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))).append("\"}");
            }
            bodies[b] = sb.append("]}").toString();
        }
        long t0 = System.nanoTime();
        for (String body : bodies) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.baseUri().resolve("/attachments"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || !r.body().contains("\"errors\":0")) {
                throw new IllegalStateException("ingest failed: " + r.statusCode() + " " + r.body().substring(0, Math.min(300, r.body().length())));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return count / seconds;
    }
}
