package io.attachkit.benchmarks.office;

import io.attachkit.ContentProcessor;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.processors.office.DocProcessor;
import io.attachkit.processors.office.DocxProcessor;
import io.attachkit.processors.office.PptProcessor;
import io.attachkit.processors.office.XlsProcessor;
import io.attachkit.processors.office.XlsxProcessor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFTable;

/**
 * Extraction time and peak heap of the office processors on large generated files, against reference tools
 * on the same files in the same run ({@code docx2txt} for DOCX, {@code xlsx2csv} for XLSX, {@code xls2csv} for XLS,
 * {@code catppt} for PPT and {@code catdoc} for DOC, the last three from {@code catdoc}; all Debian packages), and a
 * ~100 MB xlsx processed in a child JVM with {@code -Xmx256m}. The DOC is the large DOCX converted by LibreOffice
 * ({@code soffice --headless --convert-to doc}) before any timing; without {@code soffice} the DOC row is left out.
 *
 * <pre>
 * apt-get install -y docx2txt xlsx2csv catdoc time libreoffice-writer-nogui
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.attachkit.benchmarks.office.OfficeBenchmark [dir] [runs]
 * </pre>
 *
 * <p>attachkit extracts all the text here, as the reference tools do; the -Xmx256m run keeps the default limits
 * (the statistics still cover every row). Peak heap is the sum of the heap pools' peak usage during one
 * extraction (reset before it), after a GC;
 * a reference tool's figure is its peak resident set size from GNU {@code time}. Times are medians.
 */
public final class OfficeBenchmark {
    private static final PrintStream OUT = System.out;
    /**
     * The reference tools write all the text of every slide and sheet: so does attachkit here (the defaults stop at
     * 1,000,000 characters and 500 slides or sheets).
     */
    private static final ProcessingLimits ALL_TEXT = ProcessingLimits.builder().maxOutputChars(Integer.MAX_VALUE - 16)
            .maxPages(1_000_000).build();

    private OfficeBenchmark() {
    }

