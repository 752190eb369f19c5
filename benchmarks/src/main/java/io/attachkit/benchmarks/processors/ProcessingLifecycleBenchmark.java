package io.attachkit.benchmarks.processors;

import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.FileStore;
import io.attachkit.ForwardingFileStore;
import io.attachkit.ProcessingLimits;
import io.attachkit.ProcessingListener;
import io.attachkit.ProcessingStatus;
import io.attachkit.storage.local.LocalFileStore;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * The processing lifecycle's figures (issue 11), in one run on the library: for a scanned PDF, the time until
 * {@code storeAndProcessAsync} answers against the time until it is processed; the re-read of the processed
 * attachment by a new instance over the same store (a restart) and the processor runs that took; and the
 * small-file store-and-process throughput with results kept in the store against the same store keeping none
 * (what the library did before), paired in the same run.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * OMP_THREAD_LIMIT=1 java -cp benchmarks/target/benchmarks.jar io.attachkit.benchmarks.processors.ProcessingLifecycleBenchmark [pages] [small-files]
 * </pre>
 * The store lives on tmpfs ({@code /dev/shm}) when it exists, so the small-file figures measure the library, not
 * the shared disk.
 */
public final class ProcessingLifecycleBenchmark {
    private static final PrintStream OUT = System.out;

    private ProcessingLifecycleBenchmark() {
    }

    /**
     * @param args optional: pages of the scanned PDF (default 50), small files per round (default 2000)
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        int pages = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int small = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(base, "attachkit-lifecycle-");
        try {
            scannedPdf(dir, pages);
            smallFiles(dir, small);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void scannedPdf(Path dir, int pages) throws Exception {
        Path pdf = dir.resolve("scan.pdf");
        writeScannedPdf(pdf, pages);
        Path root = dir.resolve("store-scan");
        AtomicInteger runs = new AtomicInteger();
        ProcessingListener counting = new ProcessingListener() {
            @Override
            public void progress(String filename, String stage, long done, long total) {
            }

            @Override
            public void processed(String filename, String processor, ProcessingStatus outcome, long tookMillis) {
                runs.incrementAndGet();
            }
        };
        String json;
        try (LocalFileStore store = LocalFileStore.builder().root(root).build();
             Attachments attachments = Attachments.builder().store(store).listener(counting)
                     .processingLimits(ProcessingLimits.builder().timeout(Duration.ofMinutes(30)).build()).build()) {
            Attachment a = Attachment.fromPath(pdf);
            long t0 = System.nanoTime();
            CompletableFuture<Attachment> done = attachments.storeAndProcessAsync(a);
            double answeredMs = (System.nanoTime() - t0) / 1e6;
            ProcessingStatus atAnswer = a.processingStatus();
            done.get(30, TimeUnit.MINUTES);
            if (a.processedContent().text() == null) {
                throw new IllegalStateException("no text: " + a.processedContent().asMap().keySet() + " " + a.processedContent().error());
            }
            double processedMs = (System.nanoTime() - t0) / 1e6;
            OUT.printf(Locale.ROOT, "scanned PDF, %d pages (%.1f MB): storeAndProcessAsync answered in %.0f ms (%s); processed after %.1f s"
                    + " (%s, %d characters); ratio answer/processed %.4f%n", pages, Files.size(pdf) / 1e6, answeredMs,
                    atAnswer.jsonValue(), processedMs / 1e3, a.processingStatus().jsonValue(), a.processedContent().text().length(),
                    answeredMs / processedMs);
            json = a.toJson();
            if (a.processedContent().error() != null) {
                throw new IllegalStateException("processing failed: " + a.processedContent().error());
            }
        }
        int before = runs.get();
        long t1 = System.nanoTime();
        try (LocalFileStore store = LocalFileStore.builder().root(root).build(); // a restart: new store, new service
             Attachments attachments = Attachments.builder().store(store).listener(counting).build()) {
            Attachment back = Attachment.fromJson(json);
            long t2 = System.nanoTime();
            attachments.process(back);
            double rereadMs = (System.nanoTime() - t2) / 1e6;
            OUT.printf(Locale.ROOT, "re-read after restart: process() %.1f ms (%.1f ms with opening the store and the processors),"
                    + " processor runs %d, %d characters%n", rereadMs, (System.nanoTime() - t1) / 1e6, runs.get() - before,
                    back.processedContent().text().length());
        }
    }

    private static void smallFiles(Path dir, int files) throws Exception {
        // warm-up round, then the two paired runs alternately, best of three each
        double kept = 0;
        double none = 0;
        for (int round = 0; round < 4; round++) {
            double k = smallFilesPerSecond(dir.resolve("kept-" + round), files, true, round);
            double n = smallFilesPerSecond(dir.resolve("none-" + round), files, false, round);
            if (round > 0) {
                kept = Math.max(kept, k);
                none = Math.max(none, n);
            }
        }
        OUT.printf(Locale.ROOT, "small files (4 KiB text, storeAndProcess, fsync off, tmpfs): %.0f/s with results kept in the store,"
                + " %.0f/s keeping none (as before); ratio %.2f%n", kept, none, kept / none);
    }

    private static double smallFilesPerSecond(Path root, int files, boolean keepRecords, int round) throws Exception {
        try (LocalFileStore local = LocalFileStore.builder().root(root).fsync(false).build()) {
            FileStore store = keepRecords ? local : new NoDerivedRecords(local);
            try (Attachments attachments = Attachments.builder().store(store).build()) {
                long t0 = System.nanoTime();
                for (int i = 0; i < files; i++) {
                    byte[] text = smallText(round, i);
                    attachments.storeAndProcess(Attachment.fromBytes("note-" + i + ".txt", text, "text/plain"));
                }
                return files / ((System.nanoTime() - t0) / 1e9);
            }
        }
    }

    private static byte[] smallText(int round, int i) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("round ").append(round).append(" note ").append(i).append('\n');
        while (sb.length() < 4096) {
            sb.append("a short line of text in a small note that a user attached to a message\n");
        }
        sb.setLength(4096);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The store as the library used it before results were kept: no derived records. */
    private static final class NoDerivedRecords extends ForwardingFileStore {
        NoDerivedRecords(FileStore delegate) {
            super(delegate);
        }

        @Override
        public Optional<byte[]> readDerivedRecord(String sha256) {
            return Optional.empty();
        }

        @Override
        public boolean writeDerivedRecord(String sha256, byte[] record) {
            return false;
        }

        @Override
        public List<String> derivedRecordDigests() {
            return List.of();
        }
    }

    private static void writeScannedPdf(Path file, int pages) throws Exception {
        BufferedImage page = ProcessorsBenchmark.a4Page();
        try (PDDocument doc = new PDDocument()) {
            PDImageXObject image = LosslessFactory.createFromImage(doc, page);
            for (int p = 0; p < pages; p++) {
                PDPage pdfPage = new PDPage(PDRectangle.A4);
                doc.addPage(pdfPage);
                try (PDPageContentStream cs = new PDPageContentStream(doc, pdfPage)) {
                    cs.drawImage(image, 0, 0, PDRectangle.A4.getWidth(), PDRectangle.A4.getHeight());
                }
            }
            doc.save(file.toFile());
        }
    }

}
