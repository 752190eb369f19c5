package io.attachkit.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request through the {@code io.attachkit.server.access} logger, at INFO: method, path (raw, without
 * the query, so no signature is logged), status, bytes sent, milliseconds, the key's id (never the key) and the
 * request id. The request id is the client's {@code X-Request-Id} when it is a plain token, else a new one; it is
 * echoed in the answer's headers.
 */
final class AccessLog {
    static final Logger ACCESS = LoggerFactory.getLogger("io.attachkit.server.access");
    static final AttachmentKey<String> REQUEST_ID = AttachmentKey.create(String.class);
    static final HttpString X_REQUEST_ID = new HttpString("X-Request-Id");
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /** Gives the request its id and logs it once its answer is complete. */
    void begin(HttpServerExchange exchange) {
        long start = System.nanoTime();
        String given = exchange.getRequestHeaders().getFirst(X_REQUEST_ID);
        String id = given != null && PLAIN_ID.matcher(given).matches() ? given
                : Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        exchange.putAttachment(REQUEST_ID, id);
        exchange.getResponseHeaders().put(X_REQUEST_ID, id);
        exchange.addExchangeCompleteListener((ex, next) -> {
            try {
                if (ACCESS.isInfoEnabled()) {
                    String key = ex.getAttachment(Guard.KEY_ID);
                    ACCESS.info("{} {} {} {} {}ms key={} rid={}", ex.getRequestMethod(), ex.getRequestPath(), ex.getStatusCode(),
                            ex.getResponseBytesSent(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                            key == null ? "-" : key, id);
                }
            } finally {
                next.proceed();
            }
        });
    }
}
