package io.attachkit.benchmarks.storage;

import io.attachkit.internal.io.LimitedDigestInputStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the save path costs per byte in memory, without the disk: a plain copy out of a stream, SHA-256
 * alone, and core's {@link LimitedDigestInputStream} (limits + quota-free SHA-256) with and without the
 * 64 KiB {@link BufferedInputStream} that {@code AbstractFileStore.save} puts under it. Each operation
 * moves 16 MiB, so MB/s = ops/s x 16.8.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class DigestStreamBench {
    private static final int SIZE = 16 << 20;

    /** The reader's buffer: the store reads in 256 KiB. */
    @Param({"262144"})
    public int readBuffer;

    private byte[] data;
    private byte[] buf;

    /** Fills the content. */
    @Setup
    public void setup() {
        data = new byte[SIZE];
        new SplittableRandom(1).nextBytes(data);
        buf = new byte[readBuffer];
    }

    /**

     * @return bytes read: the floor (a memory copy)

     * @throws IOException never

     */
    @Benchmark
    public long plainCopy() throws IOException {
        return drain(new ByteArrayInputStream(data));
    }

    /**

     * @return the digest's first byte: SHA-256 alone

     * @throws NoSuchAlgorithmException never

     */
    @Benchmark
    public byte sha256Only() throws NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int off = 0; off < SIZE; off += readBuffer) {
            md.update(data, off, Math.min(readBuffer, SIZE - off));
        }
        return md.digest()[0];
    }

    /**

     * @return the hex digest: the store's content stream without its buffer

     * @throws IOException never

     */
    @Benchmark
    public String limitedDigest() throws IOException {
        LimitedDigestInputStream in = new LimitedDigestInputStream(new ByteArrayInputStream(data), "bench.bin",
                Long.MAX_VALUE - 1, null);
        drain(in);
        return in.sha256Hex();
    }

    /**

     * @return the hex digest: exactly the layering of {@code AbstractFileStore.save}

     * @throws IOException never

     */
    @Benchmark
    public String bufferedLimitedDigest() throws IOException {
        LimitedDigestInputStream in = new LimitedDigestInputStream(
                new BufferedInputStream(new ByteArrayInputStream(data), 64 * 1024), "bench.bin", Long.MAX_VALUE - 1, null);
        drain(in);
        return in.sha256Hex();
    }

    private long drain(InputStream in) throws IOException {
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            total += n;
        }
        return total;
    }
}
