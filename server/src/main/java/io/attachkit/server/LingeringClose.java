package io.attachkit.server;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * What happens after an error answer to a request whose body was not read to its end: the rest of the body is read
 * and thrown away, for at most a number of bytes and a time, and then the connection closes (the answer said
 * {@code Connection: close}). Closing at once, with the client's bytes still unread, makes the kernel send a reset,
 * and a client that writes its whole body before it reads (Python's {@code http.client}, {@code HttpURLConnection})
 * then loses the answer it was sent. nginx does the same ("lingering close").
 */
final class LingeringClose {
    private static final int BUFFER = 16 * 1024;

    private final long maxBytes;
    private final long timeoutMillis;

    LingeringClose(long maxBytes, Duration timeout) {
        this.maxBytes = maxBytes;
        this.timeoutMillis = Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /** Marks the answer as the last on its connection when the request's body has not been read to its end. */
    static boolean prepare(HttpServerExchange exchange) {
        if (exchange.isRequestComplete()) {
            return false;
        }
        exchange.setPersistent(false);
        return true;
    }

    /**
     * Reads and discards what is left of the body (called once the answer is sent), then closes the connection if the
     * body did not end within the bounds. Undertow's own end-of-request drain has no bound, so it must not get there.
     */
    void drain(HttpServerExchange exchange) {
        if (exchange.isRequestComplete()) {
            return;
        }
        XnioExecutor.Key closer = exchange.getIoThread().executeAfter(() -> IoUtils.safeClose(exchange.getConnection()),
                timeoutMillis, TimeUnit.MILLISECONDS);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            InputStream in = exchange.getInputStream(); // not closed here: its close() reads to the end, unbounded
            byte[] buf = new byte[BUFFER];
            long left = maxBytes;
            while (left > 0 && System.nanoTime() - deadline < 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    return; // the whole body arrived: Undertow closes the connection cleanly after the answer
                }
                left -= n;
            }
            IoUtils.safeClose(exchange.getConnection());
        } catch (IOException | RuntimeException e) {
            IoUtils.safeClose(exchange.getConnection());
        } finally {
            closer.remove();
        }
    }
}
