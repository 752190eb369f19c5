package io.attachkit.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Deterministic text content of any size, generated on the fly (never held in memory) and of unknown
 * length to its reader: the same size and seed always give the same bytes.
 */
final class TestContent extends InputStream {
    /** 64 characters, so one random byte's low 6 bits pick one. */
    private static final byte[] ALPHABET = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\n".getBytes();
    private final long size;
    private final SplittableRandom random;
    private long position;
    private long bits;
    private int bitsLeft;

    TestContent(long size, long seed) {
        this.size = size;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(len, size - position);
        for (int i = 0; i < n; i++) {
            if (bitsLeft == 0) {
                bits = random.nextLong();
                bitsLeft = 8;
            }
            b[off + i] = ALPHABET[(int) (bits & 63)];
            bits >>>= 8;
            bitsLeft--;
        }
        position += n;
        return n;
    }

    /** @return the lowercase hex SHA-256 of the content */
    static String sha256(long size, long seed) throws IOException {
        return sha256(new TestContent(size, seed));
    }

    /** @return the lowercase hex SHA-256 of a stream, read to its end (not closed) */
    static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Compares a stream with the content byte for byte, streaming both.
     *
     * @return the offset of the first difference, or -1 when they are equal (same length)
     */
    static long firstDifference(InputStream actual, long size, long seed) throws IOException {
        InputStream expected = new TestContent(size, seed);
        byte[] a = new byte[64 * 1024];
        byte[] e = new byte[64 * 1024];
        long offset = 0;
        while (true) {
            int n = actual.readNBytes(a, 0, a.length);
            int m = expected.readNBytes(e, 0, n == 0 ? e.length : n);
            if (n != m) {
                return offset + Math.min(n, m);
            }
            if (n == 0) {
                return -1;
            }
            for (int i = 0; i < n; i++) {
                if (a[i] != e[i]) {
                    return offset + i;
                }
            }
            offset += n;
        }
    }
}
