package io.attachkit.benchmarks.processors;

import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.processors.OcrEngine;
import io.attachkit.processors.OcrResult;
import io.attachkit.processors.PdfTextProcessor;
import io.attachkit.storage.local.LocalFileStore;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * Measures the processors end to end and prints the figures the processors issue asks for. Needs
 * {@code pdftotext} (poppler-utils) and {@code tesseract} on the PATH.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * OMP_THREAD_LIMIT=1 java -cp benchmarks/target/benchmarks.jar io.attachkit.benchmarks.processors.ProcessorsBenchmark [pages] [runs]
 * </pre>
 */
public final class ProcessorsBenchmark {
    private static final String FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
    private static final String WORDS = "attachment storage processing language model scanned receipt invoice table column "
            + "document page text layer recognition engine worker thread cache digest version limit stream";
    private static final PrintStream OUT = System.out;

    private ProcessorsBenchmark() {
    }

    /**
     * Runs every measurement.
     *
     * @param args optional: number of PDF pages (default 120), timed runs per measurement (default 5)
     * @throws Exception if a tool is missing or a run fails
     */
    public static void main(String[] args) throws Exception {
        int pages = args.length > 0 ? Integer.parseInt(args[0]) : 120;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("attachkit-bench-");
        OUT.printf(Locale.ROOT, "attachkit processors benchmark: %d cores, OMP_THREAD_LIMIT=%s, java %s%n",
                Runtime.getRuntime().availableProcessors(), System.getenv("OMP_THREAD_LIMIT"), System.getProperty("java.version"));
        pdfText(dir, pages, runs);
        try (OcrEngine ocr = OcrEngine.builder().maxInstances(2).build()) {
            if (!ocr.isInstalled()) {
                OUT.println("OCR skipped: " + ocr.notInstalledReason().orElse("") + "; " + OcrEngine.installHint());
            } else {
                OcrVersusTesseract.run(ocr, dir, runs);
                ocrThroughput(ocr, a4Page());
            }
        }
        cachedProcess(dir, runs);
    }

