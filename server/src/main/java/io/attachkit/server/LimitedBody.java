package io.attachkit.server;

import io.attachkit.internal.io.Streams;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that refuses to go past the body-size limit or the request deadline. When either trips,
 * reading throws and {@link #tripped()} tells which, so a failure deep inside a store or parser is still
 * answered as 413 or 408 for the whole request.
 */
final class LimitedBody extends FilterInputStream {
    private final long maxBytes;
    private final long deadlineNanos;
    private long count;
    private HttpError tripped;

    LimitedBody(InputStream in, long maxBytes, long deadlineNanos) {
        super(in);
        this.maxBytes = maxBytes;
        this.deadlineNanos = deadlineNanos;
    }

    /** @return the limit that stopped the body, or {@code null} */
    HttpError tripped() {
        return tripped;
    }

    private void check(long more) throws IOException {
        if (System.nanoTime() - deadlineNanos > 0) {
            trip(new HttpError(408, "The request took longer than the request timeout; nothing of it was stored"));
        }
        if (count + more > maxBytes) {
            trip(new HttpError(413, "The request body is larger than the limit of " + maxBytes
                    + " bytes; nothing of it was stored"));
        }
    }

    private void trip(HttpError e) throws IOException {
        if (tripped == null) {
            tripped = e;
        }
        throw new IOException(tripped.getMessage(), tripped);
    }

    @Override
    public int read() throws IOException {
        check(0);
        int b = super.read();
        if (b >= 0) {
            check(1);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        check(0);
        int n = super.read(b, off, len);
        if (n > 0) {
            check(n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // read, not skip: the body limit must count every byte
        return Streams.skipByReading(this, n);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads the rest into memory (bounded by the limit). */
    byte[] readAllBounded() throws IOException {
        return readAllBytes();
    }
}
