package io.attachkit.processors.office;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.Attachment;
import io.attachkit.AttachmentStatus;
import io.attachkit.Attachments;
import io.attachkit.storage.local.LocalFileStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.message.BodyPartBuilder;
import org.apache.james.mime4j.message.MultipartBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An email's attached files run through the pipeline by {@link Attachments}, their results nested under {@code attachments}. */
class EmailAttachmentsPipelineTest {
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

    static byte[] emailWith(String subject, Object... namesTypesAndBytes) throws IOException {
        var mixed = MultipartBuilder.create("mixed")
                .addBodyPart(BodyPartBuilder.create().setBody("See the attached files.", "plain", StandardCharsets.UTF_8));
        for (int i = 0; i < namesTypesAndBytes.length; i += 3) {
            mixed.addBodyPart(BodyPartBuilder.create().setBody((byte[]) namesTypesAndBytes[i + 2], (String) namesTypesAndBytes[i + 1])
                    .setContentDisposition("attachment", (String) namesTypesAndBytes[i]));
        }
        return EmlProcessorTest.write(Message.Builder.of()
                .setFrom(new Mailbox("Ada", "ada", "example.org"))
                .setTo(new Mailbox("bob", "example.org"))
                .setSubject(subject)
                .setBody(mixed.build())
                .build());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> attachmentsOf(Object processedContent) {
        return (List<Map<String, Object>>) ((Map<String, Object>) processedContent).get("attachments");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> nested(Map<String, Object> attachment) {
        return (Map<String, Object>) attachment.get("processed_content");
    }

    @Test
    void docxAndCsvAttachments_areProcessed_andTheirTextIsNested() throws Exception {
        byte[] csv = "city,people\nParis,2100000\nLyon,520000\n".getBytes(StandardCharsets.UTF_8);
        byte[] eml = emailWith("Two files", "report.docx", "application/octet-stream", OfficeFixtures.reportDocx(),
                "cities.csv", "text/csv", csv);
        Attachment a = attachments.storeAndProcess(Attachment.fromBytes("mail.eml", eml, null));

        assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
        assertThat(a.processedContent().error()).isNull();
        List<Map<String, Object>> list = attachmentsOf(a.processedContent().asMap());
        assertThat(list).hasSize(2);
        Map<String, Object> docx = list.get(0);
        assertThat(docx.get("name")).isEqualTo("report.docx");
        assertThat(docx.get("size")).isEqualTo((long) OfficeFixtures.reportDocx().length);
        // detected by its bytes, not by the octet-stream the email declared
        assertThat(nested(docx).get("mime_type")).isEqualTo(DocxProcessor.MIME);
        assertThat(nested(docx).get("type")).isEqualTo("document");
        assertThat((String) nested(docx).get("text")).contains("Region | Sales\nNorth | 120");
        Map<String, Object> table = list.get(1);
        assertThat(nested(table).get("mime_type")).isEqualTo("text/csv");
        assertThat((String) nested(table).get("text")).contains("Paris,2100000");
        // and the email's own text carries them under their [Attachment] lines, for an agent reading only text
        assertThat(a.processedContent().text()).contains("[Attachment] report.docx").contains("North | 120").contains("Lyon,520000");
        // the JSON round-trips the nested results
        Attachment back = Attachment.fromJson(a.toJson());
        assertThat((String) nested(attachmentsOf(back.processedContent().asMap()).get(0)).get("text")).contains("North | 120");
    }

    @Test
    void emailAttachingItself_endsAfterTheNestingDepth() throws Exception {
        byte[] eml = emailWith("level 0", "note.txt", "text/plain", "innermost".getBytes(StandardCharsets.UTF_8));
        for (int level = 1; level <= 8; level++) {
            eml = emailWith("level " + level, "forward-" + level + ".eml", "message/rfc822", eml);
        }
        Attachment a = attachments.storeAndProcess(Attachment.fromBytes("loop.eml", eml, null));

        assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
        assertThat(a.processedContent().error()).isNull();
        Map<String, Object> level = a.processedContent().asMap();
        for (int depth = 1; depth <= Attachments.MAX_NESTING_DEPTH; depth++) {
            Map<String, Object> inner = nested(attachmentsOf(level).get(0));
            assertThat(inner.get("type")).as("level %d is processed", depth).isEqualTo("email");
            level = inner;
        }
        Map<String, Object> tooDeep = nested(attachmentsOf(level).get(0));
        assertThat(tooDeep.get("skipped")).asString().contains("nested deeper than " + Attachments.MAX_NESTING_DEPTH);
        assertThat(tooDeep).doesNotContainKey("text");
    }

    @Test
    void manyAttachedEmails_areBoundedByTheNestedFileCount() throws Exception {
        byte[] inner = emailWith("leaf", "a.txt", "text/plain", "leaf text".getBytes(StandardCharsets.UTF_8));
        Object[] parts = new Object[3 * 30];
        for (int i = 0; i < 30; i++) {
            parts[3 * i] = "m" + i + ".eml";
            parts[3 * i + 1] = "message/rfc822";
            parts[3 * i + 2] = emailWith("middle " + i, "x" + i + ".eml", "message/rfc822", inner);
        }
        Attachment a = attachments.storeAndProcess(Attachment.fromBytes("wide.eml", emailWith("wide", parts), null));

        List<Map<String, Object>> list = attachmentsOf(a.processedContent().asMap());
        assertThat(list).hasSize(30);
        // each middle email spends three of the shared budget (itself, its attached email, that one's text file)
        assertThat(list.stream().filter(m -> "email".equals(nested(m).get("type"))).count())
                .isEqualTo((Attachments.MAX_NESTED_FILES + 2) / 3);
        String json = a.toJson();
        String nestedResults = a.processedContent().asMap().toString();
        assertThat(nestedResults.split("mime_type=", -1).length - 1).as("inner files read, all levels").isEqualTo(Attachments.MAX_NESTED_FILES);
        assertThat(json).contains("more than " + Attachments.MAX_NESTED_FILES + " inner files");
        assertThat(nested(list.get(29)).get("skipped")).asString().contains("only the first " + NestedAttachments.MAX_PROCESSED);
    }
}
