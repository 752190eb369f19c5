package io.attachkit.processors.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.Attachment;
import io.attachkit.AttachmentStatus;
import io.attachkit.Attachments;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingLimits;
import io.attachkit.storage.local.LocalFileStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MsgProcessor} on Outlook messages {@link MsgFixtures} writes, directly and end to end through {@link Attachments}. */
class MsgProcessorTest {
    private final MsgProcessor processor = new MsgProcessor();

    @TempDir
    Path root;

    private ProcessedContent process(byte[] msg) {
        return processor.process(OfficeFixtures.input("mail.msg", MsgProcessor.MIME, msg), ProcessingLimits.defaults());
    }

    @Test
    void memo_yieldsTheEmailFields_plainBodyPreferred_andTheAttachmentsListed() {
        ProcessedContent pc = process(MsgFixtures.memo());
        assertThat(pc.type()).isEqualTo("email");
        assertThat(pc.get("from")).isEqualTo(List.of("Ada Lovelace <ada@example.org>"));
        assertThat(pc.get("to")).isEqualTo(List.of("Bob <bob@example.org>", "Carol <carol@example.org>"));
        assertThat(pc.get("cc")).isEqualTo(List.of("Grace <grace@example.net>"));
        assertThat(pc.get("date")).isEqualTo("2024-03-04T05:06:07Z");
        assertThat(pc.get("subject")).isEqualTo("Quarterly numbers");
        assertThat(pc.get("body_type")).isEqualTo("text/plain");
        assertThat(pc.text()).startsWith("From: Ada Lovelace <ada@example.org>\nTo: Bob <bob@example.org>, Carol <carol@example.org>\n"
                + "Cc: Grace <grace@example.net>\nDate: 2024-03-04T05:06:07Z\nSubject: Quarterly numbers\n\nHello Bob,\nthe numbers are attached.");
        @SuppressWarnings("unchecked")
        Map<String, Object> span = (Map<String, Object>) pc.get("body_span");
        assertThat(pc.text().substring((Integer) span.get("start"), (Integer) span.get("end"))).isEqualTo("Hello Bob,\nthe numbers are attached.");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> attached = (List<Map<String, Object>>) pc.get("attachments");
        assertThat(attached).extracting(a -> a.get("name")).containsExactly("report.docx", "cities.csv");
        assertThat(attached.get(0).get("size")).isEqualTo((long) OfficeFixtures.reportDocx().length);
        assertThat(attached.get(1).get("type")).isEqualTo("text/csv");
        assertThat(pc.get("attachment_count")).isEqualTo(2);
    }

    @Test
    void htmlOnlyBody_isReadThroughTheHtmlExtraction() {
        byte[] msg = MsgFixtures.message().subject("Web").from("Ada", "ada@example.org").to("Bob", "bob@example.org")
                .date(Instant.parse("2024-01-01T00:00:00Z"))
                .html("<html><body><p>Hello <b>Bob</b><script>evil()</script></p><p>Second</p></body></html>").write();
        ProcessedContent pc = process(msg);
        assertThat(pc.get("body_type")).isEqualTo("text/html");
        assertThat(pc.text()).endsWith("Hello Bob\nSecond").doesNotContain("evil");
    }

    @Test
    void truncatedMessage_isAClearError() {
        byte[] msg = MsgFixtures.memo();
        assertThatThrownBy(() -> process(Arrays.copyOf(msg, msg.length / 2)))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("truncated or corrupt Outlook message");
    }

    @Test
    void otherOle2File_isNotTakenForAMessage() throws Exception {
        assertThatThrownBy(() -> process(LegacyOfficeProcessorsTest.salesXls(null)))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("not an Outlook message");
    }

    @Test
    void throughAttachments_isDetectedByItsBytes_andItsAttachmentsAreProcessed() throws Exception {
        try (LocalFileStore store = LocalFileStore.builder().root(root).build();
             Attachments attachments = Attachments.builder().store(store).workers(1).build()) {
            Attachment a = attachments.storeAndProcess(Attachment.fromBytes("upload", MsgFixtures.memo(), null));
            assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
            assertThat(a.mimeType()).isEqualTo(MsgProcessor.MIME);
            assertThat(a.processedContent().error()).isNull();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> attached = (List<Map<String, Object>>) a.processedContent().get("attachments");
            @SuppressWarnings("unchecked")
            Map<String, Object> docx = (Map<String, Object>) attached.get(0).get("processed_content");
            assertThat(docx.get("mime_type")).isEqualTo(DocxProcessor.MIME);
            assertThat((String) docx.get("text")).contains("Region | Sales\nNorth | 120");
            @SuppressWarnings("unchecked")
            Map<String, Object> csv = (Map<String, Object>) attached.get(1).get("processed_content");
            assertThat((String) csv.get("text")).contains("Paris,2100000");
            assertThat(a.processedContent().text()).contains("[Attachment] report.docx").contains("North | 120");

            // the other OLE2 files keep their types by their bytes too, whatever their names
            Attachment xls = attachments.storeAndProcess(Attachment.fromBytes("upload2", LegacyOfficeProcessorsTest.salesXls(null), null));
            assertThat(xls.mimeType()).isEqualTo(XlsProcessor.MIME);
            Attachment ppt = attachments.storeAndProcess(Attachment.fromBytes("upload3", LegacyOfficeProcessorsTest.roadmapPpt(), null));
            assertThat(ppt.mimeType()).isEqualTo(PptProcessor.MIME);
        }
    }
}
