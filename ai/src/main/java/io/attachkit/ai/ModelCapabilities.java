package io.attachkit.ai;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a chat model accepts as native attachment content: which image types, how large an image or a PDF
 * may be, and how many tokens such content costs against a budget. Everything a model does not accept
 * natively is sent as the extracted text instead.
 *
 * <p>Presets cover well-known providers as their APIs documented them in 2026 ({@link #openAi()},
 * {@link #anthropic()}, {@link #gemini()}) and text-only models ({@link #textOnly()}). A model that
 * differs is described with the builder, or with {@link #toBuilder()} from the closest preset:
 *
 * <pre>{@code
 * ModelCapabilities local = ModelCapabilities.builder("llava-on-ollama")
 *         .imageTypes("image/png", "image/jpeg")
 *         .maxImageBytes(8 * 1024 * 1024)
 *         .tokensPerImage(576)
 *         .build();                                   // no PDF: PDFs go as text
 * ModelCapabilities smallerClaude = ModelCapabilities.anthropic().toBuilder().maxPdfPages(20).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ModelCapabilities {
    private static final long MIB = 1024L * 1024L;

    private final String name;
    private final Set<String> imageTypes;
    private final long maxImageBytes;
    private final boolean pdf;
    private final long maxPdfBytes;
    private final int maxPdfPages;
    private final int tokensPerImage;
    private final int tokensPerPdfPage;

    private ModelCapabilities(Builder b) {
        this.name = b.name;
        this.imageTypes = Collections.unmodifiableSet(new LinkedHashSet<>(b.imageTypes));
        this.maxImageBytes = b.maxImageBytes;
        this.pdf = b.pdf;
        this.maxPdfBytes = b.maxPdfBytes;
        this.maxPdfPages = b.maxPdfPages;
        this.tokensPerImage = b.tokensPerImage;
        this.tokensPerPdfPage = b.tokensPerPdfPage;
    }

    /**
     * OpenAI's vision chat models (GPT-4o and later): PNG, JPEG, WebP and non-animated GIF up to 20 MiB,
     * PDFs as file input up to 32 MiB and 100 pages.
     *
     * @return the preset
     */
    public static ModelCapabilities openAi() {
        return builder("openai").imageTypes("image/png", "image/jpeg", "image/webp", "image/gif")
                .maxImageBytes(20 * MIB).tokensPerImage(765)
                .pdf(true).maxPdfBytes(32 * MIB).maxPdfPages(100).tokensPerPdfPage(1_000).build();
    }

    /**
     * Anthropic's Claude models: JPEG, PNG, GIF and WebP up to 5 MiB, PDFs up to 32 MiB and 100 pages.
     *
     * @return the preset
     */
    public static ModelCapabilities anthropic() {
        return builder("anthropic").imageTypes("image/jpeg", "image/png", "image/gif", "image/webp")
                .maxImageBytes(5 * MIB).tokensPerImage(1_600)
                .pdf(true).maxPdfBytes(32 * MIB).maxPdfPages(100).tokensPerPdfPage(1_600).build();
    }

    /**
     * Google's Gemini models, inline data: PNG, JPEG, WebP, HEIC and HEIF, and PDFs, within the 20 MiB
     * inline request limit.
     *
     * @return the preset
     */
    public static ModelCapabilities gemini() {
        return builder("gemini").imageTypes("image/png", "image/jpeg", "image/webp", "image/heic", "image/heif")
                .maxImageBytes(20 * MIB).tokensPerImage(258)
                .pdf(true).maxPdfBytes(20 * MIB).maxPdfPages(1_000).tokensPerPdfPage(258).build();
    }

    /**
     * A model that takes text only: every attachment goes as its extracted text.
     *
     * @return the preset
     */
    public static ModelCapabilities textOnly() {
        return builder("text-only").build();
    }

    /**
     * Starts a description of a model that accepts nothing but text until told otherwise.
     *
     * @param name a name for logs and notes, e.g. {@code "my-vision-model"}
     * @return a builder
     * @throws IllegalArgumentException if the name is blank
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return a builder holding this description's settings */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.imageTypes.addAll(imageTypes);
        b.maxImageBytes = maxImageBytes;
        b.pdf = pdf;
        b.maxPdfBytes = maxPdfBytes;
        b.maxPdfPages = maxPdfPages;
        b.tokensPerImage = tokensPerImage;
        b.tokensPerPdfPage = tokensPerPdfPage;
        return b;
    }

    /** @return the name given to this description */
    public String name() {
        return name;
    }

    /** @return the image MIME types accepted natively (lowercase), empty when none */
    public Set<String> imageTypes() {
        return imageTypes;
    }

    /**
     * @param mimeType a MIME type, parameters allowed; may be {@code null}
     * @return whether images of that type are accepted natively
     */
    public boolean acceptsImage(String mimeType) {
        return mimeType != null && imageTypes.contains(baseType(mimeType));
    }

    /** @return the largest image, in bytes, sent natively */
    public long maxImageBytes() {
        return maxImageBytes;
    }

    /** @return whether PDFs are accepted natively */
    public boolean acceptsPdf() {
        return pdf;
    }

    /** @return the largest PDF, in bytes, sent natively */
    public long maxPdfBytes() {
        return maxPdfBytes;
    }

    /** @return the most pages a PDF sent natively may have */
    public int maxPdfPages() {
        return maxPdfPages;
    }

    /** @return the tokens one native image is counted as against a budget */
    public int tokensPerImage() {
        return tokensPerImage;
    }

    /** @return the tokens one page of a native PDF is counted as against a budget */
    public int tokensPerPdfPage() {
        return tokensPerPdfPage;
    }

    static String baseType(String mimeType) {
        int semi = mimeType.indexOf(';');
        return (semi < 0 ? mimeType : mimeType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "ModelCapabilities[" + name + ", images=" + imageTypes + " up to " + maxImageBytes + " bytes, pdf="
                + (pdf ? "up to " + maxPdfBytes + " bytes and " + maxPdfPages + " pages" : "no") + "]";
    }

    /**
     * Builds a {@link ModelCapabilities}. Each setter checks its argument at once; not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private final Set<String> imageTypes = new LinkedHashSet<>();
        private long maxImageBytes = 5 * MIB;
        private boolean pdf;
        private long maxPdfBytes = 20 * MIB;
        private int maxPdfPages = 100;
        private int tokensPerImage = 1_000;
        private int tokensPerPdfPage = 1_000;

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was " + (name == null ? "null" : "'" + name + "'"));
            }
            this.name = name;
        }

        /**
         * Sets the image MIME types the model accepts natively, replacing any set before.
         *
         * @param mimeTypes types such as {@code image/png}; none means no native images
         * @return this builder
         * @throws IllegalArgumentException if a type is not an {@code image/...} type
         */
        public Builder imageTypes(String... mimeTypes) {
            Objects.requireNonNull(mimeTypes, "mimeTypes");
            Set<String> checked = new LinkedHashSet<>();
            for (String t : mimeTypes) {
                if (t == null || !baseType(t).startsWith("image/") || baseType(t).length() <= "image/".length()) {
                    throw new IllegalArgumentException("imageTypes must be image/... MIME types, was " + Arrays.toString(mimeTypes));
                }
                checked.add(baseType(t));
            }
            imageTypes.clear();
            imageTypes.addAll(checked);
            return this;
        }

        /**
         * @param bytes the largest image sent natively; a larger one goes as text
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxImageBytes(long bytes) {
            this.maxImageBytes = positive("maxImageBytes", bytes);
            return this;
        }

        /**
         * @param accepted whether the model accepts PDF documents natively
         * @return this builder
         */
        public Builder pdf(boolean accepted) {
            this.pdf = accepted;
            return this;
        }

        /**
         * @param bytes the largest PDF sent natively; a larger one goes as text
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxPdfBytes(long bytes) {
            this.maxPdfBytes = positive("maxPdfBytes", bytes);
            return this;
        }

        /**
         * @param pages the most pages of a PDF sent natively; a longer one goes as text
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxPdfPages(int pages) {
            this.maxPdfPages = (int) positive("maxPdfPages", pages);
            return this;
        }

        /**
         * @param tokens what one native image counts against a token budget
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder tokensPerImage(int tokens) {
            this.tokensPerImage = nonNegative("tokensPerImage", tokens);
            return this;
        }

        /**
         * @param tokens what one page of a native PDF counts against a token budget (its text is counted too)
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder tokensPerPdfPage(int tokens) {
            this.tokensPerPdfPage = nonNegative("tokensPerPdfPage", tokens);
            return this;
        }

        /** @return the immutable description */
        public ModelCapabilities build() {
            return new ModelCapabilities(this);
        }

        private static long positive(String setting, long value) {
            if (value <= 0) {
                throw new IllegalArgumentException(setting + " must be positive, was " + value);
            }
            return value;
        }

        private static int nonNegative(String setting, int value) {
            if (value < 0) {
                throw new IllegalArgumentException(setting + " must not be negative, was " + value);
            }
            return value;
        }
    }
}
