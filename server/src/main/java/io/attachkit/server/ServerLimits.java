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
 * <p>After an error answer to a request whose body was not read to its end, the server keeps reading and discarding
 * that body for at most {@link #maxLingerBytes()} bytes and {@link #lingerTimeout()} before it closes the connection,
 * as nginx's lingering close does: clients that write the whole body before they read (Python's {@code http.client}
 * and {@code requests}, Java's {@code HttpURLConnection}) then read the JSON error instead of a connection reset.
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

    /**
     * Default most bytes of an unread request body discarded after an error answer: 16 MiB, which a client on a
     * 100 Mbit/s link sends in about 1.5 s; reading them costs the server bandwidth but no memory.
     */
    public static final long DEFAULT_MAX_LINGER_BYTES = 16L * 1024 * 1024;
    /** Default longest time spent discarding an unread request body after an error answer: 10 s. */
    public static final Duration DEFAULT_LINGER_TIMEOUT = Duration.ofSeconds(10);

    private final long maxBodySize;
    private final long maxJsonBodySize;
    private final long jsonMemoryBudget;
    private final int maxParts;
    private final Duration requestTimeout;
    private final long maxLingerBytes;
    private final Duration lingerTimeout;
    private final Duration maxWait;
    private final Duration queryTimeout;

    private ServerLimits(Builder b) {
        this.maxBodySize = b.maxBodySize;
        this.maxJsonBodySize = Math.min(b.maxJsonBodySize, b.maxBodySize); // the default follows a smaller body limit
        this.jsonMemoryBudget = b.jsonMemoryBudget;
        this.maxParts = b.maxParts;
        this.requestTimeout = b.requestTimeout;
        this.maxLingerBytes = b.maxLingerBytes;
        this.lingerTimeout = b.lingerTimeout;
        this.maxWait = b.maxWait;
        this.queryTimeout = b.queryTimeout;
    }

    /** Default longest {@code ?wait=SECONDS} a request may ask for: 60 s. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(60);
    /** Default longest time {@code POST /query} waits for its files' processing before it hands what is done: 30 s. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @return the longest wait for processing a request may ask for with {@code ?wait=SECONDS} (a longer one is
     *     cut to this)
     */
    public Duration maxWait() {
        return maxWait;
    }

    /** @return how long {@code POST /query} waits for its files' processing before the agent gets what is done */
    public Duration queryTimeout() {
        return queryTimeout;
    }

    /**
     * @return the defaults: 100 MiB bodies, 72 MiB JSON bodies, a JSON memory budget of a quarter of the maximum heap,
     *     100 parts, 5 minutes, lingering close for up to 16 MiB and 10 s
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

    /**
     * @return the most bytes of an unread request body read and discarded after an error answer before the connection
     *     is closed; 0 closes at once
     */
    public long maxLingerBytes() {
        return maxLingerBytes;
    }

    /** @return the longest time spent reading and discarding an unread request body after an error answer */
    public Duration lingerTimeout() {
        return lingerTimeout;
    }

    @Override
    public String toString() {
        return "ServerLimits{maxBodySize=" + maxBodySize + ", maxJsonBodySize=" + maxJsonBodySize
                + ", jsonMemoryBudget=" + jsonMemoryBudget + ", maxParts=" + maxParts + ", requestTimeout=" + requestTimeout
                + ", maxLingerBytes=" + maxLingerBytes + ", lingerTimeout=" + lingerTimeout + "}";
    }

    /** Builds {@link ServerLimits}. */
    public static final class Builder {
        private long maxBodySize = DEFAULT_MAX_BODY_SIZE;
        private long maxJsonBodySize = DEFAULT_MAX_JSON_BODY_SIZE;
        private boolean maxJsonBodySizeSet;
        private long jsonMemoryBudget = Runtime.getRuntime().maxMemory() / 4;
        private int maxParts = DEFAULT_MAX_PARTS;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private long maxLingerBytes = DEFAULT_MAX_LINGER_BYTES;
        private Duration lingerTimeout = DEFAULT_LINGER_TIMEOUT;
        private Duration maxWait = DEFAULT_MAX_WAIT;
        private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;

        private Builder() {
        }

        /**
         * @param wait the longest {@code ?wait=SECONDS} honoured, zero or more (default 60 s)
         * @return this builder
         */
        public Builder maxWait(Duration wait) {
            Objects.requireNonNull(wait, "maxWait");
            if (wait.isNegative()) {
                throw new IllegalArgumentException("maxWait must not be negative, was " + wait);
            }
            this.maxWait = wait;
            return this;
        }

        /**
         * @param timeout how long {@code POST /query} waits for processing, zero or more (default 30 s)
         * @return this builder
         */
        public Builder queryTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "queryTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("queryTimeout must not be negative, was " + timeout);
            }
            this.queryTimeout = timeout;
            return this;
        }

        /**
         * @param bytes the most bytes of an unread body discarded after an error answer, 0 or more (default 16 MiB);
         *     0 closes the connection right after the answer
         * @return this builder
         */
        public Builder maxLingerBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxLingerBytes must not be negative, was " + bytes);
            }
            this.maxLingerBytes = bytes;
            return this;
        }

        /**
         * @param timeout the longest time spent discarding an unread body after an error answer, positive (default 10 s)
         * @return this builder
         */
        public Builder lingerTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "lingerTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("lingerTimeout must be positive, was " + timeout);
            }
            this.lingerTimeout = timeout;
            return this;
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
