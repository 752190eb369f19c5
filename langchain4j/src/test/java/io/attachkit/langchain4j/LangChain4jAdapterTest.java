package io.attachkit.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.PdfFileContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import io.attachkit.Attachment;
import io.attachkit.ai.AiFixtures;
import io.attachkit.ai.ProcessedStore;
import io.attachkit.InvalidContentException;
import io.attachkit.ProcessedContent;
import io.attachkit.ai.ModelCapabilities;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real files, stored in a local store and processed by the real processors, turned into LangChain4j's own types. */
class LangChain4jAdapterTest {
    @RegisterExtension
    final ProcessedStore env = new ProcessedStore();

    @Test
    void threePagePdf_becomesThreeDocuments_citingTheirPage() {
        Attachment pdf = env.attachments().storeAndProcess(Attachment.fromBytes("report.pdf",
                AiFixtures.pdf(List.of("Revenue grew in March", "Costs fell in April again", "Outlook for May and June")), null));

        List<Document> docs = AttachmentDocuments.of(pdf);

        assertThat(docs).hasSize(3);
        assertThat(docs).extracting(d -> d.metadata().getInteger("page")).containsExactly(1, 2, 3);
        Document second = docs.get(1);
        assertThat(second.text()).contains("Costs fell in April again");
        assertThat(second.metadata().getString("file_id")).isEqualTo(pdf.fileId());
        assertThat(second.metadata().getString("filename")).isEqualTo("report.pdf");
        assertThat(second.metadata().getString("mime_type")).isEqualTo("application/pdf");
        assertThat(second.metadata().getString("section_label")).isEqualTo("page 2");
        int start = second.metadata().getInteger("span_start");
        int end = second.metadata().getInteger("span_end");
        assertThat(pdf.processedContent().text().substring(start, end)).isEqualTo(second.text());
        List<TextSegment> segments = AttachmentDocuments.segments(pdf);
        assertThat(segments).extracting(TextSegment::text).containsExactlyElementsOf(docs.stream().map(Document::text).toList());
    }

    @Test
    void csv_becomesOneDocument() {
        Attachment csv = env.attachments().storeAndProcess(Attachment.fromBytes("sales.csv",
                "region,amount\nnorth,10\nsouth,20\n".getBytes(StandardCharsets.UTF_8), null));

        assertThat(AttachmentDocuments.of(csv)).singleElement().satisfies(d -> {
            assertThat(d.text()).contains("north");
            assertThat(d.metadata().getString("section_kind")).isEqualTo("file");
            assertThat(d.metadata().getString("mime_type")).isEqualTo("text/csv");
        });
    }

    @Test
    void sheetSpans_becomeOneDocumentPerSheet() {
        Attachment book = Attachment.builder().filename("book.xlsx").mimeType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                .processedContent(ProcessedContent.of(Map.of("type", "table", "text", "Q1 north 10\nQ2 south 20",
                        "sheet_spans", List.of(Map.of("sheet", "Q1", "start", 0, "end", 11), Map.of("sheet", "Q2", "start", 12, "end", 23)))))
                .build();

        assertThat(AttachmentDocuments.of(book)).extracting(d -> d.metadata().getString("sheet")).containsExactly("Q1", "Q2");
    }

    @Test
    void corruptSpans_areATypedError() {
        Attachment bad = Attachment.builder().filename("bad.pdf").mimeType("application/pdf")
                .processedContent(ProcessedContent.of(Map.of("type", "document", "text", "x",
                        "page_spans", List.of(Map.of("page", 1, "start", 0, "end", 5))))).build();

        assertThatThrownBy(() -> AttachmentDocuments.of(bad)).isInstanceOf(InvalidContentException.class);
    }

    @Test
    void png_isImageContent_forAVisionModel_andTextForATextOnlyOne() {
        byte[] png = AiFixtures.png("TOTAL 42 EUR");
        Attachment a = env.attachments().storeAndProcess(Attachment.fromBytes("invoice.png", png, null));

        UserMessage vision = AttachmentMessages.builder().store(env.store()).capabilities(ModelCapabilities.openAi()).build()
                .userMessage("What is the total?", List.of(a));
        UserMessage text = AttachmentMessages.builder().store(env.store()).capabilities(ModelCapabilities.textOnly()).build()
                .userMessage("What is the total?", List.of(a));

        assertThat(vision.contents()).hasSize(3);
        assertThat(vision.contents().get(0)).isEqualTo(TextContent.from("What is the total?"));
        ImageContent image = (ImageContent) vision.contents().get(2);
        assertThat(image.image().mimeType()).isEqualTo("image/png");
        assertThat(Base64.getDecoder().decode(image.image().base64Data())).isEqualTo(png);
        assertThat(text.contents()).hasSize(2).allMatch(c -> c instanceof TextContent);
        assertThat(((TextContent) text.contents().get(1)).text())
                .startsWith("--- Attachment: invoice.png (image/png) ---").contains("TOTAL 42 EUR");
    }

    @Test
    void pdf_isPdfFileContent_forAnthropic() {
        byte[] bytes = AiFixtures.pdf(List.of("Revenue grew in March", "Costs fell in April again"));
        Attachment pdf = env.attachments().storeAndProcess(Attachment.fromBytes("report.pdf", bytes, null));

        List<Content> contents = AttachmentMessages.builder().store(env.store()).capabilities(ModelCapabilities.anthropic())
                .build().contents(List.of(pdf));

        assertThat(contents).hasSize(2);
        PdfFileContent file = (PdfFileContent) contents.get(1);
        assertThat(file.pdfFile().mimeType()).isEqualTo("application/pdf");
        assertThat(Base64.getDecoder().decode(file.pdfFile().base64Data())).isEqualTo(bytes);
    }

    @Test
    void budgetCut_endsTheMessageWithANote() {
        String page = "word ".repeat(200).strip();
        Attachment pdf = env.attachments().storeAndProcess(Attachment.fromBytes("long.pdf", AiFixtures.pdf(List.of(page, page, page)), null));

        AttachmentMessages messages = AttachmentMessages.builder().store(env.store()).tokenBudget(300).build();
        UserMessage m = messages.userMessage("Summarise", List.of(pdf));

        Content last = m.contents().get(m.contents().size() - 1);
        assertThat(((TextContent) last).text()).startsWith("[Note from attachkit: long.pdf: cut to the first")
                .contains("pages kept whole: 1 of 3");
        assertThat(messages.render(List.of(pdf)).notes()).hasSize(1);
    }
}