    /**
     * The PDF row: warm (this JVM, after {@link #PDF_WARMUP_RUNS} untimed runs of each) and cold (a fresh JVM per
     * run, one document: JVM start, class loading and JIT included, as a one-shot command line tool pays them),
     * each run interleaved with a {@code pdftotext} run of the same file, medians of {@code runs}.
     */
    private static void pdfText(Path dir, int pages, int runs) throws Exception {
        Path pdf = dir.resolve("text-" + pages + ".pdf");
        writeTextPdf(pdf, pages);
        Path txt = dir.resolve("out.txt");
        List<String> pdftotext = List.of("pdftotext", pdf.toString(), txt.toString());
        List<String> cold = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), PdfOnce.class.getName(), pdf.toString());
        ProcessedContent warm;
        try (PdfTextProcessor processor = new PdfTextProcessor()) {
            ProcessingInput input = new ProcessingInput(pdf.getFileName().toString(), "application/pdf", Files.size(pdf), null,
                    () -> Files.newInputStream(pdf), null);
            warm = processor.process(input, ProcessingLimits.defaults());
            for (int i = 1; i < PDF_WARMUP_RUNS; i++) {
                processor.process(input, ProcessingLimits.defaults());
            }
            run(pdftotext);
            double[] ours = new double[runs];
            double[] theirs = new double[runs];
            for (int i = 0; i < runs; i++) {
                ours[i] = timed(() -> processor.process(input, ProcessingLimits.defaults()));
                theirs[i] = timed(() -> run(pdftotext));
            }
            OUT.printf(Locale.ROOT, "PDF text, %d pages (%,d chars, %s words), warm (%d untimed runs first), median of %d:"
                            + " attachkit %.0f ms, pdftotext %.0f ms, ratio %.2f%n",
                    pages, warm.text().length(), warm.get("words"), PDF_WARMUP_RUNS, runs, median(ours), median(theirs),
                    median(ours) / median(theirs));
        }
        double[] ours = new double[runs];
        double[] theirs = new double[runs];
        for (int i = 0; i < runs; i++) {
            ours[i] = timed(() -> run(cold));
            theirs[i] = timed(() -> run(pdftotext));
        }
        OUT.printf(Locale.ROOT, "PDF text, %d pages, cold (a fresh JVM per document, start-up included), median of %d:"
                + " attachkit %.0f ms, pdftotext %.0f ms, ratio %.2f%n", pages, runs, median(ours), median(theirs), median(ours) / median(theirs));
    }

    /** Untimed runs before the warm PDF row: enough for the JIT to compile PDFBox's text path. */
    private static final int PDF_WARMUP_RUNS = 5;

    /** The cold PDF run: a fresh JVM that processes one PDF (the path in its only argument) and exits. */
    public static final class PdfOnce {
        private PdfOnce() {
        }

        /**
         * @param args the PDF's path
         * @throws Exception if processing fails
         */
        public static void main(String[] args) throws Exception {
            Path pdf = Path.of(args[0]);
            try (PdfTextProcessor processor = new PdfTextProcessor()) {
                ProcessedContent pc = processor.process(new ProcessingInput(pdf.getFileName().toString(), "application/pdf",
                        Files.size(pdf), null, () -> Files.newInputStream(pdf), null), ProcessingLimits.defaults());
                if (pc.text().isEmpty()) {
                    throw new IllegalStateException("no text read from " + pdf);
                }
            }
        }
    }

    private static double timed(Action action) throws Exception {
        long t0 = System.nanoTime();
        action.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void ocrThroughput(OcrEngine ocr, BufferedImage a4) throws Exception {
        int pagesPerRun = 8;
        double one = pagesPerSecond(ocr, a4, 1, pagesPerRun);
        double two = pagesPerSecond(ocr, a4, 2, pagesPerRun);
        OUT.printf(Locale.ROOT, "OCR throughput (%d A4 pages): 1 worker %.2f pages/s, 2 workers %.2f pages/s, speed-up %.2fx%n",
                pagesPerRun, one, two, two / one);
    }

    private static double pagesPerSecond(OcrEngine ocr, BufferedImage a4, int workers, int pages) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            // warm: make sure each worker has its instance
            List<Future<OcrResult>> warm = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                warm.add(pool.submit(() -> ocr.recognize(a4, 300)));
            }
            for (Future<OcrResult> f : warm) {
                f.get();
            }
            long t0 = System.nanoTime();
            List<Future<OcrResult>> all = new ArrayList<>();
            for (int i = 0; i < pages; i++) {
                all.add(pool.submit(() -> ocr.recognize(a4, 300)));
            }
            for (Future<OcrResult> f : all) {
                f.get();
            }
            return pages / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void cachedProcess(Path dir, int runs) throws Exception {
        Path pdf = dir.resolve("cached.pdf");
        writeTextPdf(pdf, 20);
        try (LocalFileStore store = LocalFileStore.builder().root(dir.resolve("store")).build();
             Attachments attachments = Attachments.builder().store(store).build()) {
            Attachment a = Attachment.fromPath(pdf);
            long t0 = System.nanoTime();
            attachments.storeAndProcess(a);
            double firstMs = (System.nanoTime() - t0) / 1e6;
            int calls = 10_000;
            for (int i = 0; i < calls; i++) {
                attachments.process(a);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                attachments.process(a);
            }
            double perCallUs = (System.nanoTime() - t1) / 1e3 / calls;
            OUT.printf(Locale.ROOT, "Attachments.process, 20-page PDF: first storeAndProcess %.0f ms; repeated (cached) process %.1f µs per call%n",
                    firstMs, perCallUs);
        }
    }

    /** @return an A4 page at 300 DPI with ten-point text, like a scanned letter */
    static BufferedImage a4Page() throws Exception {
        BufferedImage img = new BufferedImage(2480, 3508, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try (InputStream in = ProcessorsBenchmark.class.getResourceAsStream(FONT)) {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(Color.BLACK);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(Font.createFont(Font.TRUETYPE_FONT, in).deriveFont(42f)); // 10 pt at 300 DPI
            String[] lines = a4PageText().split("\n");
            for (int i = 0; i < lines.length; i++) {
                g.drawString(lines[i], 200, 250 + 70 * i);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** @return the text {@link #a4Page()} draws, one line per text line */
    static String a4PageText() {
        String[] words = WORDS.split(" ");
        StringBuilder text = new StringBuilder();
        for (int line = 0; 250 + 70 * line < 3300; line++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 11; w++) {
                sb.append(words[(line * 7 + w * 3) % words.length]).append(' ');
            }
            text.append(sb.toString().strip()).append('\n');
        }
        return text.toString();
    }

    private static void writeTextPdf(Path file, int pages) throws IOException {
        String[] words = WORDS.split(" ");
        try (PDDocument doc = new PDDocument(); InputStream font = ProcessorsBenchmark.class.getResourceAsStream(FONT)) {
            PDType0Font f = PDType0Font.load(doc, font);
            for (int p = 0; p < pages; p++) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(f, 10);
                    cs.setLeading(14);
                    cs.newLineAtOffset(50, 790);
                    for (int l = 0; l < 52; l++) {
                        StringBuilder sb = new StringBuilder("p" + (p + 1) + " ");
                        for (int w = 0; w < 12; w++) {
                            sb.append(words[(p * 13 + l * 7 + w * 3) % words.length]).append(' ');
                        }
                        cs.showText(sb.toString().strip());
                        cs.newLine();
                    }
                    cs.endText();
                }
            }
            doc.save(file.toFile());
        }
    }

    /** A timed action. */
    @FunctionalInterface
    private interface Action {
        Object run() throws Exception;
    }

    private static double median(int runs, Action action) throws Exception {
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            action.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[runs / 2];
    }

    private static Object run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("OMP_THREAD_LIMIT", "1");
        int rc = pb.start().waitFor();
        if (rc != 0) {
            throw new IOException(command + " exited with " + rc);
        }
        return rc;
    }
}
