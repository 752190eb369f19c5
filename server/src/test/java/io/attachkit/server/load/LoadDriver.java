package io.attachkit.server.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent clients for a fixed time against the server: base64 JSON uploads, multipart uploads (up to 4 MiB,
 * streamed from a seed), full and ranged GETs, HEADs and conditional GETs of files uploaded before, each answer
 * checked against the content regenerated from its seed.
 */
final class LoadDriver {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

    /** What a request does. */
    enum Op { JSON_UPLOAD, MULTIPART_UPLOAD, GET, RANGE_GET, HEAD, CONDITIONAL_GET }

    /** A file the server reported as stored. */
    record Uploaded(LoadContent content, String fileId, String storagePath, String sha256) {
    }

    final URI base;
    final HttpClient http;
    final List<Uploaded> uploaded = Collections.synchronizedList(new ArrayList<>());
    final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    final Map<Op, AtomicLong> errorCounts = new EnumMap<>(Op.class);
    final Map<Op, List<Long>> latencies = new EnumMap<>(Op.class);
    final AtomicLong bytesUp = new AtomicLong();
    final AtomicLong bytesDown = new AtomicLong();
    final AtomicLong uploadRequestsFailed = new AtomicLong();
    /** Failures by {@link #kindOf kind}, for the kill variants of the load test, which expect some after the signal. */
    final Map<String, AtomicLong> errorKinds = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** Failures before {@link #signalledAt} (all of them if it is never set): the mix has no request that may fail. */
    final ConcurrentLinkedQueue<String> errorsBeforeSignal = new ConcurrentLinkedQueue<>();
    /** Failures after it whose kind is not one a stopping server may cause, with their messages. */
    final ConcurrentLinkedQueue<String> unexpectedAfterSignal = new ConcurrentLinkedQueue<>();
    private volatile long signalledAt = Long.MAX_VALUE;
    private final int[] mix = mix();

    LoadDriver(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        for (Op op : Op.values()) {
            errorCounts.put(op, new AtomicLong());
            latencies.put(op, Collections.synchronizedList(new ArrayList<>()));
        }
    }

    /**
     * Runs {@code clients} clients for {@code seconds}; each stops at the deadline after its request in flight.
     *
     * @return the wall time in nanoseconds
     */
    long run(int clients, int seconds, long seed) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(clients, r -> {
            Thread t = new Thread(r, "load-client");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            running.add(pool.submit(() -> clientLoop(client, new SplittableRandom(seed * 1_000_003L + client), deadline)));
        }
        pool.shutdown();
        if (!pool.awaitTermination(seconds + REQUEST_TIMEOUT.toSeconds() + 60, TimeUnit.SECONDS)) {
            pool.shutdownNow();
            throw new IllegalStateException("The load clients did not stop");
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("A load client crashed", e.getCause());
            }
        }
        return System.nanoTime() - start;
    }

    private void clientLoop(int client, SplittableRandom r, long deadline) {
        long n = 0;
        while (System.nanoTime() < deadline) {
            Op op = pick(r);
            long seed = ((long) client << 40) | n++;
            long t0 = System.nanoTime();
            try {
                once(op, r, client, seed);
                latencies.get(op).add(System.nanoTime() - t0);
            } catch (Exception | AssertionError e) {
                latencies.get(op).add(System.nanoTime() - t0);
                fail(op, e.toString());
                if (e instanceof java.net.ConnectException) {
                    pause(); // the server is gone: no busy loop of refused connects until the deadline
                }
            }
        }
    }

