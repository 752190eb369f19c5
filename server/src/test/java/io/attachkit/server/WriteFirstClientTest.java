package io.attachkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.StorageLimits;
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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that write their whole request body before they read the answer (Python's {@code http.client} and
 * {@code requests}, Java's {@code HttpURLConnection}) get the JSON error, not a connection reset: after an error answer
 * the server reads and discards the unread body (within {@link ServerLimits#maxLingerBytes()} and
 * {@link ServerLimits#lingerTimeout()}) before it closes the connection. The unread rest of each body is 12 MiB, more
 * than loopback's socket buffers (4 MiB to send, 6 MiB to receive) take without the server reading.
 */
class WriteFirstClientTest {
    static final int MAX_BODY = 64 << 20;
    static final int SMALL_MAX_BODY = 256 * 1024;
    static final int MAX_JSON = 64 * 1024;
    static final int MAX_PARTS = 10;
    /** More than the send and receive buffers of a loopback connection together. */
    static final int UNREAD = 12 << 20;

    @TempDir
    Path dir;
    ServerFixture fx;

    void start(ServerLimits limits) {
        fx = new ServerFixture(dir.resolve("store"), limits, StorageLimits.defaults());
    }

    void start() {
        start(ServerLimits.builder().maxBodySize(MAX_BODY).maxJsonBodySize(MAX_JSON).maxParts(MAX_PARTS).build());
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void bodyOverTheLimit_writtenWhole_gets413Json_andNothingIsStored() throws Exception {
        start(ServerLimits.builder().maxBodySize(SMALL_MAX_BODY).build());
        Multipart mp = new Multipart().file("f", "big.txt", "text/plain", "b".repeat(UNREAD).getBytes(StandardCharsets.US_ASCII));
        byte[] body = mp.build();
        Answer a = writeAllThenRead(post("/attachments", mp.contentType(), body.length), body);
        assertThat(a.status).isEqualTo(413);
        assertThat(a.header("Connection")).isEqualToIgnoringCase("close");
        assertThat(withoutRequestId(ServerFixture.json(a.body))).isEqualTo(error(413, "The request body (" + body.length
                + " bytes) is larger than the limit of " + SMALL_MAX_BODY + " bytes; nothing of it was stored"));
        assertThat(fx.storedFileCount()).isZero();
    }

    @Test
    void jsonOverTheJsonLimit_writtenWhole_gets413Json_andNothingIsStored() throws Exception {
        start();
        byte[] body = trackJson("j".repeat(UNREAD * 3 / 4)); // base64: about UNREAD bytes; under the body limit, over the JSON limit
        assertThat(body.length).isBetween(MAX_JSON + 1, MAX_BODY);
        Answer a = writeAllThenRead(post("/attachments", "application/json", body.length), body);
        assertThat(a.status).isEqualTo(413);
        assertThat(withoutRequestId(ServerFixture.json(a.body))).isEqualTo(error(413, "The request body (" + body.length
                + " bytes) is larger than the limit of " + MAX_JSON + " bytes; nothing of it was stored"));
        assertThat(fx.storedFileCount()).isZero();
    }

    @Test
    void chunkedBodyOverTheLimit_writtenWhole_gets413Json_andNothingIsStored() throws Exception {
        start(ServerLimits.builder().maxBodySize(SMALL_MAX_BODY).build());
        Multipart mp = new Multipart().file("f", "first.txt", "text/plain", "fine".getBytes(StandardCharsets.US_ASCII))
                .file("f", "big.txt", "text/plain", "c".repeat(UNREAD).getBytes(StandardCharsets.US_ASCII));
        byte[] chunked = chunked(mp.build());
        String head = "POST /attachments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + mp.contentType()
                + "\r\nTransfer-Encoding: chunked\r\n\r\n";
        Answer a = writeAllThenRead(head, chunked);
        assertThat(a.status).isEqualTo(413);
        assertThat(withoutRequestId(ServerFixture.json(a.body))).isEqualTo(error(413, "The request body is larger than the limit of "
                + SMALL_MAX_BODY + " bytes; nothing of it was stored"));
        assertThat(fx.storedFileCount()).as("the first part, stored before the limit tripped, is undone").isZero();
    }

    @Test
    void tooManyParts_writtenWhole_gets400Json_andTheStoredPartsAreUndone() throws Exception {
        start();
        Multipart mp = new Multipart();
        for (int i = 0; i < MAX_PARTS; i++) {
            mp.file("f", "part" + i + ".txt", "text/plain", ("part " + i + " ").repeat(2_000).getBytes(StandardCharsets.US_ASCII));
        }
        // the request is refused at the 11th part's head: all of it is still to come
        mp.file("f", "part10.txt", "text/plain", "x".repeat(UNREAD).getBytes(StandardCharsets.US_ASCII));
        byte[] body = mp.build();
        Answer a = writeAllThenRead(post("/attachments", mp.contentType(), body.length), body);
        assertThat(a.status).isEqualTo(400);
        assertThat(withoutRequestId(ServerFixture.json(a.body))).isEqualTo(error(400, "The request has more than " + MAX_PARTS
                + " attachments; at most " + MAX_PARTS + " are accepted per request"));
        assertThat(fx.storedFileCount()).isZero();
    }

    @Test
    void unsupportedType_writtenWhole_gets415Json() throws Exception {
        start();
        byte[] body = "t".repeat(UNREAD).getBytes(StandardCharsets.US_ASCII);
        Answer a = writeAllThenRead(post("/attachments", "text/plain", body.length), body);
        assertThat(a.status).isEqualTo(415);
        assertThat(withoutRequestId(ServerFixture.json(a.body))).isEqualTo(error(415, "POST /attachments takes application/json (mode base64)"
                + " or multipart/form-data (mode form_data), not 'text/plain'"));
        assertThat(fx.storedFileCount()).isZero();
    }

    @Test
    void malformedJson_writtenWhole_gets400Json() throws Exception {
        start();
        byte[] body = ("{\"attachments\":[{\"filename\":\"a.txt\",\"data\":\"" + "m".repeat(60_000) + "\"").getBytes(StandardCharsets.US_ASCII);
        Answer a = writeAllThenRead(post("/attachments", "application/json", body.length), body);
        assertThat(a.status).isEqualTo(400);
        assertThat(withoutRequestId(ServerFixture.json(a.body))).isEqualTo(error(400, "Track-attachments request is not valid JSON: Unexpected"
                + " end-of-input: expected close marker for Object (start marker at [Source: REDACTED"
                + " (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 17])"));
        assertThat(fx.storedFileCount()).isZero();
    }

    @Test
    void expectContinue_withContentLengthOverTheLimit_gets413InsteadOf100() throws Exception {
        start();
        try (Socket s = connect()) {
            s.getOutputStream().write(("POST /attachments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (MAX_JSON + 1) + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String answer = readToEnd(s.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413 ").doesNotContain("HTTP/1.1 100");
            assertThat(answer).containsIgnoringCase("Connection: close");
            assertThat(ServerFixture.json(answer.substring(answer.indexOf("\r\n\r\n") + 4))).containsEntry("status", 413);
        }
    }

    @Test
    void expectContinue_withinTheLimit_gets100_thenTheAnswer() throws Exception {
        start();
        byte[] body = trackJson("within the limit");
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /attachments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + "Content-Length: " + body.length + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            assertThat(readHead(in)).startsWith("HTTP/1.1 100 ");
            out.write(body);
            out.flush();
            assertThat(readToEnd(in)).startsWith("HTTP/1.1 200 ").contains("\"status\":\"stored\"");
        }
        assertThat(fx.storedFileCount()).isEqualTo(1);
    }

    @Test
    void bodyBeyondTheLingerBound_isCutOff_andTheServerGoesOn() throws Exception {
        start(ServerLimits.builder().maxBodySize(SMALL_MAX_BODY).maxLingerBytes(64 * 1024).build());
        byte[] body = new byte[64 << 20]; // far more than the linger bound plus both sides' socket buffers
        IOException writeFailed = null;
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(post("/attachments", "application/octet-stream", body.length).getBytes(StandardCharsets.US_ASCII));
            try {
                for (int off = 0; off < body.length; off += 64 * 1024) {
                    out.write(body, off, 64 * 1024);
                }
            } catch (IOException e) {
                writeFailed = e;
            }
        }
        assertThat(writeFailed).as("the server closed the connection before taking the whole body").isNotNull();
        assertThat(fx.get("/health").statusCode()).isEqualTo(200);
        assertThat(fx.storedFileCount()).isZero();
    }

    @Test
    void clientThatStopsSendingAfterTheError_isClosedAfterTheLingerTimeout() throws Exception {
        start(ServerLimits.builder().maxBodySize(SMALL_MAX_BODY).lingerTimeout(Duration.ofMillis(500)).build());
        try (Socket s = connect()) {
            s.getOutputStream().write(post("/attachments", "application/json", 10L << 20).getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(new byte[1000]);
            s.getOutputStream().flush();
            long start = System.nanoTime();
            String answer = readToEnd(s.getInputStream()); // the 413, then the close: not the 20 s socket timeout
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(answer).startsWith("HTTP/1.1 413 ");
            assertThat(millis).as("ms until the server closed").isLessThan(10_000);
        }
    }

    @Test
    void pythonHttpClient_getsThe413Json() throws Exception {
        start();
        Path script = dir.resolve("post.py");
        Files.writeString(script, String.join("\n",
                "import http.client, json, sys",
                "conn = http.client.HTTPConnection('127.0.0.1', int(sys.argv[1]), timeout=30)",
                "body = b'{\"attachments\":[{\"filename\":\"a.txt\",\"data\":\"' + b'QUFB' * (3 << 20) + b'\"}]}'",
                "conn.request('POST', '/attachments', body=body, headers={'Content-Type': 'application/json'})",
                "r = conn.getresponse()",
                "print(r.status)",
                "print(r.read().decode())",
                ""));
        Process p = new ProcessBuilder(List.of("python3", script.toString(), String.valueOf(fx.server.port())))
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("python3 finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        String[] lines = out.split("\n", 2);
        assertThat(lines[0]).isEqualTo("413");
        assertThat(ServerFixture.json(lines[1])).containsEntry("status", 413)
                .hasEntrySatisfying("error", e -> assertThat((String) e).contains("larger than the limit of " + MAX_JSON));
        assertThat(fx.storedFileCount()).isZero();
    }

    // ------------------------------------------------------------------ helpers

    /** @return the error JSON without its request id, after checking it has one (each request's own) */
    static Map<String, Object> withoutRequestId(Map<String, Object> json) {
        assertThat(json.get("request_id")).as("every error JSON carries its request id").isInstanceOf(String.class);
        Map<String, Object> rest = new LinkedHashMap<>(json);
        rest.remove("request_id");
        return rest;
    }

    static Map<String, Object> error(int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("error", message);
        return m;
    }

    static byte[] trackJson(String text) {
        return ("{\"attachments\":[{\"filename\":\"t.txt\",\"data\":\""
                + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "\"}]}").getBytes(StandardCharsets.US_ASCII);
    }

    static String post(String path, String contentType, long contentLength) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int off = 0; off < body.length; off += 8192) {
            int n = Math.min(8192, body.length - off);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, off, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", fx.server.port()), 5000);
        s.setSoTimeout(20_000);
        return s;
    }

    /** Writes the head and the whole body (no reading meanwhile, as Python's http.client does), then reads. */
    Answer writeAllThenRead(String head, byte[] body) throws IOException {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return readAnswer(s.getInputStream());
        }
    }

    /** Reads one answer: its head, then as many bytes as its Content-Length says (the connection may stay open). */
    static Answer readAnswer(InputStream in) throws IOException {
        Answer a = Answer.parse(readHead(in));
        byte[] body = in.readNBytes(Integer.parseInt(a.header("Content-Length")));
        return new Answer(a.status(), a.headers(), new String(body, StandardCharsets.UTF_8));
    }

    /** @return an answer's head, up to and with the empty line that ends it */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString(StandardCharsets.UTF_8);
    }

    /** A parsed HTTP/1.1 answer. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer parse(String raw) {
            int end = raw.indexOf("\r\n\r\n");
            assertThat(end).as("an HTTP answer, got: %s", raw).isPositive();
            String[] lines = raw.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, raw.substring(end + 4));
        }

        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }
}
