package io.attachkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.StoredFile;
import io.attachkit.server.cli.AttachkitCommand;
import io.attachkit.storage.local.LocalFileStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attachkit serve} in a child JVM gets SIGTERM while an upload is half sent: new requests are answered 503
 * JSON at once, the upload in flight finishes within the grace and is kept whole (its SHA-256 is the one sent), and
 * an upload that does not finish within the grace is cut off and leaves nothing in the store.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GracefulShutdownTest {
    private static final Pattern LISTENING = Pattern.compile("at http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private record Child(Process process, int port, StringBuffer log) {
    }

    private Child serve(Path store, String grace) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), AttachkitCommand.class.getName(),
                "serve", "--store", store.toString(), "--port", "0", "--shutdown-grace", grace)
                .redirectOutput(dir.resolve("child.out").toFile()).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = err.readLine()) != null; ) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (line.startsWith("attachkit serving") && m.find()) {
                StringBuffer log = new StringBuffer(seen);
                Thread drain = new Thread(() -> err.lines().forEach(l -> log.append(l).append('\n')), "child-stderr");
                drain.setDaemon(true);
                drain.start();
                return new Child(p, Integer.parseInt(m.group(1)), log);
            }
        }
        throw new AssertionError("the child server did not start:\n" + seen);
    }

    /** @return text of about {@code size} bytes, every line different (stored as text/plain) */
    private static byte[] content(int size) {
        StringBuilder sb = new StringBuilder(size + 64);
        Random random = new Random(7);
        for (int i = 0; sb.length() < size; i++) {
            sb.append("line ").append(i).append(' ').append(Long.toHexString(random.nextLong())).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static List<Path> tempFiles(Path store) throws IOException {
        try (Stream<Path> s = Files.walk(store)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
        }
    }

    @Test
    void sigterm_midUpload_theUploadFinishesWhole_andNewRequestsGet503() throws Exception {
        Path store = dir.resolve("store");
        Child child = serve(store, "PT30S");
        byte[] file = content(4 << 20);
        Multipart mp = new Multipart().file("files", "big.txt", "text/plain", file);
        byte[] body = mp.build();
        try (RawClient upload = new RawClient(child.port(), 60_000)) {
            upload.head("/attachments", mp.contentType(), body.length);
            upload.send(java.util.Arrays.copyOf(body, body.length / 2));
            awaitStoring(store); // the upload is in flight: the server streams it into the store

            child.process().destroy(); // SIGTERM
            HttpResponse<String> late = awaitShuttingDown(child);
            assertThat(late.statusCode()).isEqualTo(503);
            Map<String, Object> json = ServerFixture.json(late.body());
            assertThat(json.get("status")).isEqualTo(503);
            assertThat((String) json.get("error")).contains("shutting down");
            assertThat(json.get("request_id")).isNotNull();
            assertThat(child.process().isAlive()).as("the server waits for the upload in flight").isTrue();

            upload.send(java.util.Arrays.copyOfRange(body, body.length / 2, body.length));
            String answer = upload.readToEnd();
            assertThat(answer).startsWith("HTTP/1.1 200");
            assertThat(answer).contains("\"success\":true");
        }
        assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).as("the server exits once the upload is done").isTrue();

        try (LocalFileStore reopened = LocalFileStore.builder().root(store).build()) {
            List<String> ids = reopened.list();
            assertThat(ids).hasSize(1);
            StoredFile kept = reopened.stat(ids.get(0));
            assertThat(kept.sha256()).isEqualTo(sha256(file));
            assertThat(reopened.get(ids.get(0))).isEqualTo(file);
        }
        assertThat(tempFiles(store)).isEmpty();
    }

    @Test
    void sigterm_uploadNotFinishedWithinTheGrace_isCutOff_andNothingIsLeftHalfWritten() throws Exception {
        Path store = dir.resolve("store");
        Child child = serve(store, "PT1S");
        Multipart mp = new Multipart().file("files", "stalled.txt", "text/plain", content(4 << 20));
        byte[] body = mp.build();
        try (RawClient upload = new RawClient(child.port(), 60_000)) {
            upload.head("/attachments", mp.contentType(), body.length);
            upload.send(java.util.Arrays.copyOf(body, body.length / 2));
            awaitStoring(store);
            child.process().destroy(); // SIGTERM; the rest of the body never comes
            assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).as("the server exits after its 1 s grace; its log: %s", child.log()).isTrue();
        }
        assertThat(tempFiles(store)).as("temp files left").isEmpty();
        try (LocalFileStore reopened = LocalFileStore.builder().root(store).build()) {
            assertThat(reopened.list()).as("no half upload is kept").isEmpty();
        }
    }

    /** Waits until an upload streams into the store (its temp file exists). */
    private static void awaitStoring(Path store) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < until) {
            if (Files.isDirectory(store) && !tempFiles(store).isEmpty()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the upload did not reach the store");
    }

    /** Polls until the draining server answers (it keeps listening during the grace). */
    private static HttpResponse<String> awaitShuttingDown(Child child) throws Exception {
        int port = child.port();
        HttpClient http = HttpClient.newHttpClient();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        HttpResponse<String> r;
        do {
            try {
                r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.net.ConnectException e) {
                throw new AssertionError("the server stopped listening during its grace; its log:\n" + child.log(), e);
            }
            if (r.statusCode() == 503) {
                return r;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < until);
        return r;
    }
}
