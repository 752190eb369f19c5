package io.attachkit;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on the work a {@link ContentProcessor} may do for one attachment, so a hostile or huge file
 * cannot take unbounded time or memory. Immutable and thread-safe.
 *
 * <p>Defaults: 500 pages, 100 megapixels per image (checked from the header before decoding),
 * 1,000,000 output characters, 120 seconds per attachment (OCR included).
 *
 * <pre>{@code
 * ProcessingLimits limits = ProcessingLimits.builder().maxPages(50).timeout(Duration.ofSeconds(30)).build();
 * }</pre>
 */
public final class ProcessingLimits {
    private static final ProcessingLimits DEFAULTS = builder().build();

    private final int maxPages;
    private final long maxImagePixels;
    private final int maxOutputChars;
    private final Duration timeout;

    private ProcessingLimits(Builder b) {
        this.maxPages = b.maxPages;
        this.maxImagePixels = b.maxImagePixels;
        this.maxOutputChars = b.maxOutputChars;
        this.timeout = b.timeout;
    }

    /** @return the default limits */
    public static ProcessingLimits defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder with these settings, for a changed copy */
    public Builder toBuilder() {
        return new Builder().maxPages(maxPages).maxImagePixels(maxImagePixels).maxOutputChars(maxOutputChars).timeout(timeout);
    }

    /** @return the most pages read from one document */
    public int maxPages() {
        return maxPages;
    }

    /** @return the most pixels (width times height) of an image that will be decoded */
    public long maxImagePixels() {
        return maxImagePixels;
    }

    /** @return the most characters of text kept in the result */
    public int maxOutputChars() {
        return maxOutputChars;
    }

    /** @return the wall-clock budget for processing one attachment */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public String toString() {
        return "ProcessingLimits{maxPages=" + maxPages + ", maxImagePixels=" + maxImagePixels + ", maxOutputChars="
                + maxOutputChars + ", timeout=" + timeout + "}";
    }

    /** Builds {@link ProcessingLimits}. */
    public static final class Builder {
        private int maxPages = 500;
        private long maxImagePixels = 100_000_000L;
        private int maxOutputChars = 1_000_000;
        private Duration timeout = Duration.ofSeconds(120);

        private Builder() {
        }

        /**

         * @param pages the most pages, positive

         * @return this builder

         */
        public Builder maxPages(int pages) {
            if (pages <= 0) {
                throw new IllegalArgumentException("maxPages must be positive, was " + pages);
            }
            this.maxPages = pages;
            return this;
        }

        /**

         * @param pixels the most pixels per image, positive

         * @return this builder

         */
        public Builder maxImagePixels(long pixels) {
            if (pixels <= 0) {
                throw new IllegalArgumentException("maxImagePixels must be positive, was " + pixels);
            }
            this.maxImagePixels = pixels;
            return this;
        }

        /**

         * @param chars the most output characters, positive

         * @return this builder

         */
        public Builder maxOutputChars(int chars) {
            if (chars <= 0) {
                throw new IllegalArgumentException("maxOutputChars must be positive, was " + chars);
            }
            this.maxOutputChars = chars;
            return this;
        }

        /**

         * @param timeout the budget per attachment, positive

         * @return this builder

         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** @return the limits */
        public ProcessingLimits build() {
            return new ProcessingLimits(this);
        }
    }
}
