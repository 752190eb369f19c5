package io.attachkit;

import java.util.Locale;

/**
 * Where an {@link Attachment} is in its lifecycle: {@code PENDING} until stored, then {@code STORED},
 * or {@code FAILED} with a reason. In JSON the status is written in lower case, as Tyler does.
 */
public enum AttachmentStatus {
    /** Not yet stored: the content is in memory, base64 or a local file. */
    PENDING,
    /** Stored durably: the attachment has a file id and storage path. */
    STORED,
    /** Storing failed; {@link Attachment#failureReason()} says why. */
    FAILED;

    /** @return the JSON spelling: {@code pending}, {@code stored} or {@code failed} */
    public String jsonValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the JSON spelling, case-insensitively.
     *
     * @param value {@code pending}, {@code stored} or {@code failed}
     * @return the status
     * @throws InvalidContentException for any other value
     */
    public static AttachmentStatus fromJson(String value) {
        for (AttachmentStatus s : values()) {
            if (s.name().equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw new InvalidContentException("Unknown attachment status '" + value + "'; expected pending, stored or failed");
    }
}
