package io.attachkit.spring.boot;

import io.attachkit.internal.io.Streams;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that refuses to go past the body-size limit: reading past it throws, and {@link #tripped()} keeps
 * the 413 so that a failure deep in a parser or store is still answered as 413 for the whole request.
 */
final class BoundedBody extends FilterInputStream {
    private final long maxBytes;
    private long count;
    private EndpointError tripped;

    BoundedBody(InputStream in, long maxBytes) {
        super(in);
        this.maxBytes = maxBytes;
    }

    EndpointError tripped() {
        return tripped;
    }

    private void count(long n) throws IOException {
        count += n;
        if (count > maxBytes) {
            if (tripped == null) {
                tripped = new EndpointError(413, "The request body is larger than the limit of " + maxBytes
                        + " bytes; nothing of it was stored");
            }
            throw new IOException(tripped.getMessage(), tripped);
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        return Streams.skipByReading(this, n); // every byte counts against the limit
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
