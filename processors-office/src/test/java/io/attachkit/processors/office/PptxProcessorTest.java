package io.attachkit.processors.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingLimits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link PptxProcessor} on presentations POI writes in the test. */
class PptxProcessorTest {
    private final PptxProcessor processor = new PptxProcessor();

    private ProcessedContent process(byte[] pptx, ProcessingLimits limits) {
        return processor.process(OfficeFixtures.input("deck.pptx", OfficeFixtures.PPTX, pptx), limits);
    }

    @Test
    void slides_haveTitleBodyNotesTablesAndPictures() {
        ProcessedContent c = process(OfficeFixtures.roadmapPptx(0), ProcessingLimits.defaults());
        assertThat(c.type()).isEqualTo("presentation");
        assertThat(c.text()).isEqualTo("""
                ## Slide 1: Roadmap
                Ship the parser
                Hire two engineers
                [Notes] Mention the budget

                ## Slide 2: Numbers
                Quarter | Revenue
                Q1 | 10

                ## Slide 3""");
        assertThat(c.get("slide_count")).isEqualTo(3);
        assertThat(c.get("pictures")).isEqualTo(1);
        assertThat(c.get("picture_only_slides")).isEqualTo(List.of(3));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> slides = (List<Map<String, Object>>) c.get("slides");
        assertThat(slides.get(0)).containsEntry("title", "Roadmap").containsEntry("has_notes", true).containsEntry("pictures", 0);
        assertThat(c.overview()).contains("\"Roadmap 2025\"").contains("3 slides").contains("slide titles: Roadmap; Numbers");
    }

    @Test
    void slideSpans_coverEachSlide() {
        ProcessedContent c = process(OfficeFixtures.roadmapPptx(0), ProcessingLimits.defaults());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> spans = (List<Map<String, Object>>) c.get("slide_spans");
        assertThat(spans).extracting(s -> s.get("slide")).containsExactly(1, 2, 3);
        String second = c.text().substring((Integer) spans.get(1).get("start"), (Integer) spans.get(1).get("end"));
        assertThat(second).isEqualTo("## Slide 2: Numbers\nQuarter | Revenue\nQ1 | 10");
    }

    @Test
    void slidesBeyondMaxPages_areNotRead() {
        ProcessedContent c = process(OfficeFixtures.roadmapPptx(20), ProcessingLimits.builder().maxPages(5).build());
        assertThat(c.get("slide_count")).isEqualTo(23);
        assertThat((List<?>) c.get("slides")).hasSize(5);
        assertThat(c.get("truncated")).isEqualTo(true);
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("only the first 5 of 23 slides"));
    }

    @Test
    void encryptedAndTruncatedPresentations_areRefusedClearly() {
        byte[] pptx = OfficeFixtures.roadmapPptx(0);
        assertThatThrownBy(() -> process(OfficeFixtures.encrypt(pptx, "pw"), ProcessingLimits.defaults()))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("encrypted");
        assertThatThrownBy(() -> process(java.util.Arrays.copyOf(pptx, pptx.length / 3), ProcessingLimits.defaults()))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("truncated or corrupt");
    }
}
