package io.attachkit.spring.boot;

/** A request-level failure of the web endpoints, with the HTTP status to answer with. */
final class EndpointError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private int retryAfterSeconds;

    EndpointError(int status, String message) {
        super(message);
        this.status = status;
    }

    EndpointError(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    int status() {
        return status;
    }

    /** @return this error, answered with {@code Retry-After: seconds} */
    EndpointError retryAfter(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    /** @return the {@code Retry-After} seconds to send, 0 for none */
    int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** @return the endpoint error somewhere in the cause chain (or among suppressed exceptions), or {@code null} */
    static EndpointError in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof EndpointError e) {
                return e;
            }
            for (Throwable s : c.getSuppressed()) {
                if (s instanceof EndpointError e) {
                    return e;
                }
            }
        }
        return null;
    }
}
