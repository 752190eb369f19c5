package io.attachkit.internal.io;

import io.attachkit.AttachmentException;
import io.attachkit.FileTooLargeException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Passes content through while counting it, digesting it with SHA-256, refusing it as soon as it passes
 * the size limit, and reserving storage quota for every byte. The first refusal is remembered in
 * {@link #failure()}, so it can be rethrown even when a library between us and the reader wraps it.
 *
 * <p>A reader that hashes on another thread while it reads calls {@link #digestSeparately()} before the
 * first read: bytes then pass without being digested, and the reader hands every chunk it read, in order, to
 * {@link #digest(byte[], int, int)}; {@link #sha256Hex()} refuses to answer unless exactly the bytes read were
 * digested.
 *
 * <p>Not thread-safe; one reader at a time, as for any stream (and, in the separate mode, one digesting
 * thread, whose work the reader waits for before asking for the SHA-256).
 */
public final class LimitedDigestInputStream extends FilterInputStream {
    private final String filename;
    private final long maxSize;
    private final StorageQuota quota;
    private final MessageDigest digest;
    private long count;
    private long reserved;
    private boolean eof;
    private AttachmentException failure;
    private IOException sourceFailure;
    private boolean digestSeparately;
    private long digested;
    private String sha256Hex;

    /**
     * @param in the source
     * @param filename for messages
     * @param maxSize the largest size accepted
     * @param quota the quota to reserve from, or {@code null} for none
     */
    public LimitedDigestInputStream(InputStream in, String filename, long maxSize, StorageQuota quota) {
        super(in);
        this.filename = filename;
        this.maxSize = maxSize;
        this.quota = quota;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (len == 0) {
            return 0;
        }
        int n;
        try {
            // Ask for one byte past the limit at most, so an oversized stream is detected without reading on.
            long room = maxSize - count + 1;
            n = super.read(b, off, (int) Math.min(len, Math.max(1, room)));
        } catch (IOException e) {
            sourceFailure = e;
            throw e;
        }
        if (n < 0) {
            eof = true;
            return -1;
        }
        count += n;
        if (count > maxSize) {
            failure = new FileTooLargeException(filename, count, maxSize);
            throw failure;
        }
        if (quota != null) {
            try {
                quota.reserve(filename, n);
                reserved += n;
            } catch (AttachmentException e) {
                failure = e;
                throw e;
            }
        }
        if (!digestSeparately) {
            digest.update(b, off, n);
            digested += n;
        }
        return n;
    }

    /**
     * Switches to the mode where the reader digests itself, with {@link #digest(byte[], int, int)}.
     *
     * @throws IllegalStateException once something has been read
     */
    public void digestSeparately() {
        if (count > 0) {
            throw new IllegalStateException("the digest mode is chosen before the first read");
        }
        digestSeparately = true;
    }

    /**
     * Digests the next bytes of the content, in the order they were read (only after {@link #digestSeparately()}).
     *
     * @param b the buffer the bytes were read into
     * @param off where they start
     * @param len how many
     */
    public void digest(byte[] b, int off, int len) {
        if (!digestSeparately) {
            throw new IllegalStateException("this stream digests what it reads; digestSeparately() was not called");
        }
        digest.update(b, off, len);
        digested += len;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes would escape the digest and the limits: read them instead.
        return Streams.skipByReading(this, n);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported: re-reading would count bytes twice
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("reset is not supported");
    }

    /** Does not close the source: the caller of {@code save} owns it. */
    @Override
    public void close() {
        // the source belongs to the caller of FileStore.save
    }

    /** @return bytes passed through so far */
    public long size() {
        return count;
    }

    /** @return whether the source has been read to its end */
    public boolean reachedEof() {
        return eof;
    }

    /** @return quota bytes reserved so far (to release if the save fails) */
    public long reserved() {
        return reserved;
    }

    /** @return the limit this stream refused the content for, or {@code null} */
    public AttachmentException failure() {
        return failure;
    }

    /** @return the I/O error the source raised, or {@code null} */
    public IOException sourceFailure() {
        return sourceFailure;
    }

    /**
     * @return the lowercase hex SHA-256 of everything read
     * @throws IllegalStateException before the end of the content
     */
    public String sha256Hex() {
        if (!eof) {
            throw new IllegalStateException("the SHA-256 is known only once the content has been read to its end");
        }
        if (digested != count) {
            throw new IllegalStateException(count + " bytes were read but " + digested + " digested");
        }
        if (sha256Hex == null) {
            sha256Hex = HexFormat.of().formatHex(digest.digest()); // nothing is read after the end
        }
        return sha256Hex;
    }
}
