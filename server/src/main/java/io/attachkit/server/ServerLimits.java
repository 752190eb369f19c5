package io.attachkit.server;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds {@link AttachkitServer} puts on each request: the body size, the number of parts (items of a
 * track-attachments request, parts of a multipart upload or a query), and the time a request may take.
 * Exceeding one is answered with a JSON error (413, 400 or 408) and nothing of that request stays stored.
 * Immutable.
 *
 * <pre>{@code
 * ServerLimits limits = ServerLimits.builder().maxBodySize(20 * 1024 * 1024).maxParts(10).build();
 * }</pre>
 */
public final class ServerLimits {
    /** Default largest request body: 100 MiB (a 50 MiB file as base64 JSON fits). */
    public static final long DEFAULT_MAX_BODY_SIZE = 100L * 1024 * 1024;
    /** Default most parts per request. */
    public static final int DEFAULT_MAX_PARTS = 100;
    /** Default longest time per request. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private final long maxBodySize;
    private final int maxParts;
    private final Duration requestTimeout;

    private ServerLimits(Builder b) {
        this.maxBodySize = b.maxBodySize;
        this.maxParts = b.maxParts;
        this.requestTimeout = b.requestTimeout;
    }

    /** @return the defaults: 100 MiB, 100 parts, 5 minutes */
    public static ServerLimits defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the largest request body accepted, in bytes */
    public long maxBodySize() {
        return maxBodySize;
    }

    /** @return the most parts accepted per request */
    public int maxParts() {
        return maxParts;
    }

    /** @return the longest time a request may take */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    @Override
    public String toString() {
        return "ServerLimits{maxBodySize=" + maxBodySize + ", maxParts=" + maxParts + ", requestTimeout=" + requestTimeout + "}";
    }

    /** Builds {@link ServerLimits}. */
    public static final class Builder {
        private long maxBodySize = DEFAULT_MAX_BODY_SIZE;
        private int maxParts = DEFAULT_MAX_PARTS;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

        private Builder() {
        }

        /**
         * @param bytes the largest request body, positive
         * @return this builder
         */
        public Builder maxBodySize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxBodySize must be positive, was " + bytes);
            }
            this.maxBodySize = bytes;
            return this;
        }

        /**
         * @param parts the most parts per request, positive
         * @return this builder
         */
        public Builder maxParts(int parts) {
            if (parts <= 0) {
                throw new IllegalArgumentException("maxParts must be positive, was " + parts);
            }
            this.maxParts = parts;
            return this;
        }

        /**
         * @param timeout the longest time per request, positive
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "requestTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive, was " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** @return the limits */
        public ServerLimits build() {
            return new ServerLimits(this);
        }
    }
}
