package io.attachkit;

/**
 * A file id or storage path could reach outside the store: {@code ..} segments, absolute paths,
 * backslashes, NUL or control characters, percent-encoded separators, or a symbolic link that points
 * out of the store's root. Refused before anything touches the storage.
 */
public class UnsafePathException extends AttachmentException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which value was refused and why
     */
    public UnsafePathException(String message) {
        super(message);
    }
}
