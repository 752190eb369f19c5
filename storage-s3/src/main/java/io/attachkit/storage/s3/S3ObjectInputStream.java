package io.attachkit.storage.s3;

import io.attachkit.internal.io.Streams;
import java.io.FilterInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * The body of one S3 object as a stream: it checks, at the end, that the bytes have the expected length
 * and the checksum recorded with the object (its CRC32C metadata, nearly free to compute; else its SHA-256),
 * so a truncated or altered object is an {@link IOException} rather than silently wrong content. Closing it before the end aborts the HTTP connection instead of
 * draining the rest of a possibly large object. Not thread-safe.
 */
final class S3ObjectInputStream extends FilterInputStream {
    private final ResponseInputStream<?> response;
    private final String key;
    private final long expectedSize;
    private final String expectedSha256;
    private final MessageDigest digest;
    private final String expectedCrc32c;
    private final CRC32C crc;
    private long count;
    private boolean eof;
    private boolean closed;

    /**
     * @param response the SDK's response stream
     * @param key the object key, for messages
     * @param expectedSize the Content-Length, or -1 if unknown
     * @param expectedCrc32c the base64 CRC32C to check at the end, or {@code null}
     * @param expectedSha256 the lowercase hex SHA-256 to check at the end when there is no CRC32C, or {@code null}
     */
    S3ObjectInputStream(ResponseInputStream<?> response, String key, long expectedSize, String expectedCrc32c,
                        String expectedSha256) {
        super(response);
        this.response = response;
        this.key = key;
        this.expectedSize = expectedSize;
        this.expectedCrc32c = expectedCrc32c;
        this.crc = expectedCrc32c != null ? new CRC32C() : null;
        this.expectedSha256 = expectedCrc32c == null ? expectedSha256 : null;
        MessageDigest md = null;
        if (this.expectedSha256 != null) {
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every JDK", e);
            }
        }
        this.digest = md;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (eof) {
            return -1;
        }
        int n = super.read(b, off, len);
        if (n < 0) {
            eof = true;
            verify();
            return -1;
        }
        count += n;
        if (crc != null) {
            crc.update(b, off, n);
        } else if (digest != null) {
            digest.update(b, off, n);
        }
        return n;
    }

    private void verify() throws IOException {
        if (expectedSize >= 0 && count != expectedSize) {
            throw new DamagedObjectException("S3 object '" + key + "' ended after " + count + " bytes; " + expectedSize + " were expected");
        }
        if (crc != null) {
            String actual = ObjectUpload.crc32c(crc);
            if (!actual.equals(expectedCrc32c)) {
                throw new DamagedObjectException("S3 object '" + key + "' has CRC32C " + actual + " but was stored with "
                        + expectedCrc32c + ": the stored bytes are damaged");
            }
        }
        if (digest != null) {
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equalsIgnoreCase(expectedSha256)) {
                throw new DamagedObjectException("S3 object '" + key + "' has SHA-256 " + actual + " but was stored with "
                        + expectedSha256 + ": the stored bytes are damaged");
            }
        }
    }

    @Override
    public long skip(long n) throws IOException {
        if (digest == null && crc == null) {
            long skipped = super.skip(n);
            count += Math.max(0, skipped);
            return skipped;
        }
        // skipped bytes still have to be digested
        return Streams.skipByReading(this, n);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("reset is not supported");
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!eof) {
            response.abort(); // do not download the rest just to reuse the connection
        }
        response.close();
    }

    /** The object's bytes do not match its recorded length or SHA-256: retrying will not help. */
    static final class DamagedObjectException extends IOException {
        private static final long serialVersionUID = 1L;

        DamagedObjectException(String message) {
            super(message);
        }
    }
}
