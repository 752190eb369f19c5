package io.attachkit.benchmarks.server;

import io.attachkit.StorageLimits;
import io.attachkit.server.AttachkitServer;
import io.attachkit.storage.local.LocalFileStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * Time through the server for a PDF of many pages that each carry one short line of real text (issue 9): one
 * {@code POST /attachments} multipart upload per run, answered once the PDF is stored and processed (default
 * limits: the first 500 pages are read). The reference, measured in the same run on the same file, is
 * {@code pdftotext -l 500} (poppler-utils). Every run uploads a different file (its title differs), so no run
 * is answered from the processed-result cache.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * OMP_THREAD_LIMIT=1 java -cp benchmarks/target/benchmarks.jar io.attachkit.benchmarks.server.ShortLinePdfBenchmark [pages=3000] [runs=5]
 * </pre>
 */
public final class ShortLinePdfBenchmark {
    private static final String BOUNDARY = "short-line-pdf-benchmark";
    private static final int PAGES_READ = 500;

    private ShortLinePdfBenchmark() {
    }

    /**
     * @param args optional: pages per PDF (default 3000), timed runs (default 5)
     * @throws Exception if a run fails or pdftotext is missing
     */
    public static void main(String[] args) throws Exception {
        int pages = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("attachkit-bench-shortline");
        try {
            Path[] pdfs = new Path[runs + 1];
            for (int i = 0; i < pdfs.length; i++) {
                pdfs[i] = dir.resolve("short-lines-" + i + ".pdf");
                writePdf(pdfs[i], pages, "run " + i);
            }
            System.out.printf(Locale.ROOT, "PDF of %,d pages, each 'page text here' (%,d bytes), %d cores, OMP_THREAD_LIMIT=%s%n",
                    pages, Files.size(pdfs[0]), Runtime.getRuntime().availableProcessors(), System.getenv("OMP_THREAD_LIMIT"));
            double[] server = new double[runs];
            double[] reference = new double[runs];
            Path root = Files.createDirectories(dir.resolve("store"));
            try (LocalFileStore store = LocalFileStore.builder().root(root).limits(StorageLimits.defaults()).build();
                 AttachkitServer srv = AttachkitServer.builder().store(store).port(0).build().start()) {
                HttpClient client = HttpClient.newHttpClient();
                upload(client, srv, pdfs[0]); // warm-up: class loading, JIT, font setup
                pdftotext(pdfs[0], dir);
                for (int i = 0; i < runs; i++) {
                    long t0 = System.nanoTime();
                    upload(client, srv, pdfs[i + 1]);
                    server[i] = (System.nanoTime() - t0) / 1e6;
                    long t1 = System.nanoTime();
                    pdftotext(pdfs[i + 1], dir);
                    reference[i] = (System.nanoTime() - t1) / 1e6;
                }
            }
            double ours = median(server);
            double theirs = median(reference);
            System.out.printf(Locale.ROOT, "POST /attachments (multipart), stored + processed, %d pages read: median %.0f ms (runs %s)%n",
                    PAGES_READ, ours, Arrays.toString(Arrays.stream(server).map(Math::rint).toArray()));
            System.out.printf(Locale.ROOT, "pdftotext -l %d on the same files: median %.0f ms; ratio attachkit/pdftotext %.2f%n",
                    PAGES_READ, theirs, ours / theirs);
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void upload(HttpClient client, AttachkitServer server, Path pdf) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + pdf.getFileName()
                + "\"\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(Files.readAllBytes(pdf));
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.baseUri().resolve("/attachments"))
                .timeout(Duration.ofSeconds(300))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        String b = r.body();
        if (r.statusCode() != 200 || !b.contains("\"pages_read\":" + PAGES_READ) || b.contains("\"source\":\"ocr\"")
                || !b.contains("\"truncated\":true")) {
            throw new IllegalStateException("unexpected answer: " + r.statusCode() + " " + b.substring(0, Math.min(500, b.length())));
        }
    }

    private static void pdftotext(Path pdf, Path dir) throws IOException, InterruptedException {
        List<String> cmd = List.of("pdftotext", "-l", String.valueOf(PAGES_READ), pdf.toString(), dir.resolve("out.txt").toString());
        int rc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        if (rc != 0) {
            throw new IOException(cmd + " exited with " + rc + " (is poppler-utils installed?)");
        }
    }

    private static void writePdf(Path file, int pages, String title) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            doc.getDocumentInformation().setTitle(title);
            PDType1Font helvetica = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int p = 0; p < pages; p++) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(helvetica, 12);
                    cs.newLineAtOffset(72, 770);
                    cs.showText("page text here");
                    cs.endText();
                }
            }
            doc.save(file.toFile());
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
