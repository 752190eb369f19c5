package io.attachkit.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.Attachment;
import io.attachkit.ai.AiFixtures;
import io.attachkit.ai.ProcessedStore;
import io.attachkit.ProcessingException;
import io.attachkit.ai.ModelCapabilities;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.Media;
import org.springframework.ai.document.Document;
import org.springframework.util.MimeTypeUtils;

/** Real files, stored in a local store and processed by the real processors, turned into Spring AI's own types. */
class SpringAiAdapterTest {
    @RegisterExtension
    final ProcessedStore env = new ProcessedStore();

    @Test
    void threePagePdf_becomesThreeDocuments_citingTheirPage_withStableIds() {
        Attachment pdf = env.attachments().storeAndProcess(Attachment.fromBytes("report.pdf",
                AiFixtures.pdf(List.of("Revenue grew in March", "Costs fell in April again", "Outlook for May and June")), null));

        List<Document> docs = AttachmentDocuments.of(pdf);

        assertThat(docs).hasSize(3);
        assertThat(docs).extracting(d -> d.getMetadata().get("page")).containsExactly(1, 2, 3);
        Document second = docs.get(1);
        assertThat(second.getText()).contains("Costs fell in April again");
        assertThat(second.getMetadata()).containsEntry("file_id", pdf.fileId()).containsEntry("filename", "report.pdf")
                .containsEntry("mime_type", "application/pdf").containsEntry("section_label", "page 2");
        int start = (Integer) second.getMetadata().get("span_start");
        int end = (Integer) second.getMetadata().get("span_end");
        assertThat(pdf.processedContent().text().substring(start, end)).isEqualTo(second.getText());
        assertThat(AttachmentDocuments.of(pdf)).extracting(Document::getId).containsExactlyElementsOf(docs.stream().map(Document::getId).toList());
        assertThat(docs).extracting(Document::getId).doesNotHaveDuplicates();
    }

    @Test
    void csv_becomesOneDocument() {
        Attachment csv = env.attachments().storeAndProcess(Attachment.fromBytes("sales.csv",
                "region,amount\nnorth,10\nsouth,20\n".getBytes(StandardCharsets.UTF_8), null));

        assertThat(AttachmentDocuments.of(csv)).singleElement().satisfies(d -> {
            assertThat(d.getText()).contains("north");
            assertThat(d.getMetadata()).containsEntry("section_kind", "file").containsEntry("mime_type", "text/csv");
        });
    }

    @Test
    void png_isMedia_forAVisionModel_andTextForATextOnlyOne() {
        byte[] png = AiFixtures.png("TOTAL 42 EUR");
        Attachment a = env.attachments().storeAndProcess(Attachment.fromBytes("invoice.png", png, null));

        UserMessage vision = AttachmentMessages.builder().store(env.store()).capabilities(ModelCapabilities.gemini()).build()
                .userMessage("What is the total?", List.of(a));
        UserMessage text = AttachmentMessages.builder().store(env.store()).capabilities(ModelCapabilities.textOnly()).build()
                .userMessage("What is the total?", List.of(a));

        assertThat(vision.getText()).startsWith("What is the total?").contains("[Attached image: invoice.png (image/png)]");
        Media media = vision.getMedia().get(0);
        assertThat(media.getMimeType()).isEqualTo(MimeTypeUtils.IMAGE_PNG);
        assertThat(media.getDataAsByteArray()).isEqualTo(png);
        assertThat(media.getName()).isEqualTo("invoice");
        assertThat(text.getMedia()).isEmpty();
        assertThat(text.getText()).contains("--- Attachment: invoice.png (image/png) ---").contains("TOTAL 42 EUR");
    }

    @Test
    void pdf_isPdfMedia_forAnthropic() {
        byte[] bytes = AiFixtures.pdf(List.of("Revenue grew in March", "Costs fell in April again"));
        Attachment pdf = env.attachments().storeAndProcess(Attachment.fromBytes("Q1 report.pdf", bytes, null));

        UserMessage m = AttachmentMessages.builder().store(env.store()).capabilities(ModelCapabilities.anthropic()).build()
                .userMessage("Summarise", List.of(pdf));

        assertThat(m.getMedia()).singleElement().satisfies(media -> {
            assertThat(media.getMimeType().toString()).isEqualTo("application/pdf");
            assertThat(media.getDataAsByteArray()).isEqualTo(bytes);
            assertThat(media.getName()).isEqualTo("Q1 report");
        });
    }

    @Test
    void budgetCut_endsTheTextWithANote() {
        String page = "word ".repeat(200).strip();
        Attachment pdf = env.attachments().storeAndProcess(Attachment.fromBytes("long.pdf", AiFixtures.pdf(List.of(page, page, page)), null));

        UserMessage m = AttachmentMessages.builder().store(env.store()).tokenBudget(300).build().userMessage("Summarise", List.of(pdf));

        assertThat(m.getText()).contains("[... cut here: ")
                .endsWith("to fit the token budget of 300.]").contains("[Note from attachkit: long.pdf: cut to the first");
    }

    @Test
    void unprocessedAttachment_forATextModel_isAProcessingException() {
        Attachment raw = Attachment.fromBytes("notes.txt", "hi".getBytes(StandardCharsets.UTF_8), null).ensureStored(env.store());

        assertThatThrownBy(() -> AttachmentMessages.builder().store(env.store()).build().userMessage("x", List.of(raw)))
                .isInstanceOf(ProcessingException.class);
        assertThatThrownBy(() -> AttachmentDocuments.of(raw)).isInstanceOf(ProcessingException.class);
    }

    @Test
    void mediaNames_keepOnlyWhatProvidersAccept() {
        assertThat(AttachmentMessages.safeName("scan_01.final.png")).isEqualTo("scan-01-final");
        assertThat(AttachmentMessages.safeName("...")).isEqualTo("attachment");
    }
}
