package io.attachkit.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingLimits;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class PdfTextProcessorTest {
    private static final OcrEngine OCR = OcrEngine.builder().maxInstances(1).build();
    private final PdfTextProcessor pdf = new PdfTextProcessor(OCR);

    @AfterAll
    static void closeOcr() {
        OCR.close();
    }

    @Test
    void textPdf_multiPageUnicode_extractsEveryPageWithOffsetsAndInfo() {
        byte[] bytes = Fixtures.textPdf("Quarterly Report", List.of(
                List.of("Grüße aus Zürich – naïve café", "Ελληνικά και русский текст"),
                List.of("Second page: revenue rose 12% to €4.2M"),
                List.of("Third page ends here")));

        ProcessedContent pc = pdf.process(Fixtures.input("report.pdf", "application/pdf", bytes), ProcessingLimits.defaults());

        assertThat(pc.type()).isEqualTo("document");
        assertThat(pc.get("pages")).isEqualTo(3);
        assertThat(pc.get("processing_method")).isEqualTo("text");
        assertThat(pc.get("ocr_pages")).isEqualTo(List.of());
        assertThat(pc.text()).contains("Grüße aus Zürich – naïve café", "Ελληνικά και русский текст", "€4.2M", "Third page ends here");
        assertThat(pc.get("info")).isEqualTo(Map.of("title", "Quarterly Report", "author", "Ada Lovelace"));
        assertThat(pc.overview()).startsWith("PDF document \"Quarterly Report\" by Ada Lovelace, 3 pages,").contains("text layer");

        List<Map<String, Object>> spans = spans(pc);
        assertThat(spans).hasSize(3);
        assertThat(pageText(pc, spans.get(1))).isEqualTo("Second page: revenue rose 12% to €4.2M");
        assertThat(pageText(pc, spans.get(2))).isEqualTo("Third page ends here");
        assertThat(spans.get(0).get("source")).isEqualTo("text");
        assertThat(pc.get("words")).isEqualTo((long) pc.text().trim().split("\\s+").length);
    }

    @Test
    void scannedPage_isRenderedAndOcrd_andMethodIsMixed() {
        List<String> scannedLines = List.of("The quick brown fox jumps over", "the lazy dog near the river bank");
        byte[] bytes = Fixtures.mixedPdf(List.of(List.of("Typed page with a real text layer"), scannedLines), List.of(false, true));

        ProcessedContent pc = pdf.process(Fixtures.input("mixed.pdf", "application/pdf", bytes), ProcessingLimits.defaults());

        assertThat(pc.get("processing_method")).isEqualTo("mixed");
        assertThat(pc.get("ocr_pages")).isEqualTo(List.of(2));
        List<Map<String, Object>> spans = spans(pc);
        assertThat(spans.get(0).get("source")).isEqualTo("text");
        assertThat(spans.get(1).get("source")).isEqualTo("ocr");
        assertThat(pageText(pc, spans.get(0))).isEqualTo("Typed page with a real text layer");
        assertThat(Fixtures.wordAccuracy(String.join(" ", scannedLines), pageText(pc, spans.get(1)))).isGreaterThanOrEqualTo(0.95);
        assertThat((Integer) pc.get("ocr_mean_confidence")).isGreaterThan(70);
        assertThat(pc.overview()).contains("OCR of pages [2]");
    }

    @Test
    void fullyScannedPdf_isOcrMethod() {
        byte[] bytes = Fixtures.mixedPdf(List.of(List.of("Invoice number 4711 due in thirty days")), List.of(true));

        ProcessedContent pc = pdf.process(Fixtures.input("scan.pdf", "application/pdf", bytes), ProcessingLimits.defaults());

        assertThat(pc.get("processing_method")).isEqualTo("ocr");
        assertThat(pc.get("ocr_pages")).isEqualTo(List.of(1));
        assertThat(pc.text()).contains("Invoice number 4711 due in thirty days");
    }

    @Test
    void scannedPage_withoutTesseract_keepsTextPagesAndWarnsHowToInstall(@org.junit.jupiter.api.io.TempDir java.nio.file.Path empty) {
        PdfTextProcessor noOcr = new PdfTextProcessor(OcrEngine.builder(Map.of()).tessdataDir(empty.resolve("missing")).build());
        byte[] bytes = Fixtures.mixedPdf(List.of(List.of("Typed page"), List.of("scanned words")), List.of(false, true));

        ProcessedContent pc = noOcr.process(Fixtures.input("mixed.pdf", "application/pdf", bytes), ProcessingLimits.defaults());

        assertThat(pc.text()).isEqualTo("Typed page\n\n");
        assertThat(pc.get("processing_method")).isEqualTo("text");
        assertThat(pc.warnings()).singleElement().asString().contains("not OCR'd").contains("apt-get install tesseract-ocr");
    }

    @Test
    void maxPagesAndMaxOutputChars_boundTheResult() {
        List<List<String>> pages = java.util.stream.IntStream.rangeClosed(1, 10)
                .mapToObj(i -> List.of("Page number " + i + " with some filler words")).toList();
        byte[] bytes = Fixtures.textPdf("Long", pages);

        ProcessedContent fewPages = pdf.process(Fixtures.input("long.pdf", "application/pdf", bytes),
                ProcessingLimits.builder().maxPages(3).build());
        assertThat(fewPages.get("pages")).isEqualTo(10);
        assertThat(fewPages.get("pages_read")).isEqualTo(3);
        assertThat(fewPages.text()).contains("Page number 3").doesNotContain("Page number 4");
        assertThat(fewPages.warnings()).anyMatch(w -> w.contains("first 3 of 10 pages"));
        assertThat(fewPages.get("truncated")).as("pages past maxPages were not read").isEqualTo(true);

        ProcessedContent fewChars = pdf.process(Fixtures.input("long.pdf", "application/pdf", bytes),
                ProcessingLimits.builder().maxOutputChars(50).build());
        assertThat(fewChars.text()).hasSizeLessThanOrEqualTo(50).startsWith("Page number 1");
        assertThat(fewChars.get("truncated")).isEqualTo(true);
    }

    @Test
    void encryptedPdf_withUserPassword_isRefusedSayingEncrypted() throws Exception {
        byte[] plain = Fixtures.textPdf("Secret", List.of(List.of("classified")));
        byte[] encrypted;
        try (PDDocument doc = Loader.loadPDF(plain)) {
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-pw", "user-pw", new AccessPermission());
            policy.setEncryptionKeyLength(256);
            doc.protect(policy);
            encrypted = Fixtures.save(doc);
        }

        assertThatThrownBy(() -> pdf.process(Fixtures.input("secret.pdf", "application/pdf", encrypted), ProcessingLimits.defaults()))
                .isInstanceOf(ProcessingException.class)
                .hasMessageContaining("'secret.pdf' is an encrypted PDF that needs a password");
    }

    @Test
    void truncatedPdf_isRefusedSayingTruncated() {
        byte[] whole = Fixtures.textPdf("Cut", List.of(List.of("first"), List.of("second")));
        byte[] truncated = Arrays.copyOf(whole, whole.length / 2);

        assertThatThrownBy(() -> pdf.process(Fixtures.input("cut.pdf", "application/pdf", truncated), ProcessingLimits.defaults()))
                .isInstanceOf(ProcessingException.class)
                .hasMessageContaining("'cut.pdf' is a truncated or corrupt PDF");
    }

    @Test
    void garbageWithPdfMarkers_isRefusedAsCorrupt() {
        byte[] garbage = "%PDF-1.7\nthis is not really a pdf at all\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> pdf.process(Fixtures.input("bad.pdf", "application/pdf", garbage), ProcessingLimits.defaults()))
                .isInstanceOf(ProcessingException.class)
                .hasMessageContaining("'bad.pdf'");
    }

    @Test
    void notAPdf_isRefused() {
        byte[] png = Fixtures.encode(Fixtures.textImage(List.of("x"), 10, 10, 8, java.awt.image.BufferedImage.TYPE_INT_RGB), "png");
        assertThatThrownBy(() -> pdf.process(Fixtures.input("fake.pdf", "application/pdf", png), ProcessingLimits.defaults()))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("not a PDF");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> spans(ProcessedContent pc) {
        return (List<Map<String, Object>>) pc.get("page_spans");
    }

    private static String pageText(ProcessedContent pc, Map<String, Object> span) {
        return pc.text().substring((Integer) span.get("start"), (Integer) span.get("end"));
    }

}
