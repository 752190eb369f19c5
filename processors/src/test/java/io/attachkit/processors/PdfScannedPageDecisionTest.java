package io.attachkit.processors;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingLimits;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which PDF pages are OCR'd: only pages whose images cover a meaningful part of them and whose text layer cannot
 * stand for the page ({@link ScannedPageRule}). Each test runs the real processor with real Tesseract; the
 * tests that must not OCR also run it with an engine that is not installed, where a page chosen for OCR shows
 * up as a "not OCR'd" warning.
 */
class PdfScannedPageDecisionTest {
    private static final OcrEngine OCR = OcrEngine.builder().maxInstances(1).build();
    private static final String SCAN_LINE_1 = "The quick brown fox jumps over";
    private static final String SCAN_LINE_2 = "the lazy dog near the river bank";
    private static final String FULL_PAGE_IMAGE = "q 595.28 0 0 841.89 0 0 cm /Im1 Do Q\n";

    private final PdfTextProcessor pdf = new PdfTextProcessor(OCR);

    @TempDir
    Path empty;

    @AfterAll
    static void closeOcr() {
        OCR.close();
    }

    @Test
    void shortVectorTextLine_withoutImages_keepsItsTextLayer_andIsNotOcrd() {
        byte[] bytes = Fixtures.textPdf("Short", List.of(List.of("page text here"), List.of("Annual Report")));

        ProcessedContent pc = process(pdf, bytes, ProcessingLimits.defaults());

        assertThat(pc.get("processing_method")).isEqualTo("text");
        assertThat(pc.get("ocr_pages")).isEqualTo(List.of());
        assertThat(sources(pc)).containsExactly("text", "text");
        assertThat(pageText(pc, 0)).isEqualTo("page text here");
        assertThat(pageText(pc, 1)).isEqualTo("Annual Report");
        assertThat(process(withoutOcr(), bytes, ProcessingLimits.defaults()).warnings()).as("no page was chosen for OCR").isEmpty();
    }

    @Test
    void blankPage_withoutContentStream_isBlank_notOcrd_andLaterPagesKeepTheirNumbers() {
        byte[] bytes = pdfWithBlankMiddlePage();

        ProcessedContent pc = process(pdf, bytes, ProcessingLimits.defaults());

        assertThat(pc.get("pages_read")).isEqualTo(3);
        assertThat(sources(pc)).containsExactly("text", "text", "text");
        assertThat(pageText(pc, 0)).isEqualTo("First page");
        assertThat(pageText(pc, 1)).isEmpty();
        assertThat(pageText(pc, 2)).isEqualTo("Third page");
        assertThat(pc.get("ocr_pages")).isEqualTo(List.of());
        assertThat(process(withoutOcr(), bytes, ProcessingLimits.defaults()).warnings()).isEmpty();
    }

    @Test
    void blankPage_withEmptyContentStream_isBlank_notOcrd() {
        byte[] bytes = Fixtures.rawPage("", null);

        assertThat(process(pdf, bytes, ProcessingLimits.defaults()).text()).isEmpty();
        assertThat(process(withoutOcr(), bytes, ProcessingLimits.defaults()).warnings()).isEmpty();
    }

    @Test
    void garbageTextLayer_overFullPageScan_isOcrd() {
        // 40 codes Helvetica's WinAnsi encoding does not map: the stripper yields control characters
        StringBuilder garbage = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            garbage.append(String.format("%02x", 1 + i % 20));
        }
        byte[] bytes = Fixtures.rawPage(FULL_PAGE_IMAGE + "BT /F1 12 Tf 60 780 Td <" + garbage + "> Tj ET\n",
                Fixtures.a4Scan(List.of(SCAN_LINE_1, SCAN_LINE_2)));

        ProcessedContent pc = process(pdf, bytes, ProcessingLimits.defaults());

