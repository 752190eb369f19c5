package io.attachkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.ContentProcessor;
import io.attachkit.ContentProcessors;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.storage.local.LocalFileStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL while it processes: at the next start the job is resumed, completes, and its result
 * is kept once (a third instance reads it without a run and finds nothing pending).
 */
class ProcessingCrashTest {
    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    /** A PDF of about 1 MB: its estimated run is long, so it is recorded as pending when accepted. */
    private static byte[] pdf() {
        byte[] out = new byte[1_000_000];
        byte[] head = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(head, 0, out, 0, head.length);
        for (int i = head.length; i < out.length; i++) {
            out[i] = (byte) ('a' + i % 26);
        }
        return out;
    }

    @Test
    void sigkillDuringProcessing_theJobIsResumedAtTheNextStart_andKeptOnce() throws Exception {
        Path root = dir.resolve("store");
        Path running = dir.resolve("processor-running");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashServerMain.class.getName(), root.toString(), running.toString())
                .redirectError(dir.resolve("child.log").toFile()).start();
        String fileId;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).as("child log: %s", Files.exists(dir.resolve("child.log")) ? Files.readString(dir.resolve("child.log")) : "")
                    .startsWith("PORT ");
            int port = Integer.parseInt(first.substring(5).trim());
            Multipart mp = new Multipart().file("files", "scan.pdf", "application/pdf", pdf());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/attachments"))
                    .header("Content-Type", mp.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(mp.build())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            @SuppressWarnings("unchecked")
            Map<String, Object> a = (Map<String, Object>) ((List<Map<String, Object>>) ServerFixture.json(r.body()).get("items")).get(0)
                    .get("attachment");
            assertThat(a.get("processing_status")).isIn("queued", "running");
            fileId = (String) a.get("file_id");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(running) && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(running).as("the processor started").exists();
        } finally {
            child.destroyForcibly(); // SIGKILL: nothing runs after it, no result is written
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        AtomicInteger runs = new AtomicInteger();
        ContentProcessor pages = new ContentProcessor() {
            @Override
            public String name() {
                return "pages";
            }

            @Override
            public boolean supports(String mimeType) {
                return mimeType.equals("application/pdf");
            }

            @Override
            public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
                runs.incrementAndGet();
                return ProcessedContent.of(Map.of("type", "document", "text", "resumed after the crash"));
            }
        };
        try (LocalFileStore store = LocalFileStore.builder().root(root).build();
             Attachments attachments = Attachments.builder().store(store).processors(ContentProcessors.of(List.of(pages))).build();
             AttachkitServer restarted = AttachkitServer.builder().attachments(attachments).port(0).build().start()) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (runs.get() == 0 && System.nanoTime() < until) { // resumed at start, not by a read
                Thread.sleep(20);
            }
            assertThat(runs).as("resumed at start").hasValue(1);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(restarted.baseUri() + "/attachments/" + fileId + "?wait=10"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            Map<String, Object> json = ServerFixture.json(r.body());
            assertThat(json).containsEntry("processing_status", "done");
            assertThat(String.valueOf(json.get("processed_content"))).contains("resumed after the crash");
            assertThat(runs).hasValue(1);

            try (Attachments third = Attachments.builder().store(store).processors(ContentProcessors.of(List.of(pages))).build()) {
                assertThat(third.resumePending()).as("nothing pending any more").isEmpty();
                Attachment back = third.process(Attachment.fromStored(store.stat(fileId)));
                assertThat(back.processedContent().text()).isEqualTo("resumed after the crash");
                assertThat(runs).as("kept once, read back without a run").hasValue(1);
            }
        }
    }
}
