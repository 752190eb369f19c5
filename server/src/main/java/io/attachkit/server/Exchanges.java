package io.attachkit.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.attachkit.AttachmentException;
import io.attachkit.FileTooLargeException;
import io.attachkit.InvalidContentException;
import io.attachkit.StorageException;
import io.attachkit.StorageFullException;
import io.attachkit.StoredFileNotFoundException;
import io.attachkit.UnsafePathException;
import io.attachkit.UnsupportedFileTypeException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Small helpers for answering exchanges with JSON and mapping failures to statuses. */
final class Exchanges {
    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The most written to a response stream at once. The JDK server's connection stream keeps a buffer of twice
     * the largest single write for as long as the connection is open (kept alive, idle), so one 1 MiB write would
     * pin 2 MiB per connection; in slices of this size a connection keeps at most 128 KiB.
     */
    static final int WRITE_SLICE = 64 * 1024;

    private Exchanges() {
    }

    static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IOException("Cannot write the response as JSON: " + e.getOriginalMessage(), e);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Content-Length", String.valueOf(bytes.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            write(out, bytes, 0, bytes.length);
        }
    }

    /** Writes {@code len} bytes in slices of at most {@link #WRITE_SLICE} (see there why). */
    static void write(OutputStream out, byte[] b, int off, int len) throws IOException {
        for (int done = 0; done < len; done += WRITE_SLICE) {
            out.write(b, off + done, Math.min(WRITE_SLICE, len - done));
        }
    }

    static void sendError(HttpExchange exchange, int status, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        sendJson(exchange, status, body);
    }

    /** @return the status for an attachkit exception */
    static int statusOf(AttachmentException e) {
        if (e instanceof UnsafePathException || e instanceof InvalidContentException) {
            return 400;
        }
        if (e instanceof StoredFileNotFoundException) {
            return 404;
        }
        if (e instanceof FileTooLargeException) {
            return 413;
        }
        if (e instanceof UnsupportedFileTypeException) {
            return 415;
        }
        if (e instanceof StorageFullException) {
            return 507;
        }
        if (e instanceof StorageException se) {
            return se.retryable() ? 503 : 502;
        }
        return 500;
    }

    /** @return the limit error somewhere in the cause chain, or {@code null} */
    static HttpError limitIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof HttpError h) {
                return h;
            }
            for (Throwable s : c.getSuppressed()) {
                if (s instanceof HttpError h) {
                    return h;
                }
            }
        }
        return null;
    }

    static String mediaType(HttpExchange exchange) {
        String ct = exchange.getRequestHeaders().getFirst("Content-Type");
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** @return the declared Content-Length, or -1 when absent or not a number */
    static long contentLength(HttpExchange exchange) {
        String cl = exchange.getRequestHeaders().getFirst("Content-Length");
        if (cl == null) {
            return -1;
        }
        try {
            return Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
