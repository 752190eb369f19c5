package io.attachkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.Attachments;
import io.attachkit.ContentProcessor;
import io.attachkit.ContentProcessors;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.ProcessingListener;
import io.attachkit.ProcessingStatus;
import io.attachkit.StorageLimits;
import io.attachkit.storage.local.LocalFileStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's side of processing as its own lifecycle: uploads answered once stored, {@code ?wait}, results read
 * by another server over the same store without a processor run, and a full queue answered 503 + Retry-After.
 */
class BackgroundProcessingEndpointsTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpClient http = HttpClient.newHttpClient();

    /** A real processor for text: counts words; text starting with BLOCK waits for {@link #release}. */
    private final class Words implements ContentProcessor {
        @Override
        public String name() {
            return "words";
        }

        @Override
        public boolean supports(String mimeType) {
            return mimeType.equals("text/plain");
        }

        @Override
        public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
            String text;
            try (InputStream in = input.open()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (text.startsWith("BLOCK")) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ProcessedContent.of(Map.of("type", "text", "text", text, "words", text.trim().split("\\s+").length));
        }
    }

    /** A server over the store in {@code dir}, its processor runs counted in {@code runs}. */
    private AttachkitServer server(AtomicInteger runs, int workers, int maxQueued) {
        LocalFileStore store = LocalFileStore.builder().root(dir.resolve("store")).limits(StorageLimits.defaults()).build();
        ProcessingListener counting = new ProcessingListener() {
            @Override
            public void progress(String filename, String stage, long done, long total) {
            }

            @Override
            public void processed(String filename, String processor, ProcessingStatus outcome, long tookMillis) {
                runs.incrementAndGet();
            }
        };
        Attachments attachments = Attachments.builder().store(store).processors(ContentProcessors.of(List.of(new Words())))
                .listener(counting).workers(workers).maxQueuedJobs(maxQueued).build();
        AttachkitServer server = AttachkitServer.builder().attachments(attachments).port(0).build().start();
        opened.add(store);
        opened.add(attachments);
        opened.add(server);
        return server;
    }

    @AfterEach
    void closeAll() throws Exception {
        release.countDown();
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private HttpResponse<String> upload(AttachkitServer server, String query, String name, String text) throws Exception {
        Multipart mp = new Multipart().file("files", name, "text/plain", text.getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/attachments" + query))
                .header("Content-Type", mp.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(mp.build())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, Object> get(AttachkitServer server, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ServerFixture.json(r.body());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> attachment(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<Map<String, Object>> items = (List<Map<String, Object>>) ServerFixture.json(r.body()).get("items");
        return (Map<String, Object>) items.get(0).get("attachment");
    }

    @Test
    void upload_isAnsweredOnceStored_andGetWithWaitGivesTheResult() throws Exception {
        AttachkitServer server = server(new AtomicInteger(), 2, 100);
        long t0 = System.nanoTime();
        Map<String, Object> a = attachment(upload(server, "", "slow.txt", "BLOCK four words here"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20)); // not held for the processor
        assertThat(a).containsEntry("status", "stored").containsKey("file_id");
        assertThat(a.get("processing_status")).isIn("queued", "running");
        String id = (String) a.get("file_id");
        assertThat(get(server, "/attachments/" + id).get("processing_status")).isIn("queued", "running");
        release.countDown();
        Map<String, Object> done = get(server, "/attachments/" + id + "?wait=10");
        assertThat(done).containsEntry("processing_status", "done");
        assertThat((Map<String, Object>) done.get("processed_content")).containsEntry("words", 4);
    }

    @Test
    void uploadWithWait_answersProcessed() throws Exception {
        AttachkitServer server = server(new AtomicInteger(), 2, 100);
        Map<String, Object> a = attachment(upload(server, "?wait=10", "fast.txt", "three quick words"));
        assertThat(a).containsEntry("processing_status", "done");
        assertThat((Map<String, Object>) a.get("processed_content")).containsEntry("words", 3);
    }

    @Test
    void badWait_is400() throws Exception {
        AttachkitServer server = server(new AtomicInteger(), 1, 100);
        assertThat(upload(server, "?wait=soon", "a.txt", "x").statusCode()).isEqualTo(400);
        assertThat(upload(server, "?wait=-1", "a.txt", "x").statusCode()).isEqualTo(400);
    }

    @Test
    void anotherServerOverTheSameStore_answersTheResult_withoutAProcessorRun() throws Exception {
        AtomicInteger runsOnA = new AtomicInteger();
        AtomicInteger runsOnB = new AtomicInteger();
        AttachkitServer a = server(runsOnA, 1, 100);
        AttachkitServer b = server(runsOnB, 1, 100);
        Map<String, Object> stored = attachment(upload(a, "?wait=10", "shared.txt", "read on another server"));
        assertThat(stored).containsEntry("processing_status", "done");
        Map<String, Object> onB = get(b, "/attachments/" + stored.get("file_id"));
        assertThat(onB).containsEntry("processing_status", "done");
        assertThat((Map<String, Object>) onB.get("processed_content")).containsEntry("text", "read on another server");
        assertThat(runsOnA).hasValue(1);
        assertThat(runsOnB).as("processor runs on B").hasValue(0);
    }

    @Test
    void fullQueue_is503WithRetryAfter_andNothingIsStored() throws Exception {
        AttachkitServer server = server(new AtomicInteger(), 1, 1);
        assertThat(upload(server, "", "running.txt", "BLOCK running").statusCode()).isEqualTo(200);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        HttpResponse<String> queued;
        do { // the first job must have left the queue for the one worker before the second fills it
            Thread.sleep(20);
        } while (System.nanoTime() < until && server.attachments().queueDepth() > 0);
        queued = upload(server, "", "queued.txt", "BLOCK queued");
        assertThat(queued.statusCode()).isEqualTo(200);
        long files = server.attachments().store().fileCount();
        HttpResponse<String> refused = upload(server, "", "refused.txt", "BLOCK refused");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(ServerFixture.json(refused.body())).containsEntry("status", 503);
        assertThat(refused.body()).contains("queue is full");
        assertThat(server.attachments().store().fileCount()).isEqualTo(files);
    }
}
