package io.attachkit;

import java.time.Duration;
import java.util.Objects;

/**
 * The processing queue of an {@link Attachments} holds as many jobs as it may
 * ({@link Attachments.Builder#maxQueuedJobs(int)}): nothing was accepted, and nothing was stored by the call that
 * threw it. Retryable: try again after {@link #retryAfter()} (a server answers 503 with {@code Retry-After}).
 */
public class ProcessingQueueFullException extends AttachmentException {
    private static final long serialVersionUID = 1L;
    private final transient Duration retryAfter;

    /**
     * @param message what was refused and why
     * @param retryAfter when a retry is likely to be accepted
     */
    public ProcessingQueueFullException(String message, Duration retryAfter) {
        super(message, null);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** @return when a retry is likely to be accepted */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** @return {@code true}: the queue drains, so the same call succeeds later */
    @Override
    public boolean retryable() {
        return true;
    }
}