    /**
     * Runs every measurement, or with {@code --xlsx-once FILE} only one xlsx extraction (the child JVM).
     *
     * @param args {@code [dir] [runs]}, or {@code --xlsx-once FILE}
     * @throws Exception if a tool is missing or a run fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--xlsx-once")) {
            Measured m = measure(new XlsxProcessor(), Path.of(args[1]), XlsxProcessorMime.MIME, ProcessingLimits.defaults());
            OUT.printf(Locale.ROOT, "RESULT %.3f %d %s%n", m.seconds, m.peakHeap, m.summary);
            return;
        }
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("attachkit-office-bench-");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Files.createDirectories(dir);
        OUT.printf(Locale.ROOT, "attachkit office benchmark: %d cores, java %s, max heap %d MiB%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);

        Path docx = dir.resolve("large.docx");
        writeDocx(docx, 40_000);
        compare("DOCX", new DocxProcessor(), docx, DocxMime.MIME, runs, List.of("docx2txt", docx.toString(), "-"));

        Path xlsx = dir.resolve("large.xlsx");
        writeXlsx(xlsx, 200_000, 6, false);
        compare("XLSX", new XlsxProcessor(), xlsx, XlsxProcessorMime.MIME, runs, List.of("xlsx2csv", xlsx.toString()));

        Path xls = dir.resolve("large.xls");
        writeXls(xls, 60_000, 6);
        compare("XLS", new XlsProcessor(), xls, "application/vnd.ms-excel", runs, List.of("xls2csv", xls.toString()));

        Path ppt = dir.resolve("large.ppt");
        writePpt(ppt, 2_000);
        try (PptProcessor pptProcessor = new PptProcessor()) {
            compare("PPT", pptProcessor, ppt, "application/vnd.ms-powerpoint", runs, List.of("catppt", ppt.toString()));
        }

        Path doc = dir.resolve("large.doc");
        if (convertWithLibreOffice(docx, "doc", doc)) {
            compare("DOC", new DocProcessor(), doc, "application/msword", runs, List.of("catdoc", doc.toString()));
        } else {
            OUT.println("\nDOC: left out (no soffice to convert the DOCX; apt-get install -y libreoffice-writer-nogui)");
        }

        Path huge = dir.resolve("huge.xlsx");
        writeXlsx(huge, 1_000_000, 7, true);
        OUT.printf(Locale.ROOT, "%nXLSX %s (%.1f MB, 1,000,000 rows x 7 columns of random numbers) in a child JVM with -Xmx256m:%n",
                huge.getFileName(), Files.size(huge) / 1e6);
        List<String> child = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), OfficeBenchmark.class.getName(), "--xlsx-once", huge.toString());
        Process p = new ProcessBuilder(child).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        String result = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse("RESULT failed (exit " + rc + "): "
                + output.lines().filter(l -> l.contains("Exception") || l.contains("Error")).findFirst().orElse(""));
        OUT.println("  " + result.substring(7) + "   (seconds, peak heap bytes, summary)");
    }

    private static void compare(String label, ContentProcessor processor, Path file, String mime, int runs, List<String> reference)
            throws Exception {
        OUT.printf(Locale.ROOT, "%n%s %s (%.1f MB)%n", label, file.getFileName(), Files.size(file) / 1e6);
        measure(processor, file, mime, ALL_TEXT); // warm-up
        double[] ours = new double[runs];
        long peak = 0;
        String summary = "";
        for (int i = 0; i < runs; i++) {
            Measured m = measure(processor, file, mime, ALL_TEXT);
            ours[i] = m.seconds;
            peak = Math.max(peak, m.peakHeap);
            summary = m.summary;
        }
        double[] theirs = new double[runs];
        long rss = 0;
        for (int i = 0; i < runs; i++) {
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "TIME %e %M"));
            cmd.addAll(reference);
            long start = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", reference) + " failed: " + err);
            }
            theirs[i] = (System.nanoTime() - start) / 1e9;
            String line = err.lines().filter(l -> l.startsWith("TIME ")).reduce((a, b) -> b).orElse("TIME 0 0");
            rss = Math.max(rss, Long.parseLong(line.split(" ")[2]) * 1024);
        }
        double a = median(ours);
        double b = median(theirs);
        OUT.printf(Locale.ROOT, "  attachkit %-10s %7.2f s  peak heap %6.1f MiB   (%s)%n", processor.name(), a, peak / 1048576.0, summary);
        OUT.printf(Locale.ROOT, "  %-20s %7.2f s  peak RSS  %6.1f MiB   (process start included)%n", reference.get(0), b, rss / 1048576.0);
        OUT.printf(Locale.ROOT, "  time ratio attachkit / %s = %.2f%n", reference.get(0), a / b);
    }

    private record Measured(double seconds, long peakHeap, String summary) {
    }

    private static Measured measure(ContentProcessor processor, Path file, String mime, ProcessingLimits limits) throws IOException {
        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(b -> b.getType() == MemoryType.HEAP).toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long start = System.nanoTime();
        ProcessedContent c = processor.process(new ProcessingInput(file.getFileName().toString(), mime, Files.size(file), null,
                () -> Files.newInputStream(file), null), limits);
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = heap.stream().mapToLong(b -> b.getPeakUsage().getUsed()).sum();
        String summary = c.text().length() + " chars" + (Boolean.TRUE.equals(c.get("truncated")) ? " (truncated at the limit)" : "");
        return new Measured(seconds, peak, summary);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** A Word document of {@code paragraphs} paragraphs, a heading every 50, a 10x4 table every 500. */
    static void writeDocx(Path file, int paragraphs) throws IOException {
        Random random = new Random(1);
        String[] words = "attachment storage processing language model scanned receipt invoice table column document page"
                .split(" ");
        try (XWPFDocument doc = new XWPFDocument(); OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < paragraphs; i++) {
                if (i % 50 == 0) {
                    XWPFParagraph h = doc.createParagraph();
                    h.setStyle("Heading1");
                    h.createRun().setText("Section " + (i / 50 + 1));
                }
                StringBuilder s = new StringBuilder();
                for (int w = 0; w < 20; w++) {
                    s.append(words[random.nextInt(words.length)]).append(' ');
                }
                doc.createParagraph().createRun().setText(s.toString().strip() + ".");
                if (i % 500 == 499) {
                    XWPFTable t = doc.createTable(10, 4);
                    for (int r = 0; r < 10; r++) {
                        for (int c = 0; c < 4; c++) {
                            t.getRow(r).getCell(c).setText(r + "/" + c);
                        }
                    }
                }
            }
            doc.write(out);
        }
    }

    /** An Excel 97-2003 workbook: one sheet of {@code rows} rows under a header, an id then numbers. */
    static void writeXls(Path file, int rows, int columns) throws IOException {
        try (org.apache.poi.hssf.usermodel.HSSFWorkbook wb = new org.apache.poi.hssf.usermodel.HSSFWorkbook();
             OutputStream out = Files.newOutputStream(file)) {
            var sheet = wb.createSheet("Data");
            var header = sheet.createRow(0);
            for (int c = 0; c < columns; c++) {
                header.createCell(c).setCellValue(c == 0 ? "id" : "value_" + c);
            }
            for (int i = 1; i <= rows; i++) {
                var row = sheet.createRow(i);
                row.createCell(0).setCellValue(i);
                for (int c = 1; c < columns; c++) {
                    row.createCell(c).setCellValue((i * c) % 1000 + 0.25);
                }
            }
            wb.write(out);
        }
    }

    /** A PowerPoint 97-2003 presentation of {@code slides} slides, each a title and a text box of two lines. */
    static void writePpt(Path file, int slides) throws IOException {
        try (org.apache.poi.hslf.usermodel.HSLFSlideShow show = new org.apache.poi.hslf.usermodel.HSLFSlideShow();
             OutputStream out = Files.newOutputStream(file)) {
            for (int i = 1; i <= slides; i++) {
                var slide = show.createSlide();
                var title = slide.addTitle();
                title.setText("Slide " + i + ": quarterly storage review");
                var box = new org.apache.poi.hslf.usermodel.HSLFTextBox();
                box.setText("Attachments stored and processed: " + (i * 37) + "\nScanned receipts read by OCR: " + (i * 11));
                box.setAnchor(new java.awt.Rectangle(50, 150, 600, 100));
                slide.addShape(box);
            }
            show.write(out);
        }
    }

    /** Converts with LibreOffice headless (not timed); {@code false} when {@code soffice} is not installed. */
    static boolean convertWithLibreOffice(Path source, String format, Path target) throws IOException, InterruptedException {
        if (Files.exists(target)) {
            return true;
        }
        if (!Files.isExecutable(Path.of("/usr/bin/soffice"))) {
            return false;
        }
        Path profile = Files.createTempDirectory("attachkit-lo-");
        Process p = new ProcessBuilder("soffice", "-env:UserInstallation=" + profile.toUri(), "--headless", "--convert-to", format,
                "--outdir", target.getParent().toString(), source.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IOException("soffice --convert-to " + format + " failed on " + source);
        }
        Path written = target.getParent().resolve(source.getFileName().toString().replaceFirst("\\.[^.]+$", "." + format));
        if (!written.equals(target)) {
            Files.move(written, target);
        }
        return true;
    }

    /** One sheet of {@code rows} rows under a header: an id, then numbers (random doubles if {@code random}). */
    static void writeXlsx(Path file, int rows, int columns, boolean random) throws IOException {
        Random r = new Random(2);
        try (SXSSFWorkbook wb = new SXSSFWorkbook(100); OutputStream out = Files.newOutputStream(file)) {
            wb.setCompressTempFiles(true);
            var sheet = wb.createSheet("Data");
            var header = sheet.createRow(0);
            for (int c = 0; c < columns; c++) {
                header.createCell(c).setCellValue(c == 0 ? "id" : "value_" + c);
            }
            for (int i = 1; i <= rows; i++) {
                var row = sheet.createRow(i);
                row.createCell(0).setCellValue(i);
                for (int c = 1; c < columns; c++) {
                    row.createCell(c).setCellValue(random ? r.nextDouble() * 1e6 : (i * c) % 1000 + 0.25);
                }
            }
            wb.write(out);
            wb.close();
        }
    }

    private static final class DocxMime {
        static final String MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    }

    private static final class XlsxProcessorMime {
        static final String MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }
}
