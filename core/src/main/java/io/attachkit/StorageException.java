package io.attachkit;

/**
 * A storage backend could not complete an operation: an I/O error on disk, an unreachable or failing
 * remote service, or a backend that reported something other than what was sent.
 *
 * <p>Unlike the input errors, this says "we could not do it", not "you sent something wrong".
 * {@link #retryable()} tells whether trying again may help.
 */
public class StorageException extends AttachmentException {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    /**
     * @param message what failed, on which backend and key
     * @param cause the underlying exception, or {@code null}
     * @param retryable whether the same call may succeed later
     */
    public StorageException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    /**
     * @param message what failed, on which backend and key
     * @param cause the underlying exception, or {@code null}
     */
    public StorageException(String message, Throwable cause) {
        this(message, cause, false);
    }

    @Override
    public boolean retryable() {
        return retryable;
    }
}
