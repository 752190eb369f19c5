package io.attachkit;

/**
 * A file is larger than the configured maximum file size.
 *
 * <p>Raised while streaming, as soon as the limit is crossed: the rest of the input is not read and
 * nothing is stored. {@link #size()} is the number of bytes seen when the limit was crossed (so at
 * least {@code limit + 1}), or the full size when it was known up front.
 */
public class FileTooLargeException extends AttachmentException {
    private static final long serialVersionUID = 1L;
    private final long size;
    private final long limit;

    /**
     * @param filename the file's name, for the message
     * @param size bytes seen (or declared) so far
     * @param limit the maximum file size in bytes
     */
    public FileTooLargeException(String filename, long size, long limit) {
        super("File '" + filename + "' is too large: " + (size > limit ? "more than " + limit : String.valueOf(size))
                + " bytes (read " + size + "), the maximum file size is " + limit
                + " bytes; raise maxFileSize (ATTACHKIT_MAX_FILE_SIZE) to accept it");
        this.size = size;
        this.limit = limit;
    }

    /** @return bytes seen (or declared) when the limit was crossed */
    public long size() {
        return size;
    }

    /** @return the maximum file size in bytes */
    public long limit() {
        return limit;
    }
}
