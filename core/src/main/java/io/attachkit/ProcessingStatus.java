package io.attachkit;

import java.util.Locale;

/**
 * Where a stored {@link Attachment}'s processing is, beside its storage {@link AttachmentStatus}: {@code QUEUED}
 * once accepted for processing, {@code RUNNING} while a processor works on it, then {@code DONE} or {@code FAILED}
 * (the reason in {@code processed_content.error}). In JSON it is {@code processing_status}, in lower case, and
 * absent while the attachment is not stored.
 */
public enum ProcessingStatus {
    /** Accepted for processing, waiting for a worker. */
    QUEUED,
    /** A processor is working on it. */
    RUNNING,
    /** Processed: {@code processed_content} holds the result (or no processor reads this type). */
    DONE,
    /** Processing failed or timed out; {@code processed_content.error} says why. The file stays stored. */
    FAILED;

    /** @return the JSON spelling: {@code queued}, {@code running}, {@code done} or {@code failed} */
    public String jsonValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return whether processing has ended ({@code DONE} or {@code FAILED}) */
    public boolean isFinished() {
        return this == DONE || this == FAILED;
    }

    /**
     * Parses the JSON spelling, case-insensitively.
     *
     * @param value {@code queued}, {@code running}, {@code done} or {@code failed}
     * @return the status
     * @throws InvalidContentException for any other value
     */
    public static ProcessingStatus fromJson(String value) {
        for (ProcessingStatus s : values()) {
            if (s.name().equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw new InvalidContentException("Unknown processing status '" + value + "'; expected queued, running, done or failed");
    }
}
