package io.attachkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that sends its head and most of its body and then stops: the server closes the connection once the request
 * timeout plus {@link AttachkitServer#STALLED_REQUEST_GRACE_SECONDS} has passed (an Undertow timer), the worker thread
 * is freed, nothing is stored and the server goes on serving. The server runs in a child JVM with a small heap.
 */
class StalledClientTest {
    @TempDir
    Path dir;
    Process child;
    int port;
    Path root;

    @BeforeEach
    void startChild() throws IOException {
        root = dir.resolve("store");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(List.of(java, "-Xmx128m", "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                "-cp", System.getProperty("java.class.path"), StallServerMain.class.getName(), root.toString(), "PT1S", "120"))
                .redirectError(dir.resolve("child.log").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).as(Files.readString(dir.resolve("child.log"))).startsWith("PORT ");
        port = Integer.parseInt(first.substring(5).trim());
    }

    @AfterEach
    void stopChild() throws Exception {
        child.getOutputStream().close();
        if (!child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            child.destroyForcibly();
        }
    }

    @Test
    void stalledJsonAndMultipartBodies_areCutOffAfterTheTimeout_storeNothing_andTheServerGoesOn() throws Exception {
        long baseline = filesUnder(root);
        byte[] json = ("{\"attachments\":[{\"filename\":\"stalled.txt\",\"data\":\""
                + Base64.getEncoder().encodeToString("s".repeat(20_000).getBytes(StandardCharsets.US_ASCII)) + "\"}]}")
                .getBytes(StandardCharsets.US_ASCII);
        assertClosedWithinTheTimeout("application/json", json, baseline);

        // multipart: the first file is complete (and stored) before the client stalls in the second
        Multipart mp = new Multipart().file("f", "first.txt", "text/plain", "complete".getBytes(StandardCharsets.US_ASCII))
                .file("f", "second.txt", "text/plain", "t".repeat(20_000).getBytes(StandardCharsets.US_ASCII));
        assertClosedWithinTheTimeout(mp.contentType(), mp.build(), baseline);

        assertThat(filesUnder(root)).as("nothing of the stalled requests stays stored").isEqualTo(baseline);
        HttpResponse<String> after = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/attachments"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"attachments\":[{\"filename\":\"after.txt\",\"data\":\"YWZ0ZXI=\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).contains("after.txt");
        assertThat(filesUnder(root)).isGreaterThan(baseline);
    }

    private void assertClosedWithinTheTimeout(String contentType, byte[] body, long baseline) throws Exception {
        try (RawClient client = new RawClient(port, 20_000)) {
            client.head("/attachments", contentType, body.length).send(Arrays.copyOf(body, body.length - 5000));
            long start = System.nanoTime();
            String answer;
            try {
                answer = client.readToEnd();
            } catch (SocketException reset) {
                answer = "";
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer).as("no response to a request that never finished").doesNotStartWith("HTTP/1.1 200");
            // 1 s timeout plus the 2 s grace; without the cut-off the read would wait out the 20 s socket timeout
            assertThat(millis).isBetween(900L, 8_000L);
        }
        // the worker undoes what the request stored once its read fails; give it a moment
        long until = System.nanoTime() + 5_000_000_000L;
        long now = -1;
        while (System.nanoTime() < until && (now = filesUnder(root)) != baseline) {
            Thread.sleep(20);
        }
        assertThat(now).as("files in the store after the stalled request").isEqualTo(baseline);
    }

    private static long filesUnder(Path root) throws IOException {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}
