package io.attachkit.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.Attachment;
import io.attachkit.InvalidContentException;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sections of attachments stored in a real local store and processed by the real processors. */
class AttachmentSectionsTest {
    @RegisterExtension
    final ProcessedStore env = new ProcessedStore();

    @Test
    void threePagePdf_givesOneSectionPerPage_withPageAndSpanMetadata() {
        Attachment pdf = env.attachments().storeAndProcess(Attachment.fromBytes("report.pdf",
                AiFixtures.pdf(List.of("Revenue grew in March", "Costs fell in April again", "Outlook for May and June")), null));

        List<AttachmentSection> sections = AttachmentSections.of(pdf);

        assertThat(sections).hasSize(3);
        String text = pdf.processedContent().text();
        for (int i = 0; i < 3; i++) {
            Map<String, Object> md = sections.get(i).metadata();
            assertThat(md).containsEntry("page", i + 1)
                    .containsEntry(AttachmentSections.SECTION_KIND, "page")
                    .containsEntry(AttachmentSections.SECTION_LABEL, "page " + (i + 1))
                    .containsEntry(AttachmentSections.FILE_ID, pdf.fileId())
                    .containsEntry(AttachmentSections.FILENAME, "report.pdf")
                    .containsEntry(AttachmentSections.MIME_TYPE, "application/pdf")
                    .containsEntry(AttachmentSections.URL, "/files/" + pdf.storagePath())
                    .containsEntry(AttachmentSections.SECTION_COUNT, 3)
                    .containsEntry("source", "text");
            int start = (Integer) md.get(AttachmentSections.SPAN_START);
            int end = (Integer) md.get(AttachmentSections.SPAN_END);
            assertThat(text.substring(start, end)).isEqualTo(sections.get(i).text());
        }
        assertThat(sections.get(1).text()).contains("Costs fell in April again").doesNotContain("March");
    }

    @Test
    void csv_givesOneWholeFileSection() {
        Attachment csv = env.attachments().storeAndProcess(Attachment.fromBytes("sales.csv",
                "region,amount\nnorth,10\nsouth,20\n".getBytes(StandardCharsets.UTF_8), null));

        List<AttachmentSection> sections = AttachmentSections.of(csv);

        assertThat(sections).singleElement().satisfies(s -> {
            assertThat(s.text()).contains("north").contains("south");
            assertThat(s.metadata()).containsEntry(AttachmentSections.SECTION_KIND, "file")
                    .containsEntry(AttachmentSections.SPAN_START, 0)
                    .containsEntry(AttachmentSections.SPAN_END, s.text().length())
                    .containsEntry(AttachmentSections.MIME_TYPE, "text/csv");
        });
    }

    @Test
    void sheetSpans_giveOneSectionPerSheet_labelledByName() {
        String text = "Sheet Q1\nnorth 10\nSheet Q2\nsouth 20";
        Attachment xlsx = processed("book.xlsx", text, Map.of("sheet_spans", List.of(
                Map.of("sheet", "Q1", "index", 0, "start", 0, "end", 17),
                Map.of("sheet", "Q2", "index", 1, "start", 18, "end", text.length()))));

        List<AttachmentSection> sections = AttachmentSections.of(xlsx);

        assertThat(sections).extracting(AttachmentSection::text).containsExactly("Sheet Q1\nnorth 10", "Sheet Q2\nsouth 20");
        assertThat(sections.get(1).metadata()).containsEntry("sheet", "Q2")
                .containsEntry(AttachmentSections.SECTION_LABEL, "Q2")
                .containsEntry(AttachmentSections.SECTION_KIND, "sheet")
                .containsEntry(AttachmentSections.SPAN_START, 18);
    }

    @Test
    void sectionSpans_useTheHeadingAsLabel_andSlideSpansTheSlideNumber() {
        String doc = "Intro\nHello\nUsage\nRun it";
        Attachment docx = processed("guide.docx", doc, Map.of("section_spans", List.of(
                Map.of("heading", "Intro", "level", 1, "start", 0, "end", 11),
                Map.of("heading", "Usage", "level", 1, "start", 12, "end", doc.length()))));
        Attachment pptx = processed("deck.pptx", "One\nTwo", Map.of("slide_spans", List.of(
                Map.of("slide", 1, "start", 0, "end", 3), Map.of("slide", 2, "start", 4, "end", 7))));

        assertThat(AttachmentSections.of(docx)).extracting(s -> s.metadata().get(AttachmentSections.SECTION_LABEL))
                .containsExactly("Intro", "Usage");
        assertThat(AttachmentSections.of(docx).get(0).metadata()).containsEntry("level", 1).containsEntry("heading", "Intro");
        assertThat(AttachmentSections.of(pptx)).extracting(s -> s.metadata().get(AttachmentSections.SECTION_LABEL))
                .containsExactly("slide 1", "slide 2");
    }

    @Test
    void blankSpans_areLeftOut_butKeepTheirCount() {
        Attachment pdf = processed("scan.pdf", "page one\n\n", Map.of("page_spans", List.of(
                Map.of("page", 1, "start", 0, "end", 8), Map.of("page", 2, "start", 10, "end", 10))));

        assertThat(AttachmentSections.of(pdf)).singleElement()
                .satisfies(s -> assertThat(s.metadata()).containsEntry(AttachmentSections.SECTION_COUNT, 2));
    }

    @Test
    void spanOutsideTheText_isRefusedAsInvalidContent() {
        Attachment pdf = processed("bad.pdf", "short", Map.of("page_spans", List.of(Map.of("page", 1, "start", 0, "end", 99))));

        assertThatThrownBy(() -> AttachmentSections.of(pdf)).isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("bad.pdf").hasMessageContaining("page_spans[0]").hasMessageContaining("99");
    }

    @Test
    void overlappingSpans_areRefused_soSectionsNeverHoldMoreThanTheText() {
        Attachment pdf = processed("dup.pdf", "page one text", Map.of("page_spans", List.of(
                Map.of("page", 1, "start", 0, "end", 13), Map.of("page", 2, "start", 0, "end", 13))));

        assertThatThrownBy(() -> AttachmentSections.of(pdf)).isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("page_spans[1]").hasMessageContaining("must not overlap");
    }

    @Test
    void imageWithoutText_givesItsOverview() {
        Attachment photo = Attachment.builder().filename("cat.jpg").mimeType("image/jpeg")
                .processedContent(ProcessedContent.of(Map.of("type", "image", "overview", "A 640x480 JPEG photo"))).build();

        assertThat(AttachmentSections.of(photo)).singleElement().satisfies(s -> {
            assertThat(s.text()).isEqualTo("A 640x480 JPEG photo");
            assertThat(s.metadata()).containsEntry(AttachmentSections.CONTENT_KEY, "overview");
        });
    }

    @Test
    void unprocessedAttachment_isRefusedWithAProcessingException() {
        Attachment raw = Attachment.fromBytes("notes.txt", "hi".getBytes(StandardCharsets.UTF_8), null);

        assertThatThrownBy(() -> AttachmentSections.of(raw)).isInstanceOf(ProcessingException.class)
                .hasMessageContaining("notes.txt").hasMessageContaining("process it first");
    }

    private static Attachment processed(String name, String text, Map<String, Object> extra) {
        Map<String, Object> pc = new java.util.LinkedHashMap<>(Map.of("type", "document", "text", text));
        pc.putAll(extra);
        return Attachment.builder().filename(name).mimeType("application/octet-stream")
                .processedContent(ProcessedContent.of(pc)).build();
    }
}
