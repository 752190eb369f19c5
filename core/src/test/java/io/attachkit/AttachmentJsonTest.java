package io.attachkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tyler's JSON shape: {@link Attachment#modelDump()}, {@link Attachment#toJson()}, {@link Attachment#fromJson(String)}. */
class AttachmentJsonTest {
    private static final String ID = "3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8";
    private static final String PATH = "3f/2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8.pdf";

    /** What Tyler's Attachment.model_dump(mode="json") writes for a stored, processed PDF, plus an unknown key. */
    private static final String TYLER_JSON = """
            {"filename": "report.pdf", "mime_type": "application/pdf",
             "file_id": "%s", "storage_path": "%s", "storage_backend": "local", "status": "stored",
             "processed_content": {"type": "document", "text": "Quarterly report", "overview": "1 page",
                                   "url": "/files/%s", "pages": [{"page": 1}]},
             "description": "added by a newer Tyler"}
            """.formatted(ID, PATH, PATH);

    @Test
    void tylerJson_loads_withEveryField() {
        Attachment a = Attachment.fromJson(TYLER_JSON);
        assertThat(a.filename()).isEqualTo("report.pdf");
        assertThat(a.mimeType()).isEqualTo("application/pdf");
        assertThat(a.fileId()).isEqualTo(ID);
        assertThat(a.storagePath()).isEqualTo(PATH);
        assertThat(a.storageBackend()).isEqualTo("local");
        assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
        assertThat(a.processedContent().type()).isEqualTo("document");
        assertThat(a.processedContent().text()).isEqualTo("Quarterly report");
        assertThat(a.processedContent().url()).isEqualTo("/files/" + PATH);
        assertThat(a.processedContent().get("pages")).isEqualTo(List.of(Map.of("page", 1)));
    }

    @Test
    void roundTrip_keepsEveryField_includingUnknownKeys() {
        Attachment a = Attachment.fromJson(TYLER_JSON);
        Map<String, Object> dump = a.modelDump();
        assertThat(dump).containsEntry("description", "added by a newer Tyler").doesNotContainKey("content");
        Attachment back = Attachment.fromJson(a.toJson());
        assertThat(back.modelDump()).isEqualTo(dump);
    }

    @Test
    void modelDump_hasTylersKeysInSnakeCase() {
        Attachment a = Attachment.fromBytes("a.txt", "hi".getBytes(), "text/plain");
        Map<String, Object> dump = a.modelDump();
        assertThat(dump).containsKeys("filename", "mime_type", "file_id", "storage_path", "storage_backend", "status", "content");
        assertThat(dump).containsEntry("status", "pending").containsEntry("content", "aGk=").containsEntry("file_id", null);
        assertThat(dump).containsEntry("processed_content", null);
    }

    @Test
    void modelDump_andToJson_alwaysWriteTylersSevenKeys_nullWhenUnset() {
        Attachment a = Attachment.builder().filename("x.bin").build();
        List<String> tylerKeys = List.of("filename", "mime_type", "processed_content", "file_id", "storage_path",
                "storage_backend", "status");
        assertThat(a.modelDump()).containsKeys(tylerKeys.toArray(String[]::new));
        assertThat(a.modelDump()).containsEntry("mime_type", null).containsEntry("processed_content", null)
                .containsEntry("storage_path", null).containsEntry("storage_backend", null)
                .containsEntry("status", "pending");
        String json = a.toJson();
        for (String key : tylerKeys) {
            assertThat(json).as("toJson() writes %s", key).contains("\"" + key + "\":");
        }
        assertThat(json).contains("\"processed_content\":null").contains("\"mime_type\":null");
        Attachment back = Attachment.fromJson(json);
        assertThat(back.processedContent().isEmpty()).isTrue();
        assertThat(back.modelDump()).isEqualTo(a.modelDump());
    }

