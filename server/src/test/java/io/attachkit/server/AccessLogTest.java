package io.attachkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.serving.FileUrlSigner;
import io.attachkit.storage.local.LocalFileStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * One access-log line per request: method, path without its query (no signature), status, bytes, time, the key's id
 * (never the key) and the request id, which error JSON carries too.
 */
class AccessLogTest {
    private static final String KEY = "ak_access-log-key-0123456789abc";
    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger access = (Logger) LoggerFactory.getLogger("io.attachkit.server.access");
    private LocalFileStore store;
    private Attachments attachments;
    private AttachkitServer server;
    private FileUrlSigner signer;

    @BeforeEach
    void start() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 3);
        signer = FileUrlSigner.builder().key(key).build();
        store = LocalFileStore.builder().root(dir).build();
        attachments = Attachments.builder().store(store).build();
        server = AttachkitServer.builder().attachments(attachments).port(0)
                .apiKeys(ApiKeys.builder().key("ops", ApiKeyScope.READ, KEY).build()).urlSigner(signer).build().start();
        lines.start();
        access.addAppender(lines);
        access.setLevel(Level.INFO);
    }

    @AfterEach
    void stop() {
        access.detachAppender(lines);
        access.setLevel(null);
        server.close();
        attachments.close();
        store.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> awaitLines(int n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lines.list.size() < n && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void eachRequest_oneLine_withKeyIdAndRequestId_neverTheKeyOrTheSignature() throws Exception {
        String path = "/files/" + attachments.storeAndProcess(Attachment.fromBytes("a.txt", "twelve bytes".getBytes(StandardCharsets.UTF_8),
                "text/plain")).storagePath();
        HttpResponse<String> keyed = get(path, "Authorization", "Bearer " + KEY, "X-Request-Id", "req-1");
        HttpResponse<String> signedGet = get(signer.sign(path));
        HttpResponse<String> refused = get(path);

        assertThat(keyed.statusCode()).isEqualTo(200);
        assertThat(keyed.headers().firstValue("X-Request-Id")).hasValue("req-1");
        assertThat(signedGet.statusCode()).isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(401);
        String rid = refused.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(ServerFixture.json(refused.body())).containsEntry("request_id", rid);

        List<String> log = awaitLines(3);
        assertThat(log).hasSize(3);
        assertThat(log.get(0)).isEqualTo("GET " + path + " 200 12 " + log.get(0).split(" ")[4] + " key=ops rid=req-1");
        assertThat(log.get(1)).startsWith("GET " + path + " 200 12 ").endsWith(" key=-" + log.get(1).substring(log.get(1).indexOf(" rid=")));
        assertThat(log.get(2)).startsWith("GET " + path + " 401 ").endsWith(" key=- rid=" + rid);
        assertThat(String.join("\n", log)).doesNotContain(KEY).doesNotContain("signature").doesNotContain("expires");
    }

    @Test
    void requestId_notAPlainToken_isReplaced() throws Exception {
        HttpResponse<String> r = get("/attachments/abc", "X-Request-Id", "x\u00e9<script>");
        String rid = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(rid).matches("[0-9a-f]{16}");
        assertThat(ServerFixture.json(r.body())).containsEntry("request_id", rid);
    }
}
