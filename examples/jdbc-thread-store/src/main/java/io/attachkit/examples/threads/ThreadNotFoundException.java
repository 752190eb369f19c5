package io.attachkit.examples.threads;

/** A message was added to a thread that does not exist (or was deleted meanwhile); nothing was saved. */
public class ThreadNotFoundException extends ThreadStoreException {
    private static final long serialVersionUID = 1L;

    /** @param threadId the missing thread's id */
    public ThreadNotFoundException(String threadId) {
        super("No thread with id '" + threadId + "'", null);
    }
}
