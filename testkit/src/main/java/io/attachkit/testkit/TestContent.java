package io.attachkit.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Content generators and digests for storage tests: real file formats, built in memory or streamed. */
public final class TestContent {
    private TestContent() {
    }

    /**
     * @param size bytes of printable text, deterministic for a seed
     * @param seed the seed
     * @return plain ASCII text (detected as text/plain)
     */
    public static byte[] text(int size, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i % 80 == 79 ? '\n' : 'a' + r.nextInt(26));
        }
        return b;
    }

    /**
     * @param payloadSize random bytes to compress (they do not compress, so the result is slightly larger)
     * @param seed the seed
     * @return a gzip file (detected as application/gzip)
     */
    public static byte[] gzip(int payloadSize, long seed) {
        byte[] payload = new byte[payloadSize];
        new Random(seed).nextBytes(payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payloadSize + 1024);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** @return the smallest well-formed PDF (one empty page), detected as application/pdf */
    public static byte[] minimalPdf() {
        String pdf = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                + "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
        return pdf.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @return the start of a Windows executable, detected as {@code application/x-msdownload}: a type not
     *         allowed by default, for tests of refused types
     */
    public static byte[] executable() {
        byte[] exe = new byte[256];
        exe[0] = 'M';
        exe[1] = 'Z';
        exe[0x3c] = (byte) 0x80; // e_lfanew: where the PE header starts
        exe[0x80] = 'P';
        exe[0x81] = 'E';
        return exe;
    }

    /** @return an HTML page with a script (allowed by default since the office processors read it; served as a download) */
    public static byte[] html() {
        return "<!DOCTYPE html><html><head><script>alert(1)</script></head><body>hi</body></html>"
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @param bytes content
     * @return its lowercase hex SHA-256
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An endless stream of text that counts what was read from it: proves a store stopped reading at a limit
     * instead of buffering everything.
     */
    public static final class EndlessText extends InputStream {
        private long read;

        @Override
        public int read() {
            read++;
            return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 'x');
            read += len;
            return len;
        }

        /** @return bytes read so far */
        public long bytesRead() {
            return read;
        }
    }

    /** A stream that serves some bytes and then fails, like a client that disconnects mid-upload. */
    public static final class FailingAfter extends InputStream {
        private final byte[] data;
        private int pos;

        /** @param data the bytes served before the failure */
        public FailingAfter(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() throws IOException {
            if (pos >= data.length) {
                throw new IOException("simulated client disconnect after " + pos + " bytes");
            }
            return data[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= data.length) {
                throw new IOException("simulated client disconnect after " + pos + " bytes");
            }
            int n = Math.min(len, data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
