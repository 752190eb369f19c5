package io.attachkit.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a PDF's pages in ranges on several threads ({@link PageRangeReader}) gives exactly what one
 * sequential pass ({@link PageTextCollector}) gives: the same layers in page order, the same stop at the page
 * limit and at the character budget, blank pages in their place, marked content left open across a page, and
 * the processor's whole result (text, page spans, OCR of a scanned page, every key) unchanged.
 */
class PdfPageRangeReaderTest {
    private static final String FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
    private static final OcrEngine OCR = OcrEngine.builder().maxInstances(1).build();

    @TempDir
    Path dir;

    @AfterAll
    static void closeOcr() {
        OCR.close();
    }

    @Test
    void everyPage_inPageOrder_asOneSequentialPass() throws IOException {
        Path file = write(textPdf(40, Set.of(), Set.of()));

        List<PageLayer> parallel = parallel(file, 40, Long.MAX_VALUE);

        assertThat(parallel).isEqualTo(sequential(file, 40, Long.MAX_VALUE));
        assertThat(parallel).hasSize(40);
        for (int p = 0; p < 40; p++) {
            assertThat(parallel.get(p).text()).as("page %d", p + 1).startsWith("Page " + (p + 1) + " line 1 ");
        }
    }

    @Test
    void pageLimit_andBlankPages_asOneSequentialPass() throws IOException {
        // pages without a content stream, inside a range, at a range's start and at the end of what is read
        Path file = write(textPdf(30, Set.of(3, 9, 10, 17, 25), Set.of()));

        for (int lastPage : List.of(8, 10, 17, 25, 30)) {
            assertThat(parallel(file, lastPage, Long.MAX_VALUE)).as("pages 1..%d", lastPage).isEqualTo(sequential(file, lastPage, Long.MAX_VALUE));
        }
    }

    @Test
    void characterBudget_stopsAtTheSamePage() throws IOException {
        Path file = write(textPdf(30, Set.of(12), Set.of()));
        long page = sequential(file, 1, Long.MAX_VALUE).get(0).text().length();

        for (long budget : List.of(1L, page, page * 3 + 1, page * 7, page * 16 - 1, page * 27)) {
            List<PageLayer> sequential = sequential(file, 30, budget);
            assertThat(parallel(file, 30, budget)).as("budget %d", budget).isEqualTo(sequential);
            assertThat(sequential).as("the budget cut the document (budget %d)", budget).hasSizeLessThan(30);
        }
    }

    @Test
    void markedContentLeftOpenAcrossPages_asOneSequentialPass() throws IOException {
        // PDFBox carries an unclosed ActualText span into the following pages
        Path file = write(textPdf(24, Set.of(), Set.of(5, 13)));

        List<PageLayer> sequential = sequential(file, 24, Long.MAX_VALUE);

        assertThat(parallel(file, 24, Long.MAX_VALUE)).isEqualTo(sequential);
        assertThat(sequential.get(5).text()).as("page 6 reads as the ActualText page 5 left open").doesNotContain("Page 6");
    }

    @Test
    void interruptedCaller_stopsWithInterruptedIOException() throws IOException {
        Path file = write(textPdf(20, Set.of(), Set.of()));
        try (PDDocument doc = Loader.loadPDF(file.toFile()); PageRangeReader reader = new PageRangeReader(3, 3)) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> reader.read(file, doc, 20, Long.MAX_VALUE)).isInstanceOf(InterruptedIOException.class);
            } finally {
                Thread.interrupted();
            }
        }
    }

    @Test
    void processorResult_withHelpers_isTheSingleThreadedOne() {
        List<List<String>> pages = IntStream.rangeClosed(1, 12).mapToObj(p -> List.of("Typed page " + p, "with a text layer")).toList();
        List<Boolean> scanned = IntStream.rangeClosed(1, 12).mapToObj(p -> p == 7).toList();
        byte[] bytes = Fixtures.mixedPdf(pages, scanned);
        try (PdfTextProcessor single = new PdfTextProcessor(OCR, 1); PdfTextProcessor several = new PdfTextProcessor(OCR, 4)) {
            for (ProcessingLimits limits : List.of(ProcessingLimits.defaults(), ProcessingLimits.builder().maxPages(9).build(),
                    ProcessingLimits.builder().maxOutputChars(200).build())) {
                ProcessedContent one = single.process(Fixtures.input("mixed.pdf", "application/pdf", bytes), limits);
                ProcessedContent many = several.process(Fixtures.input("mixed.pdf", "application/pdf", bytes), limits);
                assertThat(many.asMap()).as("%s", limits).isEqualTo(one.asMap());
            }
            ProcessedContent all = several.process(Fixtures.input("mixed.pdf", "application/pdf", bytes), ProcessingLimits.defaults());
            assertThat(all.get("ocr_pages")).isEqualTo(OCR.isInstalled() ? List.of(7) : List.of());
        }
    }

    private static List<PageLayer> sequential(Path file, int lastPage, long budget) throws IOException {
        try (PDDocument doc = Loader.loadPDF(file.toFile())) {
            return new PageTextCollector(budget).collect(doc, lastPage);
        }
    }

    /** With three threads whatever the machine has, so that helpers take ranges. */
    private static List<PageLayer> parallel(Path file, int lastPage, long budget) throws IOException {
        try (PDDocument doc = Loader.loadPDF(file.toFile()); PageRangeReader reader = new PageRangeReader(3, 3)) {
            return reader.read(file, doc, lastPage, budget);
        }
    }

    private Path write(byte[] pdf) throws IOException {
        return Files.write(dir.resolve("doc-" + System.nanoTime() + ".pdf"), pdf);
    }

    /**
     * @param blank 1-based pages without a content stream
     * @param openActualText 1-based pages that open an ActualText span and never close it
     */
    private static byte[] textPdf(int pages, Set<Integer> blank, Set<Integer> openActualText) throws IOException {
        try (PDDocument doc = new PDDocument(); InputStream font = PdfPageRangeReaderTest.class.getResourceAsStream(FONT)) {
            PDType0Font f = PDType0Font.load(doc, font);
            for (int p = 1; p <= pages; p++) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                if (blank.contains(p)) {
                    continue;
                }
                if (openActualText.contains(p)) {
                    PDResources resources = new PDResources();
                    resources.put(COSName.getPDFName("F1"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
                    page.setResources(resources);
                    String content = "BT /F1 12 Tf 72 700 Td (Page " + p + " line 1 before) Tj ET\n"
                            + "/Span <</ActualText (left open on page " + p + ")>> BDC BT /F1 12 Tf 72 680 Td (hidden) Tj ET\n";
                    page.setContents(new PDStream(doc, new ByteArrayInputStream(content.getBytes(StandardCharsets.ISO_8859_1))));
                    continue;
                }
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(f, 10);
                    cs.setLeading(14);
                    cs.newLineAtOffset(50, 790);
                    for (String line : lines(p)) {
                        cs.showText(line);
                        cs.newLine();
                    }
                    cs.endText();
                }
            }
            return Fixtures.save(doc);
        }
    }

    private static List<String> lines(int page) {
        List<String> lines = new ArrayList<>();
        for (int l = 1; l <= 20; l++) {
            lines.add("Page " + page + " line " + l + " storage processing text layer " + (page * 31 + l));
        }
        return lines;
    }
}