    @Test
    void pendingAttachment_roundTripsItsContent() {
        Attachment a = Attachment.fromBytes("a.txt", "hi there".getBytes(), "text/plain");
        Attachment back = Attachment.fromJson(a.toJson());
        assertThat(back.getContentBytes(null)).isEqualTo("hi there".getBytes());
        assertThat(back.status()).isEqualTo(AttachmentStatus.PENDING);
        assertThat(back.mimeType()).isEqualTo("text/plain");
    }

    @Test
    void minimalJson_onlyFilename_isPendingWithNoContent() {
        Attachment a = Attachment.fromJson("{\"filename\":\"x.txt\"}");
        assertThat(a.status()).isEqualTo(AttachmentStatus.PENDING);
        assertThat(a.processedContent().isEmpty()).isTrue();
        assertThatThrownBy(() -> a.getContentBytes(null)).isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("has no content");
    }

    @Test
    void failedAttachment_keepsItsReason() {
        Attachment a = Attachment.fromJson("{\"filename\":\"x.txt\",\"status\":\"failed\",\"error\":\"too large\",\"content\":\"aGk=\"}");
        assertThat(a.status()).isEqualTo(AttachmentStatus.FAILED);
        assertThat(a.failureReason()).isEqualTo("too large");
        assertThat(a.modelDump()).containsEntry("error", "too large").containsEntry("content", "aGk=");
    }

    @Test
    void malformedJson_isInvalidContent() {
        assertThatThrownBy(() -> Attachment.fromJson("{\"filename\": ")).isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> Attachment.fromJson("null")).isInstanceOf(InvalidContentException.class);
        assertThatThrownBy(() -> Attachment.fromJson("{}")).isInstanceOf(InvalidContentException.class).hasMessageContaining("filename");
        assertThatThrownBy(() -> Attachment.fromJson("{\"filename\": 42}")).isInstanceOf(InvalidContentException.class);
        assertThatThrownBy(() -> Attachment.fromJson("{\"filename\":\"a\",\"status\":\"lost\"}"))
                .isInstanceOf(InvalidContentException.class).hasMessageContaining("lost");
        assertThatThrownBy(() -> Attachment.fromJson("{\"filename\":\"a\",\"content\":\"#!\"}"))
                .isInstanceOf(InvalidContentException.class).hasMessageContaining("offset 0");
        assertThatThrownBy(() -> Attachment.fromJson("{\"filename\":\"a\",\"processed_content\":[1]}"))
                .isInstanceOf(InvalidContentException.class).hasMessageContaining("processed_content");
    }

    @Test
    void deeplyNestedJson_isRefusedNotAStackOverflow() {
        String deep = "{\"filename\":\"a\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertThatThrownBy(() -> Attachment.fromJson(deep)).isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("nesting");
    }

    @Test
    void unsafeStoragePathInJson_isRefused() {
        String json = "{\"filename\":\"a\",\"file_id\":\"" + ID + "\",\"storage_path\":\"../../etc/passwd\"}";
        assertThatThrownBy(() -> Attachment.fromJson(json)).isInstanceOf(UnsafePathException.class);
        String other = "{\"filename\":\"a\",\"file_id\":\"" + ID + "\",\"storage_path\":\"ab/cdef.pdf\"}";
        assertThatThrownBy(() -> Attachment.fromJson(other)).isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("does not belong");
    }

    @Test
    void updateProcessedContentWithUrl_encodesSegments_withOneSlash() {
        Attachment a = Attachment.fromJson("{\"filename\":\"a\",\"file_id\":\"" + ID + "\",\"storage_path\":\"" + PATH + "\"}");
        a.updateProcessedContentWithUrl();
        assertThat(a.processedContent().url()).isEqualTo("/files/" + PATH);
        Attachment pending = Attachment.fromBytes("a.txt", new byte[0], null);
        pending.updateProcessedContentWithUrl();
        assertThat(pending.processedContent().url()).isNull();
        assertThat(io.attachkit.internal.StoragePaths.url("/ab/c d%.txt")).isEqualTo("/files/ab/c%20d%25.txt");
    }
}
