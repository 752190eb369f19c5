package io.attachkit;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The file a {@link ContentProcessor} works on: its name, detected type, size, digest, and a way to open
 * its content (as often as needed; each call opens a new stream that the caller closes).
 */
public final class ProcessingInput {
    /**
     * Runs the pipeline's processors on a file found inside the one being processed, such as a file attached
     * to an email, so that its content is nested in the outer result.
     *
     * <p>{@link Attachments} supplies one that detects the inner file's type by its bytes (as a stored file's),
     * processes it on the calling thread within the outer file's timeout, and is bounded: files nested deeper
     * than {@link Attachments#MAX_NESTING_DEPTH} levels, or more than {@link Attachments#MAX_NESTED_FILES} inner
     * files for one outer file (all levels together), are not processed, so an email that attaches itself ends
     * after a few levels. Thread-safe.
     */
    @FunctionalInterface
    public interface Nested {
        /** Processes nothing: every inner file is answered with a {@code skipped} reason. */
        Nested NONE = (filename, declaredType, size, opener, limits) -> ProcessedContent.of(
                java.util.Map.of("skipped", "inner files are processed only through Attachments"));

        /**
         * @param filename the inner file's name (may be empty, never {@code null})
         * @param declaredType the type its container declares, or {@code null}; the bytes decide
         * @param size its size in bytes, or -1
         * @param opener opens its content, as often as needed
         * @param limits the bounds for this file (a share of the outer file's)
         * @return its processed content, with {@code mime_type} (the detected type) when it was read; a
         *     {@code skipped} reason when it was not processed (too deep, too many, no processor); an
         *     {@code error} when its processor failed. Never {@code null}; never throws for bad content
         */
        ProcessedContent process(String filename, String declaredType, long size, Opener opener, ProcessingLimits limits);
    }

    /** Opens the content anew. */
    @FunctionalInterface
    public interface Opener {
        /**
         * @return a new stream of the content; the caller closes it
         * @throws IOException if it cannot be opened
         */
        InputStream open() throws IOException;
    }

    private final String filename;
    private final String mimeType;
    private final long size;
    private final String sha256;
    private final Opener opener;
    private final ProcessingListener listener;
    private final Nested nested;

    /**
     * @param filename the original filename
     * @param mimeType the detected type
     * @param size the size in bytes, or -1 if unknown
     * @param sha256 the content's SHA-256, or {@code null}
     * @param opener opens the content
     * @param listener receives progress, or {@code null}
     */
    public ProcessingInput(String filename, String mimeType, long size, String sha256, Opener opener, ProcessingListener listener) {
        this(filename, mimeType, size, sha256, opener, listener, Nested.NONE);
    }

    private ProcessingInput(String filename, String mimeType, long size, String sha256, Opener opener, ProcessingListener listener,
            Nested nested) {
        this.filename = Objects.requireNonNull(filename, "filename");
        this.mimeType = mimeType;
        this.size = size;
        this.sha256 = sha256;
        this.opener = Objects.requireNonNull(opener, "opener");
        this.listener = listener == null ? ProcessingListener.NONE : listener;
        this.nested = Objects.requireNonNull(nested, "nested");
    }

    /**
     * @param nested how files found inside this one are processed
     * @return a copy of this input that processes inner files with {@code nested}
     */
    public ProcessingInput withNested(Nested nested) {
        return new ProcessingInput(filename, mimeType, size, sha256, opener, listener, nested);
    }

    /**
     * @return how files found inside this one (an email's attachments) are run through the pipeline; never
     *     {@code null}: {@link Nested#NONE} when the caller runs no pipeline (a processor called directly)
     */
    public Nested nested() {
        return nested;
    }

    /** @return the original filename */
    public String filename() {
        return filename;
    }

    /** @return the detected MIME type */
    public String mimeType() {
        return mimeType;
    }

    /** @return the size in bytes, or -1 */
    public long size() {
        return size;
    }

    /** @return the SHA-256 (hex), or {@code null} */
    public String sha256() {
        return sha256;
    }

    /**
     * @return a new stream of the content; the caller closes it
     * @throws IOException if it cannot be opened
     */
    public InputStream open() throws IOException {
        return opener.open();
    }

    /** @return where to report progress (never {@code null}) */
    public ProcessingListener listener() {
        return listener;
    }
}
