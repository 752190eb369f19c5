package io.attachkit.processors;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.Attachment;
import io.attachkit.AttachmentStatus;
import io.attachkit.Attachments;
import io.attachkit.ContentProcessors;
import io.attachkit.ProcessedContent;
import io.attachkit.storage.local.LocalFileStore;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The processors found on the classpath, run by Attachments over the real local store. */
class AttachmentsProcessingTest {
    @TempDir
    Path root;
    private LocalFileStore store;
    private Attachments attachments;
    private final AtomicInteger textProgress = new AtomicInteger();

    @BeforeEach
    void open() {
        store = LocalFileStore.builder().root(root).build();
        attachments = Attachments.builder().store(store).workers(2)
                .listener((file, stage, done, total) -> {
                    if ("text".equals(stage)) {
                        textProgress.incrementAndGet();
                    }
                })
                .build();
    }

    @AfterEach
    void close() throws Exception {
        attachments.close();
        store.close();
    }

    @Test
    void classpathRegistry_choosesEachProcessorByDetectedType() {
        ContentProcessors all = ContentProcessors.fromClasspath();
        assertThat(all.find("application/pdf")).get().isInstanceOf(PdfTextProcessor.class);
        assertThat(all.find("image/png")).get().isInstanceOf(ImageProcessor.class);
        assertThat(all.find("text/csv")).get().isInstanceOf(TableProcessor.class);
        assertThat(all.find("text/tab-separated-values")).get().isInstanceOf(TableProcessor.class);
        assertThat(all.find("text/markdown")).get().isInstanceOf(TextProcessor.class);
        assertThat(all.find("application/json")).get().isInstanceOf(JsonProcessor.class);
        assertThat(all.find("application/zip")).get().isInstanceOf(BinaryProcessor.class);
    }

    @Test
    void storeAndProcess_fillsProcessedContentWithTheUrl_forEachKind() {
        Attachment csv = attachments.storeAndProcess(Attachment.fromBytes("numbers.csv", "a,b\n2,123\n-3,4124\n1,7".getBytes(StandardCharsets.UTF_8), null));
        Attachment pdf = attachments.storeAndProcess(Attachment.fromBytes("report.pdf",
                Fixtures.textPdf("Report", List.of(List.of("Hello from page one"), List.of("And page two"))), null));
        Attachment png = attachments.storeAndProcess(Attachment.fromBytes("sign.png", Fixtures.encode(
                Fixtures.textImage(List.of("No parking on weekdays"), 900, 160, 44, BufferedImage.TYPE_INT_RGB), "png"), null));

        assertThat(csv.processedContent().type()).isEqualTo("table");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> numeric = (Map<String, Map<String, Object>>) csv.processedContent().get("numeric_columns");
        assertThat(numeric.get("a").get("sum")).isEqualTo(0L);
        assertThat(pdf.processedContent().type()).isEqualTo("document");
        assertThat(pdf.processedContent().text()).isEqualTo("Hello from page one\n\nAnd page two");
        assertThat(png.processedContent().type()).isEqualTo("image");
        assertThat(png.processedContent().text()).isEqualTo("No parking on weekdays");
        for (Attachment a : List.of(csv, pdf, png)) {
            assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
            assertThat(a.processedContent().url()).isEqualTo("/files/" + a.storagePath());
            assertThat(a.processedContent().error()).isNull();
        }
        assertThat(pdf.modelDump()).extractingByKey("processed_content").asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKeys("type", "text", "overview", "url");
    }

    @Test
    void invalidJsonAndEncryptedPdf_recordAnErrorAndStayStored() throws Exception {
        Attachment json = attachments.storeAndProcess(Attachment.fromBytes("broken.json", "{\"a\": [1, 2".getBytes(StandardCharsets.UTF_8), "application/json"));
        byte[] encrypted;
        try (var doc = org.apache.pdfbox.Loader.loadPDF(Fixtures.textPdf("S", List.of(List.of("secret"))))) {
            doc.protect(new org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy("o", "u",
                    new org.apache.pdfbox.pdmodel.encryption.AccessPermission()));
            encrypted = Fixtures.save(doc);
        }
        Attachment pdf = attachments.storeAndProcess(Attachment.fromBytes("locked.pdf", encrypted, null));

        assertThat(json.status()).isEqualTo(AttachmentStatus.STORED);
        assertThat(json.processedContent().error()).startsWith("json: 'broken.json' is not valid JSON");
        assertThat(json.processedContent().url()).isEqualTo("/files/" + json.storagePath());
        assertThat(store.exists(json.fileId())).isTrue();
        assertThat(pdf.status()).isEqualTo(AttachmentStatus.STORED);
        assertThat(pdf.processedContent().error()).contains("encrypted PDF that needs a password");
    }

    @Test
    void sameFileAttachedTwice_isProcessedOnce() {
        byte[] bytes = Fixtures.textPdf("Twice", List.of(List.of("Cached content")));
        Attachment first = attachments.storeAndProcess(Attachment.fromBytes("one.pdf", bytes, null));
        int progressAfterFirst = textProgress.get();
        Attachment second = attachments.storeAndProcess(Attachment.fromBytes("two.pdf", bytes, null));

        assertThat(progressAfterFirst).isEqualTo(1);
        assertThat(textProgress.get()).as("the second call is served from the result cache").isEqualTo(1);
        assertThat(second.fileId()).isNotEqualTo(first.fileId());
        ProcessedContent a = first.processedContent().with("url", null);
        ProcessedContent b = second.processedContent().with("url", null);
        assertThat(b).isEqualTo(a);
        assertThat(second.processedContent().url()).isEqualTo("/files/" + second.storagePath());
    }
}
