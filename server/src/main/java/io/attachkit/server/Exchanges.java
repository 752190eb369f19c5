package io.attachkit.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attachkit.AttachmentException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Small helpers for answering Undertow exchanges with JSON and mapping failures to statuses. */
final class Exchanges {
    static final ObjectMapper JSON = new ObjectMapper();

    private Exchanges() {
    }

    static String requestHeader(HttpServerExchange exchange, String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    static void setHeader(HttpServerExchange exchange, String name, String value) {
        exchange.getResponseHeaders().put(HttpString.tryFromString(name), value);
    }

    static void sendJson(HttpServerExchange exchange, int status, Object body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IOException("Cannot write the response as JSON: " + e.getOriginalMessage(), e);
        }
        setJsonHeaders(exchange, status, bytes.length);
        if (exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.endExchange();
            return;
        }
        OutputStream out = exchange.getOutputStream();
        out.write(bytes);
        out.close(); // completes the response now: the client has its answer before any lingering drain
    }

    private static void setJsonHeaders(HttpServerExchange exchange, int status, int length) {
        exchange.setStatusCode(status);
        setHeader(exchange, "Content-Type", "application/json; charset=utf-8");
        setHeader(exchange, "X-Content-Type-Options", "nosniff");
        setHeader(exchange, "Cache-Control", "no-store");
        setHeader(exchange, "Content-Length", String.valueOf(length));
    }

    static void sendError(HttpServerExchange exchange, int status, String message) throws IOException {
        sendJson(exchange, status, errorBody(exchange, status, message));
    }

    /** Answers a JSON error from the I/O thread, without blocking (the error body is small and cannot fail to write). */
    static void sendErrorNonBlocking(HttpServerExchange exchange, int status, String message) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(errorBody(exchange, status, message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An error body of strings could not be written as JSON", e);
        }
        setJsonHeaders(exchange, status, bytes.length);
        if (exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.endExchange();
            return;
        }
        exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(bytes));
    }

    private static Map<String, Object> errorBody(HttpServerExchange exchange, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>(io.attachkit.serving.ErrorAnswer.body(status, message));
        String requestId = exchange.getAttachment(AccessLog.REQUEST_ID);
        if (requestId != null) {
            body.put("request_id", requestId);
        }
        return body;
    }

    /**
     * Reads {@code ?wait=SECONDS}: how long the client will wait for processing before the answer.
     *
     * @param exchange the exchange
     * @param max the server's bound; a longer wait is cut to it
     * @return the wait, zero when not asked for
     * @throws HttpError 400 if the value is not a number of seconds from 0
     */
    static java.time.Duration waitParameter(HttpServerExchange exchange, java.time.Duration max) {
        java.util.Deque<String> values = exchange.getQueryParameters().get("wait");
        if (values == null || values.isEmpty()) {
            return java.time.Duration.ZERO;
        }
        String value = values.getFirst();
        double seconds;
        try {
            seconds = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new HttpError(400, "wait must be a number of seconds from 0, was " + io.attachkit.internal.StoragePaths.quote(value));
        }
        java.time.Duration asked = java.time.Duration.ofMillis((long) Math.min(seconds * 1000, Long.MAX_VALUE / 2));
        return asked.compareTo(max) > 0 ? max : asked;
    }

    /** @return the status for an attachkit exception (the rule shared with the Spring Boot endpoints) */
    static int statusOf(AttachmentException e) {
        return io.attachkit.serving.ErrorAnswer.status(e);
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

    static String mediaType(HttpServerExchange exchange) {
        String ct = requestHeader(exchange, "Content-Type");
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** @return the declared Content-Length, or -1 when absent or not a number */
    static long contentLength(HttpServerExchange exchange) {
        String cl = requestHeader(exchange, "Content-Length");
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
