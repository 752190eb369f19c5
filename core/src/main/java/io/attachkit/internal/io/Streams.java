package io.attachkit.internal.io;

import java.io.IOException;
import java.io.InputStream;

/** Small stream helpers shared by attachkit's modules. Not a public API. */
public final class Streams {
    private Streams() {
    }

    /**
     * Skips by reading through the stream's own {@code read}, for streams that count, digest or limit what
     * passes: a plain {@code skip} would let bytes past unseen.
     *
     * @param in the stream (usually {@code this} of a filter stream)
     * @param n bytes to skip
     * @return bytes skipped, fewer only at the end of the stream
     * @throws IOException if reading fails
     */
    public static long skipByReading(InputStream in, long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
        long skipped = 0;
        while (skipped < n) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }
}
