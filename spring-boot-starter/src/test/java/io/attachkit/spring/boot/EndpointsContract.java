package io.attachkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.FileStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What a Spring Boot application with the starter answers over real HTTP, whichever store is configured: uploads in
 * the server's formats, limits and JSON, then downloads with the server's serving rules, the health of the store
 * and the metrics. Each subclass starts the application on a random port with one store.
 */
abstract class EndpointsContract extends EndpointsSupport {
    /** The limits set in the subclasses' properties, small so that a test body crosses them. */
    static final int MAX_JSON = 64 * 1024;
    static final int MAX_BODY = 256 * 1024;
    static final String LIMIT_PROPERTIES_JSON = "attachkit.web.max-json-body-size=64KB";
    static final String LIMIT_PROPERTIES_BODY = "attachkit.web.max-body-size=256KB";

    final byte[] text = "hello attachkit from spring boot\n".repeat(40).getBytes(StandardCharsets.UTF_8);

    @Autowired
    FileStore store;
    @Autowired
    MeterRegistry meters;

    /** @return the backend name the health indicator reports */
    abstract String backend();

    /** Uploads one file as multipart and waits for its processing; @return its Tyler JSON */
    Map<String, Object> upload(String filename, String type, byte[] content) throws Exception {
        Multipart mp = new Multipart().field("conversation_id", "c-1").file("file", filename, type, content);
        HttpResponse<byte[]> r = post("/api/attachments?wait=20", mp.contentType(), mp.build());
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        Map<String, Object> item = item(json(r.body()), 0);
        assertThat(item).containsEntry("success", true);
        return attachment(item);
    }

