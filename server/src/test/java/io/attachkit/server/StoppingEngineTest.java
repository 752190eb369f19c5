package io.attachkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.storage.local.LocalFileStore;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that keep arriving while the server drains and while its engine stops are each answered with JSON (their
 * own answer before the shutdown, 503 JSON after it) or lose their connection: never an engine's bare answer. Undertow
 * answers a dispatch its stopping worker pool refuses with a bare 503, and a request whose timer its stopping I/O thread
 * refuses with a bare 500; the window is short, so the shutdown is repeated under clients that open a connection per
 * request and clients that keep theirs alive.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StoppingEngineTest {
    private static final int ROUNDS = 25;
    private static final int CLIENTS = 8;

    @TempDir
    Path dir;

    /** One answer as read off the socket. */
    private record Answer(int status, String contentType, String body) {
        boolean isJsonError(int expected) {
            return status == expected && contentType != null && contentType.startsWith("application/json")
                    && body.startsWith("{") && body.contains("\"status\":" + expected);
        }
    }

    @Test
    void everyAnswerDuringAShutdownIsJson_orTheConnectionIsGone() throws Exception {
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        for (int round = 0; round < ROUNDS; round++) {
            Path root = Files.createDirectories(dir.resolve("store-" + round));
            try (LocalFileStore store = LocalFileStore.builder().root(root).build()) {
                AttachkitServer server = AttachkitServer.builder().store(store).port(0).build().start();
                int port = server.port();
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    boolean keepAlive = c % 2 == 0;
                    boolean post = c % 4 < 2;
                    Thread t = new Thread(() -> hammer(port, keepAlive, post, stop, seen, unexpected), "client-" + c);
                    t.start();
                    clients.add(t);
                }
                Thread.sleep(40 + 10L * (round % 5)); // connections open and requests in flight at different points
                server.shutdown(Duration.ZERO);
                Thread.sleep(50); // clients meet the stopped engine too: refused connections
                stop.set(true);
                for (Thread t : clients) {
                    t.join(10_000);
                }
            }
        }
        assertThat(unexpected).as("answers that are neither the request's own JSON nor the 503 JSON of a shutdown").isEmpty();
        assertThat(seen).as("what the clients saw over %d shutdowns", ROUNDS).containsKeys("404 JSON", "503 JSON");
    }

    /** Sends requests until told to stop; files each outcome under its kind. */
    private static void hammer(int port, boolean keepAlive, boolean post, AtomicBoolean stop,
                               Map<String, AtomicInteger> seen, ConcurrentLinkedQueue<String> unexpected) {
        byte[] request = request(post, keepAlive);
        while (!stop.get()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream());
                do {
                    out.write(request);
                    out.flush();
                    Answer a = read(in);
                    if (a == null) {
                        count(seen, "connection closed");
                        break;
                    }
                    int own = post ? 400 : 404;
                    if (a.isJsonError(own)) {
                        count(seen, own + " JSON");
                    } else if (a.isJsonError(503) && a.body.contains("shutting down")) {
                        count(seen, "503 JSON");
                        break; // answered with Connection: close
                    } else {
                        unexpected.add(a.status + " " + a.contentType + " " + a.body);
                        break;
                    }
                } while (keepAlive && !stop.get());
            } catch (java.net.ConnectException e) {
                count(seen, "connection refused");
            } catch (IOException e) {
                count(seen, "connection reset");
            }
        }
    }

    private static byte[] request(boolean post, boolean keepAlive) {
        String connection = keepAlive ? "keep-alive" : "close";
        if (post) {
            String body = "{\"attachments\": \"not a list\"}";
            return ("POST /attachments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\nConnection: " + connection + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
        }
        return ("GET /files/ab/no-such-file.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: " + connection + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** @return the next answer, or {@code null} if the connection ended before a whole one arrived */
    private static Answer read(InputStream in) throws IOException {
        RawClient.Head head;
        try {
            head = RawClient.readHead(in);
        } catch (java.io.EOFException e) {
            return null; // cut off inside the head: the connection is gone, not a bare answer
        }
        if (head == null) {
            return null;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (long i = 0; i < head.contentLength(); i++) {
            int b = in.read();
            if (b < 0) {
                return null; // cut off inside the body: the connection is gone, not a bare answer
            }
            body.write(b);
        }
        return new Answer(head.status(), head.headers().get("content-type"), body.toString(StandardCharsets.UTF_8));
    }

    private static void count(Map<String, AtomicInteger> seen, String kind) {
        seen.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }
}