        assertThat(pc.get("ocr_pages")).isEqualTo(List.of(1));
        assertThat(sources(pc)).containsExactly("ocr");
        assertThat(Fixtures.wordAccuracy(SCAN_LINE_1 + " " + SCAN_LINE_2, pc.text())).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void shortStamp_overFullPageScan_isOcrd_becauseTheScanIsThePage() {
        byte[] bytes = Fixtures.rawPage(FULL_PAGE_IMAGE + "BT /F1 9 Tf 500 20 Td (Page 1 of 3) Tj ET\n",
                Fixtures.a4Scan(List.of(SCAN_LINE_1, SCAN_LINE_2)));

        ProcessedContent pc = process(pdf, bytes, ProcessingLimits.defaults());

        assertThat(pc.get("ocr_pages")).isEqualTo(List.of(1));
        assertThat(Fixtures.wordAccuracy(SCAN_LINE_1 + " " + SCAN_LINE_2, pc.text())).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void searchableScan_withInvisibleTextLayer_keepsTheTextLayer() {
        String layer = "Invoice number 4711 due in thirty days";
        byte[] bytes = Fixtures.rawPage(FULL_PAGE_IMAGE + "BT 3 Tr /F1 12 Tf 60 780 Td (" + layer + ") Tj ET\n",
                Fixtures.a4Scan(List.of(SCAN_LINE_1, SCAN_LINE_2)));

        ProcessedContent pc = process(pdf, bytes, ProcessingLimits.defaults());

        assertThat(pc.get("ocr_pages")).isEqualTo(List.of());
        assertThat(sources(pc)).containsExactly("text");
        assertThat(pc.text()).isEqualTo(layer);
    }

    @Test
    void smallLogo_withoutText_isNotOcrd() {
        BufferedImage logo = Fixtures.textImage(List.of("ACME"), 200, 80, 40, BufferedImage.TYPE_BYTE_GRAY);
        byte[] bytes = Fixtures.rawPage("q 60 0 0 24 40 790 cm /Im1 Do Q\n", logo);

        ProcessedContent pc = process(pdf, bytes, ProcessingLimits.defaults());

        assertThat(pc.get("ocr_pages")).isEqualTo(List.of());
        assertThat(pc.text()).isEmpty();
        assertThat(process(withoutOcr(), bytes, ProcessingLimits.defaults()).warnings()).isEmpty();
    }

    @Test
    void inlineImageScan_withoutTextLayer_isOcrd() {
        BufferedImage scan = binarized(Fixtures.textImage(List.of(SCAN_LINE_1, SCAN_LINE_2), 1200, 300, 40, BufferedImage.TYPE_BYTE_GRAY));
        byte[] bytes = Fixtures.rawPage("q 595 0 0 149 0 680 cm " + Fixtures.inlineImage(scan) + " Q\n", null);

        ProcessedContent pc = process(pdf, bytes, ProcessingLimits.defaults());

        assertThat(pc.get("ocr_pages")).isEqualTo(List.of(1));
        assertThat(Fixtures.wordAccuracy(SCAN_LINE_1 + " " + SCAN_LINE_2, pc.text())).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void scanInsideAFormXObject_isOcrd() throws IOException {
        byte[] bytes;
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            var form = new org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject(doc);
            form.setBBox(PDRectangle.A4);
            form.setResources(new org.apache.pdfbox.pdmodel.PDResources());
            try (var cs = new org.apache.pdfbox.pdmodel.PDFormContentStream(form)) {
                cs.drawImage(org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory.createFromImage(doc,
                        Fixtures.a4Scan(List.of(SCAN_LINE_1, SCAN_LINE_2))), 0, 0, PDRectangle.A4.getWidth(), PDRectangle.A4.getHeight());
            }
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.drawForm(form);
            }
            bytes = Fixtures.save(doc);
        }

        ProcessedContent pc = process(pdf, bytes, ProcessingLimits.defaults());

        assertThat(pc.get("ocr_pages")).isEqualTo(List.of(1));
        assertThat(Fixtures.wordAccuracy(SCAN_LINE_1 + " " + SCAN_LINE_2, pc.text())).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void thousandsOfShortTextPages_readUpToMaxPages_asText_andMarkedTruncated() {
        byte[] bytes = Fixtures.textPdf("Many", IntStream.rangeClosed(1, 3000).mapToObj(i -> List.of("page text " + i)).toList());

        ProcessedContent pc = process(pdf, bytes, ProcessingLimits.defaults());

        assertThat(pc.get("pages")).isEqualTo(3000);
        assertThat(pc.get("pages_read")).isEqualTo(500);
        assertThat(sources(pc)).hasSize(500).containsOnly("text");
        assertThat(pageText(pc, 499)).isEqualTo("page text 500");
        assertThat(pc.get("ocr_pages")).isEqualTo(List.of());
        assertThat(pc.get("truncated")).isEqualTo(true);
        assertThat(pc.warnings()).containsExactly("only the first 500 of 3000 pages were read (maxPages)");
        assertThat(pc.overview()).endsWith("(truncated).");
    }

    private PdfTextProcessor withoutOcr() {
        return new PdfTextProcessor(OcrEngine.builder(Map.of()).tessdataDir(empty.resolve("missing")).build());
    }

    private static ProcessedContent process(PdfTextProcessor p, byte[] bytes, ProcessingLimits limits) {
        return p.process(Fixtures.input("doc.pdf", "application/pdf", bytes), limits);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> spans(ProcessedContent pc) {
        return (List<Map<String, Object>>) pc.get("page_spans");
    }

    private static List<Object> sources(ProcessedContent pc) {
        return spans(pc).stream().map(s -> s.get("source")).toList();
    }

    private static String pageText(ProcessedContent pc, int index) {
        Map<String, Object> span = spans(pc).get(index);
        return pc.text().substring((Integer) span.get("start"), (Integer) span.get("end"));
    }

    /** Only black and white pixels, so no byte of the inline data can read as "EI" between spaces. */
    private static BufferedImage binarized(BufferedImage gray) {
        byte[] px = ((java.awt.image.DataBufferByte) gray.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((px[i] & 0xff) < 128 ? 0 : 255);
        }
        return gray;
    }

    private static byte[] pdfWithBlankMiddlePage() {
        try (PDDocument doc = new PDDocument();
             InputStream font = Fixtures.class.getResourceAsStream("/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf")) {
            PDType0Font f = PDType0Font.load(doc, font);
            for (String text : new String[] {"First page", null, "Third page"}) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                if (text != null) {
                    try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                        cs.beginText();
                        cs.setFont(f, 12);
                        cs.newLineAtOffset(60, 780);
                        cs.showText(text);
                        cs.endText();
                    }
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
