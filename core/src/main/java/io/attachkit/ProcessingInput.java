package io.attachkit;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The file a {@link ContentProcessor} works on: its name, detected type, size, digest, and a way to open
 * its content (as often as needed; each call opens a new stream that the caller closes).
 */
public final class ProcessingInput {
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

    /**
     * @param filename the original filename
     * @param mimeType the detected type
     * @param size the size in bytes, or -1 if unknown
     * @param sha256 the content's SHA-256, or {@code null}
     * @param opener opens the content
     * @param listener receives progress, or {@code null}
     */
    public ProcessingInput(String filename, String mimeType, long size, String sha256, Opener opener, ProcessingListener listener) {
        this.filename = Objects.requireNonNull(filename, "filename");
        this.mimeType = mimeType;
        this.size = size;
        this.sha256 = sha256;
        this.opener = Objects.requireNonNull(opener, "opener");
        this.listener = listener == null ? ProcessingListener.NONE : listener;
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
