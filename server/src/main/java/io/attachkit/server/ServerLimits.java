package io.attachkit.server;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds {@link AttachkitServer} puts on each request: the body size, the size of a JSON body (which is read
 * whole), the number of parts (items of a track-attachments request, parts of a multipart upload or a query), and
 * the time a request may take. Exceeding one is answered with a JSON error (413, 400 or 408) and nothing of that
 * request stays stored. It also bounds the heap that JSON bodies in flight may claim together
 * ({@link #jsonMemoryBudget()}): a JSON request that cannot get its share within a short wait is answered 503 with
 * {@code Retry-After}, before any of its body is read. Immutable.
 *
 * <pre>{@code
 * ServerLimits limits = ServerLimits.builder().maxBodySize(20 * 1024 * 1024).maxParts(10).build();
 * }</pre>
 */
public final class ServerLimits {
    /** Default largest request body: 100 MiB (a 50 MiB file as base64 JSON fits). */
    public static final long DEFAULT_MAX_BODY_SIZE = 100L * 1024 * 1024;
    /**
     * Default largest JSON body: 72 MiB (a 50 MiB file as base64 JSON fits), or the body limit when that is smaller.
     */
    public static final long DEFAULT_MAX_JSON_BODY_SIZE = 72L * 1024 * 1024;
    /** Default most parts per request. */
    public static final int DEFAULT_MAX_PARTS = 100;
    /** Default longest time per request. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private final long maxBodySize;
    private final long maxJsonBodySize;
    private final long jsonMemoryBudget;
    private final int maxParts;
    private final Duration requestTimeout;

    private ServerLimits(Builder b) {
        this.maxBodySize = b.maxBodySize;
        this.maxJsonBodySize = Math.min(b.maxJsonBodySize, b.maxBodySize); // the default follows a smaller body limit
        this.jsonMemoryBudget = b.jsonMemoryBudget;
        this.maxParts = b.maxParts;
        this.requestTimeout = b.requestTimeout;
    }

    /**
     * @return the defaults: 100 MiB bodies, 72 MiB JSON bodies, a JSON memory budget of a quarter of the maximum heap,
     *     100 parts, 5 minutes
     */
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

    /**
     * @return the largest JSON body accepted (POST /attachments in mode base64, POST /query), in bytes; never more
     *     than {@link #maxBodySize()}
     */
    public long maxJsonBodySize() {
        return maxJsonBodySize;
    }

    /**
     * @return the heap, in bytes, that JSON requests in flight may reserve together; each reserves four times its
     *     declared body size (or four times {@link #maxJsonBodySize()} when the size is not declared), at most the
     *     whole budget
     */
    public long jsonMemoryBudget() {
        return jsonMemoryBudget;
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
        return "ServerLimits{maxBodySize=" + maxBodySize + ", maxJsonBodySize=" + maxJsonBodySize
                + ", jsonMemoryBudget=" + jsonMemoryBudget + ", maxParts=" + maxParts + ", requestTimeout=" + requestTimeout + "}";
    }

    /** Builds {@link ServerLimits}. */
    public static final class Builder {
        private long maxBodySize = DEFAULT_MAX_BODY_SIZE;
        private long maxJsonBodySize = DEFAULT_MAX_JSON_BODY_SIZE;
        private boolean maxJsonBodySizeSet;
        private long jsonMemoryBudget = Runtime.getRuntime().maxMemory() / 4;
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
         * @param bytes the largest JSON body, positive and not more than the body limit (default: 72 MiB, or the body
         *     limit when that is smaller)
         * @return this builder
         */
        public Builder maxJsonBodySize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxJsonBodySize must be positive, was " + bytes);
            }
            this.maxJsonBodySize = bytes;
            this.maxJsonBodySizeSet = true;
            return this;
        }

        /**
         * @param bytes the heap JSON requests in flight may reserve together, at least 1024 (default: a quarter of
         *     {@link Runtime#maxMemory()})
         * @return this builder
         */
        public Builder jsonMemoryBudget(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("jsonMemoryBudget must be at least 1024 bytes, was " + bytes);
            }
            this.jsonMemoryBudget = bytes;
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

        /**
         * @return the limits
         * @throws IllegalArgumentException if a JSON body limit was set above the body limit
         */
        public ServerLimits build() {
            if (maxJsonBodySizeSet && maxJsonBodySize > maxBodySize) {
                throw new IllegalArgumentException("maxJsonBodySize (" + maxJsonBodySize
                        + ") must not be more than maxBodySize (" + maxBodySize + ")");
            }
            return new ServerLimits(this);
        }
    }
}