    @Test
    void multipartUpload_isStoredAndProcessed_thenServedWithTheServersHeaders() throws Exception {
        Map<String, Object> a = upload("notes.txt", "text/plain", text);
        assertThat(a).containsEntry("filename", "notes.txt").containsEntry("mime_type", "text/plain")
                .containsEntry("status", "stored").containsEntry("storage_backend", backend())
                .containsEntry("processing_status", "done")
                .containsKeys("file_id", "storage_path", "processed_content");
        @SuppressWarnings("unchecked")
        Map<String, Object> processed = (Map<String, Object>) a.get("processed_content");
        assertThat((String) processed.get("text")).startsWith("hello attachkit from spring boot");
        assertThat(processed.get("url")).isEqualTo("/files/" + a.get("storage_path"));

        HttpResponse<byte[]> r = get("/api" + processed.get("url"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(text);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
        assertThat(r.headers().firstValue("ETag")).hasValue("\"" + sha + "\"");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(text.length);
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; sandbox");
        assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(r.headers().firstValue("Last-Modified")).isPresent();
        assertThat(r.headers().firstValue("Content-Disposition"))
                .hasValue("inline; filename=\"notes.txt\"; filename*=UTF-8''notes.txt");

        HttpResponse<byte[]> head = client.send(HttpRequest.newBuilder(uri("/api" + processed.get("url")))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(text.length);
    }

    @Test
    void base64JsonUpload_isAnsweredInTheTrackAttachmentsShape() throws Exception {
        String body = "{\"conversation_id\":\"c-2\",\"attachments\":[{\"filename\":\"a.txt\",\"data\":\""
                + Base64.getEncoder().encodeToString(text) + "\"},{\"filename\":\"broken.txt\",\"data\":\"not base64!\"}]}";
        HttpResponse<byte[]> r = post("/api/attachments", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        // Tomcat writes the charset without the space the server sends: the same media type and charset
        assertThat(r.headers().firstValue("Content-Type").orElseThrow().replace(" ", "")).isEqualTo("application/json;charset=utf-8");
        Map<String, Object> answer = json(r.body());
        assertThat(answer.get("summary")).isEqualTo(Map.of("attachments", 1, "errors", 1));
        assertThat(item(answer, 0)).containsEntry("index", 0).containsEntry("type", "attachment").containsEntry("success", true)
                .containsKey("timestamp");
        assertThat(attachment(item(answer, 0))).containsEntry("filename", "a.txt").containsEntry("status", "stored");
        assertThat(item(answer, 1)).containsEntry("index", 1).containsEntry("success", false)
                .containsEntry("filename", "broken.txt").containsKey("error");
        String path = (String) attachment(item(answer, 0)).get("storage_path");
        assertThat(get("/api/files/" + path).body()).isEqualTo(text);
    }

    @Test
    void range_is206_ifNoneMatch_is304_pastTheEnd_is416_andAStaleIfRangeGetsTheWholeFile() throws Exception {
        String url = "/api/files/" + upload("range.txt", "text/plain", text).get("storage_path");
        String etag = get(url).headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> part = get(url, "Range", "bytes=6-14");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(new String(part.body(), StandardCharsets.UTF_8)).isEqualTo("attachkit");
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 6-14/" + text.length);
        HttpResponse<byte[]> suffix = get(url, "Range", "bytes=-5");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(new String(suffix.body(), StandardCharsets.UTF_8)).isEqualTo("boot\n");

        HttpResponse<byte[]> notModified = get(url, "If-None-Match", "\"other\", " + etag);
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(get(url, "If-None-Match", "\"stale\"").statusCode()).isEqualTo(200);

        HttpResponse<byte[]> past = get(url, "Range", "bytes=" + text.length + "-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */" + text.length);
        assertThat(json(past.body())).isEqualTo(error(416, "Range not satisfiable for a file of " + text.length + " bytes"));

        HttpResponse<byte[]> stale = get(url, "Range", "bytes=0-4", "If-Range", "\"changed\"");
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(text);
        HttpResponse<byte[]> current = get(url, "Range", "bytes=0-4", "If-Range", etag);
        assertThat(current.statusCode()).isEqualTo(206);
        assertThat(new String(current.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    /** A browser's own request shapes, through another HTTP stack (HttpURLConnection): resume a download, revalidate. */
    @Test
    void browserLikeClient_resumesWithRange_andRevalidatesWithIfNoneMatch() throws Exception {
        String url = "/api/files/" + upload("browser.txt", "text/plain", text).get("storage_path");
        HttpURLConnection first = browser(url);
        assertThat(first.getResponseCode()).isEqualTo(200);
        String etag = first.getHeaderField("ETag");
        byte[] whole = readAll(first);
        assertThat(whole).isEqualTo(text);

        HttpURLConnection resume = browser(url);
        resume.setRequestProperty("Range", "bytes=100-");
        resume.setRequestProperty("If-Range", etag);
        assertThat(resume.getResponseCode()).isEqualTo(206);
        assertThat(resume.getHeaderField("Content-Range")).isEqualTo("bytes 100-" + (text.length - 1) + "/" + text.length);
        assertThat(readAll(resume)).isEqualTo(java.util.Arrays.copyOfRange(text, 100, text.length));

        HttpURLConnection revalidate = browser(url);
        revalidate.setRequestProperty("If-None-Match", etag);
        revalidate.setRequestProperty("Cache-Control", "max-age=0");
        assertThat(revalidate.getResponseCode()).isEqualTo(304);
        assertThat(revalidate.getHeaderField("ETag")).isEqualTo(etag);
    }

    private HttpURLConnection browser(String path) throws Exception {
        HttpURLConnection c = (HttpURLConnection) uri(path).toURL().openConnection();
        c.setRequestProperty("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0");
        c.setRequestProperty("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        c.setRequestProperty("Accept-Language", "en-US,en;q=0.5");
        c.setRequestProperty("Accept-Encoding", "gzip, deflate, br");
        c.setRequestProperty("Sec-Fetch-Dest", "document");
        c.setRequestProperty("Sec-Fetch-Mode", "navigate");
        c.setUseCaches(false);
        return c;
    }

    private static byte[] readAll(HttpURLConnection c) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = c.getInputStream()) {
            in.transferTo(out);
        }
        return out.toByteArray();
    }

    @Test
    void activeTypes_areDownloadsUnderASandboxingPolicy() throws Exception {
        byte[] html = "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
                .getBytes(StandardCharsets.UTF_8);
        Map<String, Object> a = upload("page.html", "text/html", html);
        HttpResponse<byte[]> r = get("/api/files/" + a.get("storage_path"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"page.html\"; filename*=UTF-8''page.html");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; sandbox");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> s = upload("logo.svg", "image/svg+xml", svg);
        assertThat(get("/api/files/" + s.get("storage_path")).headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment;");
    }

    @Test
    void unknownAndUnsafePaths_areAnsweredWithTheServersJson() throws Exception {
        HttpResponse<byte[]> missing = get("/api/files/ab/abababababababababababababababab.txt");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing.body())).containsEntry("status", 404).containsKey("error");
        HttpResponse<byte[]> traversal = get("/api/files/%2e%2e/%2e%2e/etc/passwd");
        assertThat(traversal.statusCode()).isEqualTo(400);
        assertThat(json(traversal.body())).containsEntry("status", 400);
        HttpResponse<byte[]> put = client.send(HttpRequest.newBuilder(uri("/api/files/ab/cd.txt"))
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(json(put.body())).isEqualTo(error(405, "Method PUT is not allowed on /files; use GET or HEAD"));
    }

    @Test
    void jsonBodyOverTheLimit_is413WithTheServersJson_andNothingIsStored() throws Exception {
        long before = store.fileCount();
        String body = "{\"attachments\":[{\"filename\":\"big.txt\",\"data\":\""
                + Base64.getEncoder().encodeToString(new byte[MAX_JSON]) + "\"}]}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = post("/api/attachments", "application/json", bytes);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r.body())).isEqualTo(error(413, "The request body (" + bytes.length
                + " bytes) is larger than the limit of " + MAX_JSON + " bytes; nothing of it was stored"));
        assertThat(store.fileCount()).isEqualTo(before);
    }

    @Test
    void chunkedMultipartOverTheLimit_is413_andThePartStoredBeforeItIsDeletedAgain() throws Exception {
        long before = store.fileCount();
        Multipart mp = new Multipart().file("f", "first.txt", "text/plain", "fine and small".getBytes(StandardCharsets.US_ASCII))
                .file("f", "big.txt", "text/plain", "c".repeat(MAX_BODY + 1).getBytes(StandardCharsets.US_ASCII));
        byte[] body = mp.build();
        // no Content-Length: the limit can only trip while streaming, after the first part was stored
        HttpRequest request = HttpRequest.newBuilder(uri("/api/attachments")).header("Content-Type", mp.contentType())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build();
        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r.body())).isEqualTo(error(413, "The request body is larger than the limit of " + MAX_BODY
                + " bytes; nothing of it was stored"));
        assertThat(store.fileCount()).isEqualTo(before);
    }

    @Test
    void theApplicationsOwnMultipartEndpoints_stillGetSpringsMultipartFile() throws Exception {
        Multipart mp = new Multipart().file("file", "own.txt", "text/plain", text);
        HttpResponse<byte[]> r = post("/app/upload", mp.contentType(), mp.build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("own.txt:" + text.length);
    }

    @Test
    void aRequestTypeOtherThanJsonOrMultipart_is415WithTheServersJson() throws Exception {
        HttpResponse<byte[]> r = post("/api/attachments", "text/plain", text);
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(json(r.body())).isEqualTo(error(415, "POST /attachments takes application/json (mode base64)"
                + " or multipart/form-data (mode form_data), not 'text/plain'"));
    }

    @Test
    void aFileOfARefusedType_failsAsItsItem_andCountsAsAStoreFailure() throws Exception {
        double failuresBefore = failures("UnsupportedFileTypeException");
        byte[] exe = new byte[512];
        exe[0] = 'M';
        exe[1] = 'Z';
        exe[60] = (byte) 0x80; // PE header offset
        byte[] pe = {'P', 'E', 0, 0};
        System.arraycopy(pe, 0, exe, 0x80, 4);
        Multipart mp = new Multipart().file("f", "tool.exe", "application/octet-stream", exe)
                .file("f", "ok.txt", "text/plain", text);
        HttpResponse<byte[]> r = post("/api/attachments", mp.contentType(), mp.build());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Object> answer = json(r.body());
        assertThat(item(answer, 0)).containsEntry("success", false).containsEntry("filename", "tool.exe");
        assertThat((String) item(answer, 0).get("error")).contains("has unsupported type application/x-dosexec");
        assertThat(item(answer, 1)).containsEntry("success", true);
        assertThat(failures("UnsupportedFileTypeException")).isEqualTo(failuresBefore + 1);
    }

    private double failures(String exception) {
        var c = meters.find("attachkit.store.failures").tag("exception", exception).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void metrics_countSavesAndBytes_timeEachProcessor_andGaugeTheQueue() throws Exception {
        double saves = count("attachkit.store.saves");
        double bytes = count("attachkit.store.saved.bytes");
        // bytes never seen before: a result kept from an earlier run would be read, not processed (and not timed)
        byte[] fresh = (new String(text, StandardCharsets.UTF_8) + java.util.UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        upload("metered.txt", "text/plain", fresh);
        assertThat(count("attachkit.store.saves")).isEqualTo(saves + 1);
        assertThat(count("attachkit.store.saved.bytes")).isEqualTo(bytes + fresh.length);
        assertThat(meters.get("attachkit.processing").tag("processor", "text").tag("outcome", "done").timer().count())
                .isPositive();
        assertThat(meters.get("attachkit.processing.queue.depth").gauge().value()).isGreaterThanOrEqualTo(0);

        // and through Actuator, as an operator reads them
        HttpResponse<byte[]> r = get("/actuator/metrics/attachkit.store.saves");
        assertThat(r.statusCode()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> measurements = (List<Map<String, Object>>) json(r.body()).get("measurements");
        assertThat(((Number) measurements.get(0).get("value")).doubleValue()).isEqualTo(saves + 1);
    }

    private double count(String name) {
        var c = meters.find(name).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void health_showsTheStoresCheck() throws Exception {
        upload("healthy.txt", "text/plain", text);
        HttpResponse<byte[]> r = get("/actuator/health");
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> attachkit = (Map<String, Object>) ((Map<String, Object>) json(r.body()).get("components")).get("attachkit");
        assertThat(attachkit).containsEntry("status", "UP");
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) attachkit.get("details");
        assertThat(details).containsEntry("backend", backend());
        assertThat(((Number) details.get("fileCount")).longValue()).isPositive();
        assertThat(((Number) details.get("storageSize")).longValue()).isPositive();
        healthDetails(details);
    }

    /** @param details the indicator's details, for a backend's own checks */
    void healthDetails(Map<String, Object> details) {
    }
}
