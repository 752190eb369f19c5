package io.attachkit.benchmarks.processors;

import io.attachkit.processors.OcrEngine;
import io.attachkit.processors.OcrResult;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.DataBufferByte;
import java.awt.image.Kernel;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * The OCR rows of {@link ProcessorsBenchmark}: one A4 page at 300 DPI read by a pooled {@link OcrEngine} and by the
 * {@code tesseract} command (same PNG file, language, page segmentation mode and DPI), interleaved run by run, on a
 * clean page, a white-on-black page and a photo-like page (uneven lighting, gray ink, noise, blur). Both sides'
 * text is scored against the text the page was drawn from. Each row prints medians of wall time and of CPU time
 * (the calling thread's, and the command's as reaped from {@code /proc/self/stat}) and their ratios: the CPU ratio
 * holds up better than the wall ratio while other work shares the machine. Runs alone too:
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * OMP_THREAD_LIMIT=1 java -cp benchmarks/target/benchmarks.jar io.attachkit.benchmarks.processors.OcrVersusTesseract [runs]
 * </pre>
 */
public final class OcrVersusTesseract {
    private static final PrintStream OUT = System.out;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int DPI = 300;

    private OcrVersusTesseract() {
    }

    /** A generated page and the words drawn on it. */
    private record Page(String name, BufferedImage image, String text) {
    }

    /** Wall and CPU milliseconds of one run. */
    private record Timing(double wallMs, double cpuMs) {
    }

    /**
     * Prints the OCR rows alone, with one engine instance.
     *
     * @param args optional: timed runs per page (default 5)
     * @throws Exception if {@code tesseract} is missing or a run fails
     */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        try (OcrEngine ocr = OcrEngine.builder().maxInstances(1).build()) {
            if (!ocr.isInstalled()) {
                throw new IllegalStateException("OCR is not installed: " + ocr.notInstalledReason().orElse("") + "; " + OcrEngine.installHint());
            }
            run(ocr, Files.createTempDirectory("attachkit-ocr-bench-"), runs);
        }
    }

    static void run(OcrEngine ocr, Path dir, int runs) throws Exception {
        BufferedImage clean = ProcessorsBenchmark.a4Page();
        String text = ProcessorsBenchmark.a4PageText();
        for (Page page : List.of(new Page("clean", clean, text), new Page("white-on-black", inverted(clean), text),
                new Page("photo-like", photoLike(clean), text))) {
            compare(ocr, dir, page, runs);
        }
    }

    private static void compare(OcrEngine ocr, Path dir, Page page, int runs) throws Exception {
        Path png = dir.resolve("ocr-" + page.name() + ".png");
        ImageIO.write(page.image(), "png", png.toFile());
        Path out = dir.resolve("ocr-" + page.name());
        List<String> command = List.of("tesseract", png.toString(), out.toString(), "-l", ocr.languages(), "--psm", "3",
                "--dpi", Integer.toString(DPI));
        String ours = ocr.recognize(page.image(), DPI).text(); // warm: the instance exists and the pages are in cache
        runCommand(command);
        String theirs = Files.readString(out.resolveSibling(out.getFileName() + ".txt"), StandardCharsets.UTF_8);
        Timing[] a = new Timing[runs];
        Timing[] t = new Timing[runs];
        for (int i = 0; i < runs; i++) { // interleaved, so a change in the machine's load hits both sides alike
            a[i] = timeInProcess(ocr, page.image());
            t[i] = runCommand(command);
        }
        double aWall = median(a, true);
        double tWall = median(t, true);
        double aCpu = median(a, false);
        double tCpu = median(t, false);
        OUT.printf(Locale.ROOT, "OCR one A4 page at 300 DPI, %s: attachkit %.0f ms (cpu %.0f), tesseract command %.0f ms (cpu %.0f);"
                        + " ratio %.2f (cpu %.2f); word accuracy attachkit %.3f, tesseract %.3f%n",
                page.name(), aWall, aCpu, tWall, tCpu, aWall / tWall, aCpu / tCpu,
                wordAccuracy(page.text(), ours), wordAccuracy(page.text(), theirs));
    }

    private static Timing timeInProcess(OcrEngine ocr, BufferedImage image) {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        OcrResult r = ocr.recognize(image, DPI);
        long t1 = System.nanoTime();
        long cpu1 = THREADS.getCurrentThreadCpuTime();
        if (r.text().isEmpty()) {
            throw new IllegalStateException("OCR read nothing");
        }
        return new Timing((t1 - t0) / 1e6, (cpu1 - cpu0) / 1e6);
    }

    private static Timing runCommand(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("OMP_THREAD_LIMIT", "1");
        double cpu0 = childrenCpuMs();
        long t0 = System.nanoTime();
        Process p = pb.start();
        int rc = p.waitFor();
        long t1 = System.nanoTime();
        if (rc != 0) {
            throw new IOException(command + " exited with " + rc);
        }
        return new Timing((t1 - t0) / 1e6, childrenCpuMs() - cpu0);
    }

    /** @return the user + system CPU time of this JVM's reaped children, in ms (Linux), or NaN where unknown */
    private static double childrenCpuMs() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14 here
            long ticks = Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return ticks * 10.0; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static double median(Timing[] timings, boolean wall) {
        double[] v = Arrays.stream(timings).mapToDouble(t -> wall ? t.wallMs() : t.cpuMs()).sorted().toArray();
        return v[v.length / 2];
    }

    /**
     * @return 1 minus the word-level edit distance between the expected and the read text, divided by the number of
     *     expected words (1.0 when every word is read, in order; lower for each missed, extra or wrong word)
     */
    static double wordAccuracy(String expected, String actual) {
        String[] e = expected.strip().split("\\s+");
        String[] a = actual.isBlank() ? new String[0] : actual.strip().split("\\s+");
        int[] prev = new int[a.length + 1];
        int[] cur = new int[a.length + 1];
        for (int j = 0; j <= a.length; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= e.length; i++) {
            cur[0] = i;
            for (int j = 1; j <= a.length; j++) {
                int substitute = prev[j - 1] + (e[i - 1].equals(a[j - 1]) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return 1.0 - (double) prev[a.length] / e.length;
    }

    /** @return the page with light text on a dark background */
    static BufferedImage inverted(BufferedImage gray) {
        BufferedImage inv = new BufferedImage(gray.getWidth(), gray.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] src = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
        byte[] dst = ((DataBufferByte) inv.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < src.length; i++) {
            dst[i] = (byte) (255 - (src[i] & 0xff));
        }
        return inv;
    }

    /** @return the page as a phone photo of it might look: paper darker to the right and bottom, gray ink, noise, blur */
    static BufferedImage photoLike(BufferedImage gray) {
        int w = gray.getWidth();
        int h = gray.getHeight();
        BufferedImage photo = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] src = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
        byte[] dst = ((DataBufferByte) photo.getRaster().getDataBuffer()).getData();
        Random noise = new Random(42);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double paper = 220 - 45.0 * x / w - 25.0 * y / h;
                double ink = 55;
                double v = ink + (paper - ink) * (src[y * w + x] & 0xff) / 255.0 + noise.nextGaussian() * 12;
                dst[y * w + x] = (byte) Math.max(0, Math.min(255, (int) v));
            }
        }
        float[] box = new float[9];
        Arrays.fill(box, 1f / 9);
        return new ConvolveOp(new Kernel(3, 3, box), ConvolveOp.EDGE_NO_OP, null).filter(photo, null);
    }
}
