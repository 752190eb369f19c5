package io.attachkit.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Replays bytes already read from a stream (its first bytes, read once for MIME detection), then goes on
 * with the rest of that stream. It replaces a {@code BufferedInputStream} with {@code mark/reset}: the
 * prefix is read once into a (pooled) array and no other buffer is allocated.
 *
 * <p>The prefix array may be a pooled one: {@link #detach()} makes the stream stop using it (copying what
 * was not replayed yet), after which the array can be reused, even if some other thread still reads this
 * stream. Does not close the rest stream (its owner does). One reader at a time.
 */
public final class PrefixedInputStream extends InputStream {
    private final InputStream rest;
    private final boolean restAtEnd;
    private byte[] prefix;
    private int pos;
    private int end;

    /**
     * @param prefix the bytes already read (not copied)
     * @param length how many of them count
     * @param rest the stream they came from, positioned after them
     * @param restAtEnd whether {@code rest} is known to be at its end (then it is not read again)
     */
    public PrefixedInputStream(byte[] prefix, int length, InputStream rest, boolean restAtEnd) {
        this.prefix = prefix;
        this.end = length;
        this.rest = rest;
        this.restAtEnd = restAtEnd;
    }

    @Override
    public int read() throws IOException {
        synchronized (this) {
            if (pos < end) {
                return prefix[pos++] & 0xff;
            }
        }
        return restAtEnd ? -1 : rest.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        synchronized (this) {
            if (pos < end) {
                int n = Math.min(len, end - pos);
                System.arraycopy(prefix, pos, b, off, n);
                pos += n;
                return n;
            }
        }
        return restAtEnd ? -1 : rest.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
        int buffered;
        synchronized (this) {
            buffered = end - pos;
        }
        return restAtEnd ? buffered : (int) Math.min(Integer.MAX_VALUE, (long) buffered + rest.available());
    }

    /**
     * Stops using the prefix array: bytes not yet replayed are copied first, so reading goes on unchanged.
     * Afterwards the array passed to the constructor may be reused.
     */
    public synchronized void detach() {
        if (prefix == null) {
            return;
        }
        prefix = pos < end ? Arrays.copyOfRange(prefix, pos, end) : null;
        end -= pos;
        pos = 0;
    }

    /** Does not close the rest stream: it belongs to whoever opened it. */
    @Override
    public void close() {
        // the rest stream's owner closes it
    }
}
