package io.attachkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.attachkit.Attachment;
import io.attachkit.Attachments;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * docs/spring-boot.md's quick start, as a user writes it: the starter on the classpath, two properties, and a
 * controller of the application's own that injects {@link Attachments}. Zero to a stored, processed attachment.
 */
@SpringBootTest(classes = QuickStartExampleTest.ChatApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"attachkit.store=file:target/quick-start-store", "attachkit.storage.max-file-size=20MB"})
class QuickStartExampleTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ChatController.class)
    static class ChatApplication {
    }

    // --- the user's code, as in docs/spring-boot.md
    @RestController
    static class ChatController {
        private final Attachments attachments;

        ChatController(Attachments attachments) {
            this.attachments = attachments;
        }

        @PostMapping("/chat/upload")
        Map<String, Object> upload(@RequestParam("file") MultipartFile file) throws IOException {
            Attachment a = Attachment.fromStream(file.getOriginalFilename(), file.getInputStream(), file.getContentType());
            attachments.storeAndProcess(a);   // stored, then processed (text, overview, url)
            return a.modelDump();             // Tyler's JSON: file_id, storage_path, processed_content, status
        }
    }
    // ---

    @LocalServerPort
    int port;

    @Test
    void aFileUploadedToTheApplicationsOwnController_isStoredAndProcessed() throws Exception {
        byte[] csv = "city,visitors\nParis,120\nLyon,45\n".getBytes(StandardCharsets.UTF_8);
        Multipart mp = new Multipart().file("file", "visits.csv", "text/csv", csv);
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chat/upload"))
                        .header("Content-Type", mp.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(mp.build())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> a = new ObjectMapper().readValue(r.body(), Map.class);
        assertThat(a).containsEntry("filename", "visits.csv").containsEntry("status", "stored")
                .containsEntry("storage_backend", "local");
        @SuppressWarnings("unchecked")
        Map<String, Object> processed = (Map<String, Object>) a.get("processed_content");
        assertThat(processed.get("url")).isEqualTo("/files/" + a.get("storage_path"));
        assertThat(processed).containsEntry("type", "table");
        assertThat(processed.get("overview")).asString().startsWith("CSV table with 2 rows");
        assertThat(processed.get("text")).asString().contains("Paris");
    }
}
