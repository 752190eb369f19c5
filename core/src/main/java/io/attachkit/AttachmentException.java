package io.attachkit;

/**
 * Root of attachkit's single unchecked exception tree.
 *
 * <p>Every failure that attachkit reports to a caller is an {@code AttachmentException} or one of its
 * subclasses, so a caller can handle "anything attachkit refused" in one place and the specific cases
 * (too large, unsupported type, not found, ...) where it matters. Exceptions from the libraries
 * underneath (the JDK's I/O, the AWS SDK, PDFBox, Tesseract) are wrapped, never leaked raw, and are
 * kept as the {@linkplain #getCause() cause}.
 *
 * <p>{@link #retryable()} says whether trying the same operation again may succeed (a network blip,
 * a throttled backend); input errors are never retryable.
 */
public class AttachmentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that says what failed and, where it helps, what to do.
     *
     * @param message the explanation
     */
    public AttachmentException(String message) {
        super(message);
    }

    /**
     * Creates an exception that wraps the underlying failure.
     *
     * @param message the explanation
     * @param cause the original exception
     */
    public AttachmentException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the same call may succeed if tried again unchanged.
     *
     * @return {@code false} unless a subclass knows the failure was temporary
     */
    public boolean retryable() {
        return false;
    }
}
