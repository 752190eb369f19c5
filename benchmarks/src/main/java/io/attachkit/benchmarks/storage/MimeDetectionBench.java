package io.attachkit.benchmarks.storage;

import io.attachkit.internal.mime.MimeDetection;
import io.attachkit.internal.mime.MimeDetector;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-save cost of MIME detection ({@link MimeDetector}, Tika magic over the first bytes), for a
 * binary header that Tika recognises at once (gzip, PDF) and for plain text, where no magic matches and
 * every pattern scans its whole range. Microseconds per call. The {@code *TikaOnly} rows run Tika's full magic
 * pass (the detection before the prefilter), the others the default path: same answers, compare the times.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main MimeDetectionBench
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class MimeDetectionBench {
    private final MimeDetector detector = new MimeDetector();
    private final MimeDetector tikaOnly = MimeDetector.tikaOnly();
    private byte[] gzip;
    private byte[] pdf;
    private byte[] text4k;

    /** Builds the headers. */
    @Setup
    public void setup() {
        MimeDetector.awaitFastPath();
        gzip = new byte[detector.headerLength()];
        gzip[0] = 0x1f;
        gzip[1] = (byte) 0x8b;
        gzip[2] = 8;
        pdf = Arrays.copyOf("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
                .getBytes(StandardCharsets.ISO_8859_1), 4096);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 4096) {
            sb.append("plain ASCII text, as a chat attachment note would be.\n");
        }
        text4k = sb.substring(0, 4096).getBytes(StandardCharsets.US_ASCII);
    }

    /** @return the detection of a gzip header named {@code big.gz} */
    @Benchmark
    public MimeDetection gzipHeader() {
        return detector.detect(gzip, "big.gz", null);
    }

    /** @return the detection of a small PDF named {@code report.pdf} */
    @Benchmark
    public MimeDetection pdfHeader() {
        return detector.detect(pdf, "report.pdf", "application/pdf");
    }

    /** @return the detection of 4 KiB of text named {@code note.txt} */
    @Benchmark
    public MimeDetection text4KiB() {
        return detector.detect(text4k, "note.txt", "text/plain");
    }

    /** @return the detection of 4 KiB of text by Tika's full magic pass */
    @Benchmark
    public MimeDetection text4KiBTikaOnly() {
        return tikaOnly.detect(text4k, "note.txt", "text/plain");
    }

    /** @return the detection of a small PDF by Tika's full magic pass */
    @Benchmark
    public MimeDetection pdfHeaderTikaOnly() {
        return tikaOnly.detect(pdf, "report.pdf", "application/pdf");
    }
}
