package io.attachkit.processors.office;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.Attachment;
import io.attachkit.AttachmentStatus;
import io.attachkit.Attachments;
import io.attachkit.ContentProcessors;
import io.attachkit.storage.local.LocalFileStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The office processors found on the classpath, run end to end by {@link Attachments} over a real local store. */
class OfficeAttachmentsTest {
    @TempDir
    Path root;
    private LocalFileStore store;
    private Attachments attachments;

    @BeforeEach
    void open() {
        store = LocalFileStore.builder().root(root).build();
        attachments = Attachments.builder().store(store).workers(1).build();
    }

    @AfterEach
    void close() throws Exception {
        attachments.close();
        store.close();
    }

    @Test
    void classpathRegistry_findsTheOfficeProcessors() {
        ContentProcessors all = ContentProcessors.fromClasspath();
        assertThat(all.find(DocxProcessor.MIME)).get().isInstanceOf(DocxProcessor.class);
    }

    @Test
    void docx_withoutNameOrType_isDetectedStoredAndRead() {
        Attachment a = attachments.storeAndProcess(Attachment.fromBytes("upload", OfficeFixtures.reportDocx(), null));
        assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
        assertThat(a.mimeType()).isEqualTo(DocxProcessor.MIME);
        assertThat(a.processedContent().type()).isEqualTo("document");
        assertThat(a.processedContent().text()).contains("Region | Sales\nNorth | 120");
        assertThat(a.processedContent().url()).isEqualTo("/files/" + a.storagePath());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> spans = (List<Map<String, Object>>) a.processedContent().get("section_spans");
        assertThat(spans).hasSize(2);
        // the JSON an agent reads round-trips the result
        Attachment back = Attachment.fromJson(a.toJson());
        assertThat(back.processedContent().text()).isEqualTo(a.processedContent().text());
    }

    @Test
    void encryptedDocx_isStored_andItsProcessedContentSaysEncrypted() {
        byte[] encrypted = OfficeFixtures.encrypt(OfficeFixtures.reportDocx(), "s3cret");
        Attachment a = attachments.storeAndProcess(Attachment.fromBytes("secret.docx", encrypted, null));
        assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
        assertThat(a.mimeType()).isEqualTo(DocxProcessor.MIME);
        assertThat(a.processedContent().error()).contains("encrypted");
        assertThat(store.get(a.fileId())).isEqualTo(encrypted);
    }

    @Test
    void zipBombDocx_isStored_andEndsWithAnError() {
        Attachment a = attachments.storeAndProcess(Attachment.fromBytes("bomb.docx", OfficeFixtures.zipBombDocx(50), null));
        assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
        assertThat(a.processedContent().error()).contains("zip bomb");
    }
}
