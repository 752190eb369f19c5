package io.attachkit;

import io.attachkit.internal.io.LimitedDigestInputStream;
import java.io.InputStream;

/**
 * A file on its way into a backend, as {@link AbstractFileStore} hands it to
 * {@link AbstractFileStore#doSave(IncomingFile)}: the id and path it will have, its validated type, and
 * its content as a stream that enforces the limits while the backend reads it.
 *
 * <p>The backend reads {@link #content()} to its end; once it has, {@link #sha256()} and {@link #size()}
 * are final, so a backend can record them (for example in object metadata) before it commits the file.
 * Not thread-safe: one backend thread reads it.
 */
public final class IncomingFile {
    private final String fileId;
    private final String storagePath;
    private final String filename;
    private final String mimeType;
    private final LimitedDigestInputStream content;

    IncomingFile(String fileId, String storagePath, String filename, String mimeType, LimitedDigestInputStream content) {
        this.fileId = fileId;
        this.storagePath = storagePath;
        this.filename = filename;
        this.mimeType = mimeType;
        this.content = content;
    }

    /** @return the new file's id */
    public String fileId() {
        return fileId;
    }

    /** @return where the file goes, relative to the store's root: {@code ab/cdef....ext} */
    public String storagePath() {
        return storagePath;
    }

    /** @return the original filename (a display name, never a path) */
    public String filename() {
        return filename;
    }

    /** @return the MIME type detected from the bytes */
    public String mimeType() {
        return mimeType;
    }

    /**
     * The content. Reading past the size limit or the quota throws {@link FileTooLargeException} or
     * {@link StorageFullException}; closing it does nothing (the caller of {@code save} owns the source).
     *
     * @return the content stream
     */
    public InputStream content() {
        return content;
    }

    /**
     * The same content, for a backend that computes the SHA-256 on another thread while it reads (a large save
     * costs then about the larger of reading, hashing and writing, not their sum): the limits are enforced as by
     * {@link #content()}, but the bytes are not digested; the backend passes every chunk it read, in order, to
     * {@link #digest(byte[], int, int)} before it reuses the buffer, and waits for that work to end before it
     * returns. Call it before reading, instead of {@link #content()}.
     *
     * @return the content stream, not digesting
     * @throws IllegalStateException if some content has been read already
     */
    public InputStream contentDigestedSeparately() {
        content.digestSeparately();
        return content;
    }

    /**
     * Digests the next chunk read from {@link #contentDigestedSeparately()}; chunks must come in the order they
     * were read, from one thread at a time. {@link #sha256()} fails unless every byte read was digested once.
     *
     * @param b the buffer the chunk was read into
     * @param off where it starts
     * @param len its length
     */
    public void digest(byte[] b, int off, int len) {
        content.digest(b, off, len);
    }

    /** @return bytes read from {@link #content()} so far */
    public long size() {
        return content.size();
    }

    /** @return whether {@link #content()} has been read to its end */
    public boolean fullyRead() {
        return content.reachedEof();
    }

    /**
     * @return the lowercase hex SHA-256 of the content
     * @throws IllegalStateException if the content has not been read to its end yet
     */
    public String sha256() {
        return content.sha256Hex();
    }
}
