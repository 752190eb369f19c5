package io.attachkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.StorageLimits;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestEndpointsTest {
    static final String CSV = "a,b\n2,123\n-3,4124\n1,7";
    @TempDir
    Path dir;
    ServerFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private ServerFixture start(ServerLimits limits, StorageLimits storage) {
        fx = new ServerFixture(dir.resolve("store"), limits, storage);
        return fx;
    }

    private ServerFixture start() {
        return start(ServerLimits.defaults(), StorageLimits.defaults());
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> response) {
        return (List<Map<String, Object>>) response.get("items");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @Test
    void query_theAgentDocsRequest_answersTheStoredCsvAndTheTextInOrder() throws Exception {
        start();
        String body = "{\"kwargs\":{\"session_id\":\"s-42\"},\"parts\":["
                + "{\"type\":\"file\",\"name\":\"data.csv\",\"mimeType\":\"text/csv\",\"base64\":\"" + b64(CSV) + "\"},"
                + "{\"type\":\"text\",\"text\":\"What's the sum of the first column\"}]}";
        HttpResponse<String> r = fx.post("/query", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Object> json = ServerFixture.json(r.body());
        assertThat(map(json.get("kwargs"))).containsEntry("session_id", "s-42");
        List<Map<String, Object>> context = (List<Map<String, Object>>) (List<?>) json.get("context");
        assertThat(context).extracting(m -> m.get("type")).containsExactly("file", "text");
        assertThat(context.get(1)).containsEntry("text", "What's the sum of the first column");
        Map<String, Object> attachment = map(context.get(0).get("attachment"));
        assertThat(attachment).containsEntry("filename", "data.csv").containsEntry("mime_type", "text/csv")
                .containsEntry("status", "stored").containsEntry("storage_backend", "local");
        String url = (String) map(attachment.get("processed_content")).get("url");
        assertThat(url).isEqualTo("/files/" + attachment.get("storage_path"));
        // the stored bytes are served back at the URL
        assertThat(fx.get(url).body()).isEqualTo(CSV);
        assertThat(map(json.get("summary"))).containsEntry("stored", 1).containsEntry("texts", 1);
    }

    @Test
    void query_withACustomAgentHandler_answersWithTheAgentsJson() throws Exception {
        fx = new ServerFixture(dir.resolve("store"));
        fx.server.close();
        try (AttachkitServer agentServer = AttachkitServer.builder().store(fx.store).port(0)
                .agentHandler(ctx -> Map.of("answer", "seen " + ctx.attachments().size() + " file(s): " + ctx.text())).build().start()) {
            String body = "{\"parts\":[{\"type\":\"file\",\"name\":\"a.txt\",\"base64\":\"" + b64("hi") + "\"},{\"type\":\"text\",\"text\":\"sum?\"}]}";
            HttpResponse<String> r = fx.client.send(java.net.http.HttpRequest.newBuilder(agentServer.baseUri().resolve("/query"))
                    .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ServerFixture.json(r.body())).containsEntry("answer", "seen 1 file(s): sum?");
        }
    }

    @Test
    void query_withInvalidBase64_is400AndStoresNothing() throws Exception {
        start();
        String body = "{\"parts\":[{\"type\":\"file\",\"name\":\"ok.txt\",\"base64\":\"" + b64("fine") + "\"},"
                + "{\"type\":\"file\",\"name\":\"bad.txt\",\"base64\":\"@@not base64@@\"}]}";
        HttpResponse<String> r = fx.post("/query", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat((String) ServerFixture.json(r.body()).get("error")).contains("part 1").contains("base64");
        assertThat(fx.storedFileCount()).isZero();
    }

    @Test
    void track_base64Json_withMixedItems_reportsEachItemAndTheSummary() throws Exception {
        start();
        String body = "{\"conversation_id\":\"c-1\",\"metadata\":{\"user\":\"u1\"},\"mode\":\"base64\",\"attachments\":["
                + "{\"filename\":\"notes.txt\",\"mime_type\":\"text/plain\",\"data\":\"" + b64("some notes") + "\"},"
                + "{\"filename\":\"broken.txt\",\"mime_type\":\"text/plain\",\"data\":\"!!!\"},"
                + "{\"filename\":\"bytes.txt\",\"data\":[104,105]},"
                + "{\"mime_type\":\"text/plain\",\"data\":\"" + b64("x") + "\"},"
                + "{\"filename\":\"data.csv\",\"mime_type\":\"text/csv\",\"data\":\"" + b64(CSV) + "\"},"
                + "{\"filename\":\"tool.exe\",\"data\":\"" + Base64.getEncoder().encodeToString(new byte[] {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0, 4, 0}) + "\"}]}";
        HttpResponse<String> r = fx.post("/attachments", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Object> json = ServerFixture.json(r.body());
        List<Map<String, Object>> items = items(json);
        assertThat(items).extracting(i -> i.get("index")).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(items).extracting(i -> i.get("success")).containsExactly(true, false, false, false, true, false);
        assertThat(items).allSatisfy(i -> assertThat(i).containsEntry("type", "attachment").containsKey("timestamp"));
        assertThat((String) items.get(1).get("error")).contains("base64");
        assertThat((String) items.get(2).get("error")).contains("mode is 'base64' but data is raw bytes");
        assertThat((String) items.get(3).get("error")).contains("filename");
        assertThat((String) items.get(5).get("error")).contains("unsupported type");
        assertThat(map(items.get(0).get("attachment"))).containsEntry("filename", "notes.txt").containsEntry("status", "stored");
        assertThat(map(json.get("summary"))).containsEntry("attachments", 2).containsEntry("errors", 4);
        assertThat(fx.storedFileCount()).isEqualTo(2);
    }

    @Test
    void track_formDataModeInJson_isAPerItemError() throws Exception {
        start();
        String body = "{\"mode\":\"form_data\",\"attachments\":[{\"filename\":\"a.txt\",\"data\":\"" + b64("a") + "\"}]}";
        Map<String, Object> json = ServerFixture.json(fx.post("/attachments", "application/json", body.getBytes(StandardCharsets.UTF_8)).body());
        assertThat((String) items(json).get(0).get("error")).contains("mode is 'form_data' but data is a string");
        assertThat(fx.storedFileCount()).isZero();
    }

    @Test
    void track_multipart_streamsFilePartsAndReportsBadPartsPerItem() throws Exception {
        start();
        byte[] png = java.util.HexFormat.of().parseHex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                + "1f15c4890000000d49444154789c6300010000050001a5f645400000000049454e44ae426082");
        Multipart mp = new Multipart()
                .field("conversation_id", "c-9")
                .field("metadata", "{\"source\":\"test\"}")
                .file("files", "data.csv", "text/csv", CSV.getBytes(StandardCharsets.UTF_8))
                .field("data", "aGVsbG8=")
                .file("files", "pixel.png", "image/png", png)
                .file("files", "tool.exe", "application/octet-stream", new byte[] {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0});
        HttpResponse<String> r = fx.post("/attachments", mp.contentType(), mp.build());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Object> json = ServerFixture.json(r.body());
        List<Map<String, Object>> items = items(json);
        assertThat(items).extracting(i -> i.get("success")).containsExactly(true, false, true, false);
        assertThat((String) items.get(1).get("error")).contains("mode is 'form_data' but data is a string");
        assertThat(map(items.get(2).get("attachment"))).containsEntry("mime_type", "image/png").containsEntry("size", png.length);
        assertThat(map(json.get("summary"))).containsEntry("attachments", 2).containsEntry("errors", 2);
        String url = (String) map(map(items.get(0).get("attachment")).get("processed_content")).get("url");
        assertThat(fx.get(url).body()).isEqualTo(CSV);
    }

    @Test
    void track_multipartWithBase64Mode_refusesBytesPerItem() throws Exception {
        start();
        Multipart mp = new Multipart().field("mode", "base64").file("f", "a.txt", "text/plain", "abc".getBytes(StandardCharsets.UTF_8));
        Map<String, Object> json = ServerFixture.json(fx.post("/attachments", mp.contentType(), mp.build()).body());
        assertThat((String) items(json).get(0).get("error")).contains("mode is 'base64' but data is raw bytes");
        assertThat(fx.storedFileCount()).isZero();
    }

    @Test
    void track_multipartFilenameWithNul_isAPerItemErrorNotA500() throws Exception {
        start();
        // found by ServerParsersFuzzTest#multipartBody: Commons FileUpload throws InvalidPathException for it
        Multipart mp = new Multipart()
                .file("f", "a\u0000b.txt", "text/plain", "abc".getBytes(StandardCharsets.UTF_8))
                .file("g", "ok.txt", "text/plain", "fine".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = fx.post("/attachments", mp.contentType(), mp.build());
        assertThat(r.statusCode()).isEqualTo(200);
        List<Map<String, Object>> items = items(ServerFixture.json(r.body()));
        assertThat(items).extracting(i -> i.get("success")).containsExactly(false, true);
        assertThat((String) items.get(0).get("error")).contains("NUL");
        assertThat(fx.storedFileCount()).isEqualTo(1);
    }

    @Test
    void oversizedJsonBody_is413AndStoresNothing() throws Exception {
        start(ServerLimits.builder().maxBodySize(4096).build(), StorageLimits.defaults());
        String body = "{\"attachments\":[{\"filename\":\"a.txt\",\"data\":\"" + b64("a") + "\"},{\"filename\":\"big.txt\",\"data\":\""
                + b64("x".repeat(8000)) + "\"}]}";
        HttpResponse<String> r = fx.post("/attachments", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(ServerFixture.json(r.body())).containsEntry("status", 413);
        assertThat(fx.storedFileCount()).isZero();
    }

    @Test
    void jsonBodyOverTheJsonLimit_is413_whileTheSameFileAsMultipartIsStored() throws Exception {
        start(ServerLimits.builder().maxBodySize(64 * 1024).maxJsonBodySize(8 * 1024).build(), StorageLimits.defaults());
        String text = "x".repeat(10_000);
        String body = "{\"attachments\":[{\"filename\":\"big.txt\",\"data\":\"" + b64(text) + "\"}]}";
        HttpResponse<String> r = fx.post("/attachments", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat((String) ServerFixture.json(r.body()).get("error")).contains("8192");
        String query = "{\"parts\":[{\"type\":\"file\",\"name\":\"big.txt\",\"base64\":\"" + b64(text) + "\"}]}";
        assertThat(fx.post("/query", "application/json", query.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(413);
        assertThat(fx.storedFileCount()).isZero();

        Multipart mp = new Multipart().file("f", "big.txt", "text/plain", text.getBytes(StandardCharsets.UTF_8));
        assertThat(fx.post("/attachments", mp.contentType(), mp.build()).statusCode()).isEqualTo(200);
        assertThat(fx.storedFileCount()).isEqualTo(1);
    }

    @Test
    void jsonRequestBeyondTheMemoryBudget_is503WithRetryAfter_untilTheHeldOneFinishes() throws Exception {
        start(ServerLimits.builder().jsonMemoryBudget(64 * 1024).build(), StorageLimits.defaults());
        int total = fx.server.jsonBudgetAvailableKib();
        assertThat(total).isEqualTo(64);
        byte[] held = ("{\"attachments\":[{\"filename\":\"held.txt\",\"data\":\"" + b64("h".repeat(30_000)) + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] small = ("{\"attachments\":[{\"filename\":\"small.txt\",\"data\":\"" + b64(CSV) + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        try (RawClient first = new RawClient(fx.server.port(), 30_000)) {
            // the first client sends its head and half its body, then holds: its 4 x 40 KB share is the whole budget
            first.head("/attachments", "application/json", held.length).send(java.util.Arrays.copyOf(held, held.length / 2));
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (fx.server.jsonBudgetAvailableKib() != 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(fx.server.jsonBudgetAvailableKib()).isZero();

            HttpResponse<String> refused = fx.post("/attachments", "application/json", small);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
            assertThat(ServerFixture.json(refused.body())).containsEntry("status", 503);
            assertThat(fx.post("/query", "application/json", "{\"parts\":[]}".getBytes(StandardCharsets.UTF_8)).statusCode())
                    .isEqualTo(503);
            // multipart streams and takes no share
            Multipart mp = new Multipart().file("f", "streamed.csv", "text/csv", CSV.getBytes(StandardCharsets.UTF_8));
            assertThat(fx.post("/attachments", mp.contentType(), mp.build()).statusCode()).isEqualTo(200);
            assertThat(fx.storedFileCount()).isEqualTo(1);

            first.send(java.util.Arrays.copyOfRange(held, held.length / 2, held.length));
            String answer = first.readToEnd();
            assertThat(answer).startsWith("HTTP/1.1 200").contains("held.txt");
        }
        // the share comes back when the exchange ends, which may be just after the client has read the answer
        long released = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (fx.server.jsonBudgetAvailableKib() != total && System.nanoTime() < released) {
            Thread.sleep(10);
        }
        assertThat(fx.server.jsonBudgetAvailableKib()).isEqualTo(total);
        assertThat(fx.post("/attachments", "application/json", small).statusCode()).isEqualTo(200);
        assertThat(fx.storedFileCount()).isEqualTo(3);
    }

    @Test
    void oversizedChunkedMultipart_is413AndUndoesPartsAlreadyStored() throws Exception {
        start(ServerLimits.builder().maxBodySize(64 * 1024).build(), StorageLimits.defaults());
        Multipart mp = new Multipart()
                .file("f", "first.txt", "text/plain", "small and fine".getBytes(StandardCharsets.UTF_8))
                .file("f", "second.txt", "text/plain", "y".repeat(200 * 1024).getBytes(StandardCharsets.UTF_8));
        byte[] body = mp.build();
        // no Content-Length: the limit must be enforced while streaming
        HttpResponse<String> r = fx.client.send(java.net.http.HttpRequest.newBuilder(fx.uri("/attachments"))
                .header("Content-Type", mp.contentType())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(fx.storedFileCount()).isZero();
    }

    @Test
    void tooManyParts_is400AndStoresNothing() throws Exception {
        start(ServerLimits.builder().maxParts(2).build(), StorageLimits.defaults());
        Multipart mp = new Multipart();
        for (int i = 0; i < 3; i++) {
            mp.file("f", "f" + i + ".txt", "text/plain", ("file " + i).getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = fx.post("/attachments", mp.contentType(), mp.build());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(fx.storedFileCount()).isZero();
        String json = "{\"attachments\":[" + String.join(",", java.util.Collections.nCopies(3,
                "{\"filename\":\"a.txt\",\"data\":\"" + b64("a") + "\"}")) + "]}";
        assertThat(fx.post("/attachments", "application/json", json.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
        assertThat(fx.storedFileCount()).isZero();
    }

    @Test
    void requestTimeout_is408AndStoresNothing() throws Exception {
        start(ServerLimits.builder().requestTimeout(Duration.ofMillis(300)).build(), StorageLimits.defaults());
        byte[] chunk = "z".repeat(1024).getBytes(StandardCharsets.UTF_8);
        Multipart head = new Multipart().file("f", "ok.txt", "text/plain", "fine".getBytes(StandardCharsets.UTF_8));
        byte[] first = head.build();
        // a slow client: the first file arrives at once, the rest trickles in after the deadline
        byte[] start = java.util.Arrays.copyOf(first, first.length - (head.boundary.length() + 6));
        java.io.InputStream slow = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(start), new java.io.InputStream() {
            int sent;

            @Override
            public int read() {
                return -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (sent++ > 5) {
                    return -1;
                }
                try {
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                int n = Math.min(len, chunk.length);
                System.arraycopy(chunk, 0, b, off, n);
                return n;
            }
        });
        HttpResponse<String> r = fx.client.send(java.net.http.HttpRequest.newBuilder(fx.uri("/attachments"))
                .header("Content-Type", head.contentType())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> slow)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(408);
        assertThat(fx.storedFileCount()).isZero();
    }

    @Test
    void attachmentLookup_andHealth_describeTheStore() throws Exception {
        start();
        String body = "{\"attachments\":[{\"filename\":\"notes.txt\",\"mime_type\":\"text/plain\",\"data\":\"" + b64("remember me") + "\"}]}";
        Map<String, Object> stored = map(items(ServerFixture.json(fx.post("/attachments?wait=30", "application/json",
                body.getBytes(StandardCharsets.UTF_8)).body())).get(0).get("attachment"));
        HttpResponse<String> r = fx.get("/attachments/" + stored.get("file_id"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ServerFixture.json(r.body())).containsEntry("filename", "notes.txt").containsEntry("file_id", stored.get("file_id"))
                .containsEntry("storage_path", stored.get("storage_path")).containsEntry("status", "stored");
        assertThat(fx.get("/attachments/00000000-0000-0000-0000-000000000000").statusCode()).isEqualTo(404);
        assertThat(fx.get("/attachments/..%2f..%2fetc").statusCode()).isEqualTo(400);

        HttpResponse<String> health = fx.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(ServerFixture.json(health.body())).containsEntry("status", "ok").containsEntry("backend", "local")
                .containsEntry("file_count", 1).containsEntry("queue_depth", 0);
        assertThat(fx.get("/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void attachmentLookup_ofAFileStoredElsewhere_isRebuiltFromTheStore() throws Exception {
        start();
        var f = fx.store.save(new java.io.ByteArrayInputStream(CSV.getBytes(StandardCharsets.UTF_8)), "numbers.csv", "text/csv");
        Map<String, Object> json = ServerFixture.json(fx.get("/attachments/" + f.fileId()).body());
        assertThat(json).containsEntry("filename", "numbers.csv").containsEntry("mime_type", "text/csv").containsEntry("sha256", f.sha256());
        assertThat(map(json.get("processed_content"))).containsEntry("url", f.url());
    }
}
