package io.attachkit.ingest;

import io.attachkit.Attachment;

/**
 * One item of a "track attachments" request after parsing: a pending {@link Attachment}, or the reason this
 * item cannot become one (a missing filename, invalid base64, data that does not match the mode). Exactly one
 * of {@code attachment} and {@code error} is set.
 *
 * @param index the item's position in the request, from 0
 * @param filename the item's filename, or {@code null} if it had none
 * @param attachment the pending attachment, or {@code null} when the item is invalid
 * @param error why the item is invalid, or {@code null}
 */
public record TrackedItem(int index, String filename, Attachment attachment, String error) {

    /**
     * Checks that exactly one of attachment and error is set.
     *
     * @param index the item's position in the request, from 0
     * @param filename the item's filename, or {@code null} if it had none
     * @param attachment the pending attachment, or {@code null} when the item is invalid
     * @param error why the item is invalid, or {@code null}
     */
    public TrackedItem {
        if ((attachment == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of attachment and error must be set");
        }
    }

    /**
     * @param index the item's position
     * @param attachment the pending attachment
     * @return a valid item
     */
    public static TrackedItem of(int index, Attachment attachment) {
        return new TrackedItem(index, attachment.filename(), attachment, null);
    }

    /**
     * @param index the item's position
     * @param filename the item's filename, or {@code null}
     * @param error why the item is invalid
     * @return an invalid item
     */
    public static TrackedItem invalid(int index, String filename, String error) {
        return new TrackedItem(index, filename, null, error);
    }

    /** @return whether the item parsed into an attachment */
    public boolean valid() {
        return attachment != null;
    }
}
