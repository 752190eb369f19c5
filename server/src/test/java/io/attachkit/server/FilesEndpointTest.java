package io.attachkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import java.util.Map;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilesEndpointTest {
    @TempDir
    Path dir;
    ServerFixture fx;
    StoredFile text;
    byte[] textBytes = "hello attachkit, this is a plain text file\n".repeat(10).getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void start() {
        fx = new ServerFixture(dir.resolve("store"), ServerLimits.defaults(),
                StorageLimits.builder(Map.of()).allowMimeType("text/html").allowMimeType("application/xml").build());
        text = fx.store.save(new ByteArrayInputStream(textBytes), "résumé notes.txt", "text/plain");
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void get_streamsTheFileWithTypeLengthEtagAndLastModified() throws Exception {
        HttpResponse<byte[]> r = fx.client.send(HttpRequest.newBuilder(fx.uri(text.url())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(textBytes);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(textBytes.length);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(textBytes));
        assertThat(r.headers().firstValue("ETag")).hasValue("\"" + sha + "\"");
        assertThat(r.headers().firstValue("Last-Modified")).isPresent();
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Content-Disposition"))
                .hasValue("inline; filename=\"r_sum_ notes.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20notes.txt");
    }

    @Test
    void get_ofAFileDeletedSinceItWasServed_isA404JsonWithoutTheFilesHeaders() throws Exception {
        assertThat(fx.get(text.url()).statusCode()).isEqualTo(200); // its metadata is now reused for a while
        fx.store.delete(text.fileId(), text.storagePath());
        HttpResponse<String> r = fx.get(text.url());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(r.body()).contains("\"status\":404");
        assertThat(r.headers().firstValue("ETag")).as("no header of the deleted file").isEmpty();
        assertThat(r.headers().firstValue("Content-Disposition")).isEmpty();
        assertThat(fx.get(text.url()).statusCode()).as("and again, once its metadata is read anew").isEqualTo(404);
    }

    @Test
    void fileServing_readsAFilesMetadataOncePerLifetime_orForEveryRequestWithZero() throws Exception {
        java.util.concurrent.atomic.AtomicInteger stats = new java.util.concurrent.atomic.AtomicInteger();
        io.attachkit.FileStore counting = new io.attachkit.ForwardingFileStore(fx.store) {
            @Override
            public StoredFile stat(String fileId, String storagePath) {
                stats.incrementAndGet();
                return super.stat(fileId, storagePath);
            }
        };
        io.attachkit.serving.ServingRequest get = io.attachkit.serving.ServingRequest.of("GET", text.storagePath(), name -> null);
        io.attachkit.serving.FileServing reusing = new io.attachkit.serving.FileServing(counting, java.time.Duration.ofMinutes(5));
        for (int i = 0; i < 3; i++) {
            assertThat(reusing.respond(get).headers()).containsEntry("Content-Length", String.valueOf(textBytes.length));
        }
        assertThat(stats.get()).as("store reads for three requests within the lifetime").isEqualTo(1);
        stats.set(0);
        io.attachkit.serving.FileServing fresh = new io.attachkit.serving.FileServing(counting, java.time.Duration.ZERO);
        for (int i = 0; i < 3; i++) {
            fresh.respond(get);
        }
        assertThat(stats.get()).as("store reads for three requests without reuse").isEqualTo(3);
        fx.store.delete(text.fileId(), text.storagePath());
        io.attachkit.serving.ServingResponse stale = reusing.respond(get);
        assertThat(stale.status()).as("a delete made around it is seen when the body is opened").isEqualTo(200);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reusing.openBody(stale))
                .isInstanceOf(io.attachkit.StoredFileNotFoundException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reusing.respond(get))
                .as("then forgotten").isInstanceOf(io.attachkit.StoredFileNotFoundException.class);
    }

    @Test
    void largeFile_toASlowReader_arrivesWhole_andTheConnectionServesTheNextRequest() throws Exception {
        // far more than a socket buffer holds, read slowly: most of it is sent on from the I/O thread
        byte[] big = new byte[24 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + (i * 31 + (i >>> 13)) % 26);
        }
        StoredFile f = fx.store.save(new ByteArrayInputStream(big), "big.txt", "text/plain");
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", fx.server.port()), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            String get = "GET " + f.url() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            out.write(get.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long length = readHead(in);
            assertThat(length).isEqualTo(big.length);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[16 * 1024];
            long got = 0;
            while (got < length) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, length - got));
                assertThat(n).as("bytes after %d of %d", got, length).isPositive();
                sha.update(buf, 0, n);
                got += n;
                if (got < (2 << 20)) {
                    Thread.sleep(1); // slow at first: the server fills the socket and waits for room many times
                }
            }
            assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(f.sha256());
            out.write(("GET " + f.url() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=0-9\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readHead(in)).as("the kept-alive connection answers a second request").isEqualTo(10);
            assertThat(new String(in.readNBytes(10), StandardCharsets.US_ASCII)).isEqualTo(new String(big, 0, 10, StandardCharsets.US_ASCII));
        }
    }

    /** @return the Content-Length of the answer whose head this reads */
    private static long readHead(InputStream in) throws java.io.IOException {
        RawClient.Head head = RawClient.readHead(in);
        if (head == null) {
            throw new java.io.EOFException("the connection closed before the answer");
        }
        return head.contentLength();
    }

    @Test
    void head_sendsTheHeadersWithoutABody() throws Exception {
        HttpResponse<String> r = fx.client.send(HttpRequest.newBuilder(fx.uri(text.url())).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(textBytes.length);
        assertThat(r.headers().firstValue("ETag")).isPresent();
    }

    @Test
    void conditionalGet_withMatchingEtagOrDate_is304WithoutBody() throws Exception {
        String etag = fx.get(text.url()).headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> byTag = fx.get(text.url(), "If-None-Match", "\"other\", " + etag);
        assertThat(byTag.statusCode()).isEqualTo(304);
        assertThat(byTag.body()).isEmpty();
        assertThat(fx.get(text.url(), "If-None-Match", "\"stale\"").statusCode()).isEqualTo(200);
        String lastModified = fx.get(text.url()).headers().firstValue("Last-Modified").orElseThrow();
        assertThat(fx.get(text.url(), "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
        assertThat(fx.get(text.url(), "If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT").statusCode()).isEqualTo(200);
    }

    @Test
    void range_servesTheRequestedSliceAs206() throws Exception {
        HttpResponse<String> r = fx.get(text.url(), "Range", "bytes=6-14");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.body()).isEqualTo("attachkit");
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 6-14/" + textBytes.length);

        HttpResponse<String> suffix = fx.get(text.url(), "Range", "bytes=-5");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(new String(textBytes, textBytes.length - 5, 5, StandardCharsets.UTF_8));

        HttpResponse<String> open = fx.get(text.url(), "Range", "bytes=" + (textBytes.length - 3) + "-");
        assertThat(open.body()).hasSize(3);
    }

    @Test
    void range_beyondTheEnd_is416WithTheSize() throws Exception {
        HttpResponse<String> r = fx.get(text.url(), "Range", "bytes=" + textBytes.length + "-");
        assertThat(r.statusCode()).isEqualTo(416);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes */" + textBytes.length);
    }

    @Test
    void range_withSignsOrNonAsciiDigits_isIgnoredNot416() throws Exception {
        // found by ServerParsersFuzzTest#rangeHeader: Long.parseLong read "--0" as a suffix of 0 (416) and "+0" as 0
        for (String header : new String[] {"bytes=--0", "bytes=+0-4", "bytes=-+5"}) {
            HttpResponse<String> r = fx.get(text.url(), "Range", header);
            assertThat(r.statusCode()).as(header).isEqualTo(200);
            assertThat(r.body()).as(header).isEqualTo(new String(textBytes, StandardCharsets.UTF_8));
        }
    }

    @Test
    void range_withStaleIfRange_servesTheWholeFile() throws Exception {
        HttpResponse<String> r = fx.get(text.url(), "Range", "bytes=0-4", "If-Range", "\"not-the-etag\"");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).hasSize(textBytes.length);
    }

    @Test
    void htmlAndSvg_areServedAsDownloadsNeverInline() throws Exception {
        StoredFile html = fx.store.save(new ByteArrayInputStream("<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8)),
                "page.html", "text/plain");
        StoredFile svg = fx.store.save(new ByteArrayInputStream(
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".getBytes(StandardCharsets.UTF_8)),
                "logo.svg", "image/svg+xml");
        StoredFile xml = fx.store.save(new ByteArrayInputStream(
                "<?xml version=\"1.0\"?><doc><x>1</x></doc>".getBytes(StandardCharsets.UTF_8)), "data.xml", "application/xml");
        for (StoredFile f : new StoredFile[] {html, svg, xml}) {
            HttpResponse<String> r = fx.get(f.url());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment;");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("sandbox");
        }
        assertThat(fx.get(svg.url()).headers().firstValue("Content-Type")).hasValue("image/svg+xml");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/files/../../etc/passwd", "/files/%2e%2e/%2e%2e/etc/passwd", "/files/ab%2f..%2f..%2fsecret",
            "/files/ab/..%5c..%5csecret", "/files//etc/passwd", "/files/%2Fetc%2Fpasswd", "/files/ab/cd/../../x.txt",
            "/files/..", "/files/"})
    void traversalAttempts_areRefusedWithoutTouchingTheDisk(String rawPath) throws Exception {
        Path outside = dir.resolve("secret");
        Files.writeString(outside, "top secret");
        int status = rawStatus(rawPath);
        assertThat(status).isIn(400, 404);
    }

    @Test
    void rawBackslashTraversal_isRefused() throws Exception {
        assertThat(rawStatus("/files/ab\\..\\..\\secret")).isIn(400, 404);
        assertThat(rawStatus("/files/C:\\Windows\\win.ini")).isIn(400, 404);
    }

    @Test
    void unknownFileOrWrongExtension_is404() throws Exception {
        assertThat(fx.get("/files/ab/cdefabcdefabcdef.txt").statusCode()).isEqualTo(404);
        String wrongExtension = text.url().replace(".txt", ".html");
        HttpResponse<String> r = fx.get(wrongExtension);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(ServerFixture.json(r.body())).containsEntry("status", 404);
    }

    @Test
    void post_isNotAllowedOnFiles() throws Exception {
        HttpResponse<String> r = fx.post(text.url(), "text/plain", new byte[1]);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    /** Sends the request line byte for byte, so no client library normalises the path first. */
    private int rawStatus(String rawPath) throws Exception {
        try (Socket s = new Socket("127.0.0.1", fx.server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + rawPath + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).doesNotContain("top secret");
            return Integer.parseInt(response.substring(9, 12));
        }
    }
    /**
     * Whole files and ranges, many times over one kept-alive connection: every answer is complete and the server
     * never closes the connection under the client (a response stream that miscounts its length truncates and closes).
     */
    @Test
    void manyGetsAndRanges_overOneKeptAliveConnection_allArriveWhole() throws Exception {
        byte[] big = new byte[300_000];
        new java.util.Random(7).nextBytes(big);
        StoredFile image = fx.store.save(new ByteArrayInputStream(big), "noise.bin", "text/plain");
        try (Socket s = new Socket("127.0.0.1", fx.server.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            for (int i = 0; i < 300; i++) {
                String range = i % 3 == 0 ? "" : i % 3 == 1 ? "Range: bytes=" + i + "-" + (i * 500) + "\r\n" : "Range: bytes=-" + (i * 7) + "\r\n";
                out.write(("GET " + image.url() + " HTTP/1.1\r\nHost: x\r\n" + range + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    int b = in.read();
                    assertThat(b).as("request %d: the connection was closed", i).isNotNegative();
                    head.append((char) b);
                }
                String h = head.toString();
                assertThat(h).as("request %d", i).startsWith(range.isEmpty() ? "HTTP/1.1 200" : "HTTP/1.1 206").doesNotContainIgnoringCase("Connection: close");
                int length = Integer.parseInt(h.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
                byte[] body = in.readNBytes(length);
                assertThat(body.length).as("request %d", i).isEqualTo(length);
                int start = range.isEmpty() ? 0 : i % 3 == 1 ? i : big.length - i * 7;
                assertThat(body).as("request %d", i).isEqualTo(java.util.Arrays.copyOfRange(big, start, start + length));
            }
        }
    }
}