    /**
     * The mix, as percentages in {@link Op} order (system property {@code attachkit.load.mix}, e.g.
     * {@code 20,15,35,15,8,7}, the default).
     */
    static int[] mix() {
        String[] parts = System.getProperty("attachkit.load.mix", "20,15,35,15,8,7").split(",");
        int[] weights = new int[Op.values().length];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = Integer.parseInt(parts[i].trim());
        }
        return weights;
    }

    /** @return the next request; the warm-up has uploaded files before, so there is always one to download */
    private Op pick(SplittableRandom r) {
        int x = r.nextInt(100);
        for (Op op : Op.values()) {
            x -= mix[op.ordinal()];
            if (x < 0) {
                return op;
            }
        }
        return Op.GET;
    }

    void once(Op op, SplittableRandom r, int client, long seed) throws IOException, InterruptedException {
        switch (op) {
            case JSON_UPLOAD -> jsonUpload(r, client, seed);
            case MULTIPART_UPLOAD -> multipartUpload(r, client, seed);
            case GET -> get(randomUploaded(r));
            case RANGE_GET -> rangeGet(randomUploaded(r), r);
            case HEAD -> head(randomUploaded(r));
            case CONDITIONAL_GET -> conditionalGet(randomUploaded(r), r);
        }
    }

    /** Marks now as the moment the server was signalled: requests started from now on may fail as it stops. */
    void signalled() {
        signalledAt = System.nanoTime();
    }

    private void fail(Op op, String message) {
        errorCounts.get(op).incrementAndGet();
        if (errors.size() < 50) {
            errors.add(op + ": " + message);
        }
        String kind = kindOf(message);
        errorKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        // a request that began before the signal may still fail because of it (it was in flight when the server stopped)
        if (System.nanoTime() < signalledAt) {
            errorsBeforeSignal.add(op + ": " + message);
        } else if (kind.equals(OTHER) && unexpectedAfterSignal.size() < 50) {
            unexpectedAfterSignal.add(op + ": " + message);
        }
    }

    static final String OTHER = "other";

    /** @return what a failure says about the server: a 503 JSON answer, a refused connect, a lost connection, or other */
    static String kindOf(String message) {
        if (message.contains("answered 503 (application/json)") || message.contains("status 503 (application/json)")) {
            return "503 JSON";
        }
        if (message.startsWith("java.net.ConnectException")) {
            return "connection refused";
        }
        String m = message.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("connection reset") || m.contains("header parser received no bytes") || m.startsWith("java.io.eofexception")
                || m.contains("broken pipe") || m.contains("connection closed") || m.contains("closed locally")
                || m.equals("java.io.ioexception: closed")) {
            return "connection reset/closed";
        }
        return OTHER;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Uploaded randomUploaded(SplittableRandom r) {
        synchronized (uploaded) {
            return uploaded.get(r.nextInt(uploaded.size()));
        }
    }

    // ------------------------------------------------------------------ uploads

    private static LoadContent smallContent(SplittableRandom r, long seed) {
        LoadContent.Kind[] kinds = {LoadContent.Kind.TEXT, LoadContent.Kind.CSV, LoadContent.Kind.JSON};
        return new LoadContent(kinds[r.nextInt(kinds.length)], seed, 200 + r.nextInt(48 * 1024));
    }

    private static LoadContent multipartContent(SplittableRandom r, long seed) {
        int x = r.nextInt(100);
        if (x < 40) {
            return smallContent(r, seed);
        }
        int size = x < 70 ? (64 << 10) + r.nextInt(192 << 10) : x < 90 ? (1 << 20) + r.nextInt(1 << 18)
                : (2 << 20) + r.nextInt(2 << 20);
        return new LoadContent(r.nextBoolean() ? LoadContent.Kind.TEXT : LoadContent.Kind.GZIP, seed, size);
    }

    private void jsonUpload(SplittableRandom r, int client, long seed) throws IOException, InterruptedException {
        int count = 1 + r.nextInt(3);
        List<LoadContent> contents = new ArrayList<>();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LoadContent c = smallContent(r, seed * 4 + i);
            contents.add(c);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("filename", c.filename("json-" + client));
            item.put("mime_type", c.kind().mimeType);
            item.put("data", Base64.getEncoder().encodeToString(c.bytes()));
            items.add(item);
        }
        byte[] body = JSON.writeValueAsBytes(Map.of("conversation_id", "load-" + client, "mode", "base64", "attachments", items));
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/attachments")).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        bytesUp.addAndGet(body.length);
        checkUploadAnswer(http.send(req, HttpResponse.BodyHandlers.ofByteArray()), contents);
    }

    private void multipartUpload(SplittableRandom r, int client, long seed) throws IOException, InterruptedException {
        int count = 1 + r.nextInt(2);
        String boundary = "----attachkit-load-" + Long.toHexString(seed);
        List<LoadContent> contents = new ArrayList<>();
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
        long length = 0;
        byte[] field = ascii("--" + boundary + "\r\nContent-Disposition: form-data; name=\"conversation_id\"\r\n\r\nload-" + client + "\r\n");
        parts.add(HttpRequest.BodyPublishers.ofByteArray(field));
        length += field.length;
        for (int i = 0; i < count; i++) {
            LoadContent c = multipartContent(r, seed * 4 + i);
            contents.add(c);
            byte[] head = ascii("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
                    + c.filename("mp-" + client) + "\"\r\nContent-Type: " + c.kind().mimeType + "\r\n\r\n");
            parts.add(HttpRequest.BodyPublishers.ofByteArray(head));
            parts.add(HttpRequest.BodyPublishers.ofInputStream(c::open));
            parts.add(HttpRequest.BodyPublishers.ofByteArray(ascii("\r\n")));
            length += head.length + c.size() + 2;
        }
        byte[] end = ascii("--" + boundary + "--\r\n");
        parts.add(HttpRequest.BodyPublishers.ofByteArray(end));
        length += end.length;
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new)), length);
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/attachments")).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(body).build();
        bytesUp.addAndGet(length);
        checkUploadAnswer(http.send(req, HttpResponse.BodyHandlers.ofByteArray()), contents);
    }

    private void checkUploadAnswer(HttpResponse<byte[]> resp, List<LoadContent> contents) throws IOException {
        if (resp.statusCode() != 200) {
            uploadRequestsFailed.incrementAndGet();
            throw new AssertionError("upload answered " + resp.statusCode() + " (" + contentType(resp) + "): "
                    + new String(resp.body(), StandardCharsets.UTF_8));
        }
        JsonNode items = JSON.readTree(resp.body()).path("items");
        if (items.size() != contents.size()) {
            throw new AssertionError("upload of " + contents.size() + " files answered " + items.size() + " items");
        }
        for (int i = 0; i < contents.size(); i++) {
            JsonNode item = items.get(i);
            LoadContent c = contents.get(i);
            if (!item.path("success").asBoolean()) {
                uploadRequestsFailed.incrementAndGet();
                throw new AssertionError("item " + i + " (" + c + ") failed: " + item.path("error").asText());
            }
            JsonNode a = item.path("attachment");
            String expected = c.sha256();
            if (!expected.equals(a.path("sha256").asText()) || a.path("size").asLong() != c.size()) {
                throw new AssertionError("item " + i + " (" + c + ") was stored as " + a.path("size") + " bytes, sha256 "
                        + a.path("sha256") + "; expected " + expected);
            }
            uploaded.add(new Uploaded(c, a.path("file_id").asText(), a.path("storage_path").asText(), expected));
        }
    }

    // ------------------------------------------------------------------ downloads

    /** Checks a full GET of {@code u}: 200, its length, its ETag and exactly its bytes. */
    void get(Uploaded u) throws IOException, InterruptedException {
        HttpResponse<InputStream> resp = send(HttpRequest.newBuilder(files(u)).GET());
        expectStatus(resp, 200, u);
        expectHeader(resp, "ETag", "\"" + u.sha256() + "\"", u);
        expectHeader(resp, "Content-Length", String.valueOf(u.content().size()), u);
        expectBody(resp, u.sha256(), u.content().size(), u);
    }

    private void rangeGet(Uploaded u, SplittableRandom r) throws IOException, InterruptedException {
        int size = u.content().size();
        long startByte = r.nextInt(size);
        long endByte = Math.min(size - 1, startByte + r.nextInt(Math.min(size, 256 * 1024)));
        HttpResponse<InputStream> resp = send(HttpRequest.newBuilder(files(u)).GET().header("Range", "bytes=" + startByte + "-" + endByte));
        expectStatus(resp, 206, u);
        expectHeader(resp, "Content-Range", "bytes " + startByte + "-" + endByte + "/" + size, u);
        long length = endByte - startByte + 1;
        expectBody(resp, u.content().sha256(startByte, length), length, u);
    }

    private void head(Uploaded u) throws IOException, InterruptedException {
        HttpResponse<InputStream> resp = send(HttpRequest.newBuilder(files(u)).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        expectStatus(resp, 200, u);
        expectHeader(resp, "ETag", "\"" + u.sha256() + "\"", u);
        expectHeader(resp, "Content-Length", String.valueOf(u.content().size()), u);
        expectBody(resp, null, 0, u);
    }

    private void conditionalGet(Uploaded u, SplittableRandom r) throws IOException, InterruptedException {
        if (r.nextInt(4) == 0) { // a stale ETag: the whole file again
            HttpResponse<InputStream> resp = send(HttpRequest.newBuilder(files(u)).GET().header("If-None-Match", "\"stale\""));
            expectStatus(resp, 200, u);
            expectBody(resp, u.sha256(), u.content().size(), u);
            return;
        }
        HttpResponse<InputStream> resp = send(HttpRequest.newBuilder(files(u)).GET().header("If-None-Match", "\"" + u.sha256() + "\""));
        expectStatus(resp, 304, u);
        expectBody(resp, null, 0, u);
    }

    private URI files(Uploaded u) {
        return base.resolve("/files/" + u.storagePath());
    }

    private HttpResponse<InputStream> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static void expectStatus(HttpResponse<InputStream> resp, int status, Uploaded u) throws IOException {
        if (resp.statusCode() != status) {
            String body;
            try (InputStream in = resp.body()) {
                body = new String(in.readNBytes(2000), StandardCharsets.UTF_8);
            }
            throw new AssertionError(u.storagePath() + ": status " + resp.statusCode() + " (" + contentType(resp) + ") instead of "
                    + status + ": " + body);
        }
    }

    private static String contentType(HttpResponse<?> resp) {
        return resp.headers().firstValue("Content-Type").map(t -> t.split(";")[0].trim()).orElse("no type");
    }

    private static void expectHeader(HttpResponse<InputStream> resp, String name, String value, Uploaded u) throws IOException {
        String got = resp.headers().firstValue(name).orElse(null);
        if (!value.equals(got)) {
            resp.body().close();
            throw new AssertionError(u.storagePath() + ": " + name + " was " + got + ", expected " + value);
        }
    }

    /** Reads the whole body and checks its length and digest ({@code null}: it must be empty). */
    private void expectBody(HttpResponse<InputStream> resp, String sha256, long length, Uploaded u) throws IOException {
        MessageDigest md = LoadContent.sha256Digest();
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = resp.body()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                total += n;
            }
        }
        bytesDown.addAndGet(total);
        if (total != length) {
            throw new AssertionError(u.storagePath() + ": " + total + " body bytes, expected " + length);
        }
        if (sha256 != null && !sha256.equals(HexFormat.of().formatHex(md.digest()))) {
            throw new AssertionError(u.storagePath() + ": the body's sha256 differs from the uploaded bytes'");
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
