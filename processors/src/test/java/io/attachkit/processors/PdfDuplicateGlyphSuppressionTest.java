package io.attachkit.processors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/**
 * {@link PageTextCollector} drops duplicate overlapping glyphs with {@link DuplicateGlyphFilter} instead of
 * PDFBox's own suppression: every page's text must be what a stock {@link PDFTextStripper} (suppression on,
 * no sorting) reads from that page, on pages built to exercise the filter's paths: fake bold (the same text
 * drawn twice a fraction of a point apart), near misses just outside the tolerance, large type (the scan
 * path), ActualText spans (never suppressed), nested and unbalanced marked content, rotated and mirrored text,
 * and dense plain text.
 */
class PdfDuplicateGlyphSuppressionTest {
    private static final String FAKE_BOLD = "BT /F1 12 Tf 72 700 Td (Bold heading text) Tj ET\n"
            + "BT /F1 12 Tf 72.3 700.2 Td (Bold heading text) Tj ET\n"
            + "BT /F1 12 Tf 72.6 699.9 Td (Bold heading text) Tj ET\n";
    /** Four points below: more than a third of the widest glyph's width (m, 10 points at 12 pt). */
    private static final String NEAR_MISS = "BT /F1 12 Tf 72 650 Td (near miss) Tj ET\n"
            + "BT /F1 12 Tf 72 646 Td (near miss) Tj ET\n";
    private static final String LARGE = "BT /F1 96 Tf 40 500 Td (WIDE) Tj ET\nBT /F1 96 Tf 45 506 Td (WIDE) Tj ET\n"
            + "BT /F1 40 Tf 40 420 Td (Title) Tj ET\nBT /F1 40 Tf 41 420.5 Td (Title) Tj ET\n";
    private static final String ACTUAL_TEXT = "/Span <</ActualText (replacement)>> BDC\n"
            + "BT /F1 12 Tf 72 380 Td (abc) Tj ET BT /F1 12 Tf 72 380 Td (abc) Tj ET EMC\n"
            + "/P <<>> BDC /Span <</ActualText (inner)>> BDC BT /F1 12 Tf 72 360 Td (xyz) Tj ET EMC\n"
            + "BT /F1 12 Tf 72 360 Td (xyz) Tj ET EMC EMC\n"
            + "/Span <</ActualText (outer)>> BDC /P <<>> BDC BT /F1 12 Tf 72 340 Td (dup) Tj ET EMC\n"
            + "BT /F1 12 Tf 72 340 Td (dup) Tj ET EMC\n";
    private static final String ROTATED = "BT /F1 12 Tf 0 1 -1 0 300 300 Tm (rotated text) Tj ET\n"
            + "BT /F1 12 Tf 0 1 -1 0 300.2 300.1 Tm (rotated text) Tj ET\n"
            + "BT /F1 12 Tf -1 0 0 1 400 200 Tm (mirrored) Tj ET\nBT /F1 12 Tf -1 0 0 1 400.1 200 Tm (mirrored) Tj ET\n"
            + "BT /F1 12 Tf 1 0 0 -1 100 150 Tm (upside) Tj ET\nBT /F1 12 Tf 1 0 0 -1 100 150 Tm (upside) Tj ET\n"
            + "BT /F1 0 Tf 100 120 Td (zero size) Tj ET BT /F1 0 Tf 100 120 Td (zero size) Tj ET\n";
    private static final String UNBALANCED = "/Span <</ActualText (left open)>> BDC BT /F1 12 Tf 72 700 Td (open) Tj ET\n"
            + "BT /F1 12 Tf 72 700 Td (open) Tj ET\n";
    private static final String EXTRA_EMC = "EMC EMC BT /F1 12 Tf 72 700 Td (after) Tj ET BT /F1 12 Tf 72 700 Td (after) Tj ET\n";

    @Test
    void everyPage_readsAsPdfBoxsOwnSuppressionReadsIt() throws IOException {
        List<byte[]> pdfs = new ArrayList<>(List.of(
                Fixtures.rawPage(FAKE_BOLD + NEAR_MISS + LARGE + ACTUAL_TEXT + ROTATED, null),
                Fixtures.rawPage(UNBALANCED, null),
                Fixtures.rawPage(EXTRA_EMC, null),
                Fixtures.textPdf("Dense", IntStream.range(0, 4).mapToObj(PdfDuplicateGlyphSuppressionTest::densePage).toList()),
                Fixtures.textPdf("Unicode", List.of(List.of("Grüße aus Zürich – naïve café", "Ελληνικά και русский текст"),
                        List.of("aaaa aaaa aaaa", "aaaa aaaa aaaa"))),
                Fixtures.mixedPdf(List.of(List.of("Typed page"), List.of("Scanned page")), List.of(false, true))));

        for (byte[] bytes : pdfs) {
            try (PDDocument doc = Loader.loadPDF(bytes)) {
                List<PageLayer> layers = new PageTextCollector(Long.MAX_VALUE).collect(doc, doc.getNumberOfPages());
                assertThat(layers).hasSize(doc.getNumberOfPages());
                for (int p = 1; p <= doc.getNumberOfPages(); p++) {
                    assertThat(layers.get(p - 1).text()).as("page %d", p).isEqualTo(pdfBoxText(doc, p));
                }
            }
        }
    }

    @Test
    void fakeBold_isReadOnce_andNearMissesAreKept() throws IOException {
        try (PDDocument doc = Loader.loadPDF(Fixtures.rawPage(FAKE_BOLD + NEAR_MISS, null))) {
            String text = new PageTextCollector(Long.MAX_VALUE).collect(doc, 1).get(0).text();

            assertThat(text).containsOnlyOnce("Bold heading text");
            assertThat(text.chars().filter(c -> c == 'm').count()).as("both draws of the near miss are read").isEqualTo(2);
        }
    }

    /** Fifty lines of the same few words, so each letter recurs in the same columns on many lines. */
    private static List<String> densePage(int p) {
        String[] words = "attachment storage processing language model page text layer".split(" ");
        List<String> lines = new ArrayList<>();
        for (int l = 0; l < 50; l++) {
            StringBuilder sb = new StringBuilder("p" + p + " ");
            for (int w = 0; w < 10; w++) {
                sb.append(words[(p * 3 + l * 7 + w * 3) % words.length]).append(' ');
            }
            lines.add(sb.toString().strip());
        }
        return lines;
    }

    private static String pdfBoxText(PDDocument doc, int page) throws IOException {
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setSortByPosition(false);
        stripper.setSuppressDuplicateOverlappingText(true);
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        return stripper.getText(doc);
    }
}
