package io.attachkit.examples.threads;

/** The database refused or failed an operation of the {@link ThreadStore}; the cause is the JDBC exception. */
public class ThreadStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, on which thread
     * @param cause the underlying exception, or {@code null}
     */
    public ThreadStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
