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
        assertThat(all.find(XlsxProcessor.MIME)).get().isInstanceOf(XlsxProcessor.class);
        assertThat(all.find("text/html")).get().isInstanceOf(HtmlProcessor.class);
        assertThat(all.find("message/rfc822")).get().isInstanceOf(EmlProcessor.class);
        assertThat(all.find(PptxProcessor.MIME)).get().isInstanceOf(PptxProcessor.class);
        assertThat(all.find(XlsProcessor.MIME)).get().isInstanceOf(XlsProcessor.class);
        assertThat(all.find(PptProcessor.MIME)).get().isInstanceOf(PptProcessor.class);
        assertThat(all.find(OdtProcessor.MIME)).get().isInstanceOf(OdtProcessor.class);
        assertThat(all.find("application/rtf")).get().isInstanceOf(RtfProcessor.class);
    }

    @Test
    void html_goesToTheHtmlProcessor_notThePlainTextOne_whateverTheClasspathOrder() {
        var text = new io.attachkit.processors.TextProcessor();
        var html = new HtmlProcessor();
        assertThat(ContentProcessors.of(List.of(text, html)).find("text/html")).get().isSameAs(html);
        assertThat(ContentProcessors.of(List.of(html, text)).find("text/html")).get().isSameAs(html);
        assertThat(ContentProcessors.of(List.of(text, html)).find("text/plain")).get().isSameAs(text);
    }

    @Test
    void rtf_isDetectedByItsBytes_storedAndRead() {
        Attachment rtf = attachments.storeAndProcess(Attachment.fromBytes("memo", "{\\rtf1\\ansi Hello\\par World\\par}"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII), null));
        assertThat(rtf.mimeType()).isEqualTo("application/rtf");
        assertThat(rtf.processedContent().text()).isEqualTo("Hello\nWorld");
    }

    @Test
    void legacyXlsAndPpt_namedAsSuch_areStoredAndRead() throws Exception {
        Attachment xls = attachments.storeAndProcess(Attachment.fromBytes("old.xls", LegacyOfficeProcessorsTest.salesXls(null), null));
        assertThat(xls.mimeType()).isEqualTo(XlsProcessor.MIME);
        assertThat(xls.processedContent().type()).isEqualTo("spreadsheet");
        Attachment ppt = attachments.storeAndProcess(Attachment.fromBytes("old.ppt", LegacyOfficeProcessorsTest.roadmapPpt(), null));
        assertThat(ppt.mimeType()).isEqualTo(PptProcessor.MIME);
        assertThat(ppt.processedContent().text()).startsWith("## Slide 1: Roadmap");
    }

    @Test
    void xlsxHtmlAndEml_areDetectedByTheirBytes_storedAndRead() throws Exception {
        Attachment xlsx = attachments.storeAndProcess(Attachment.fromBytes("numbers", OfficeFixtures.salesXlsx(), null));
        assertThat(xlsx.mimeType()).isEqualTo(XlsxProcessor.MIME);
        assertThat(xlsx.processedContent().type()).isEqualTo("spreadsheet");
        assertThat(xlsx.processedContent().text()).contains("## Sheet: Sales\nRegion,Units,Price,Day\n");

        Attachment html = attachments.storeAndProcess(Attachment.fromBytes("page.html",
                "<!DOCTYPE html><html><head><title>T</title></head><body><p>Hello <script>x</script>web</p></body></html>"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8), null));
        assertThat(html.status()).isEqualTo(AttachmentStatus.STORED);
        assertThat(html.mimeType()).isEqualTo("text/html");
        assertThat(html.processedContent().text()).isEqualTo("Hello web");

        Attachment eml = attachments.storeAndProcess(Attachment.fromBytes("invoice.eml", EmlProcessorTest.invoiceEmail(), null));
        assertThat(eml.mimeType()).isEqualTo("message/rfc822");
        assertThat(eml.processedContent().type()).isEqualTo("email");
        assertThat(eml.processedContent().get("subject")).isEqualTo("Grüße aus Köln: Rechnung");
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
