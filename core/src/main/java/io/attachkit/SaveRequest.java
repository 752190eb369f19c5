package io.attachkit;

import java.io.InputStream;
import java.util.Objects;

/**
 * One file for {@link FileStore#saveAll(java.util.List)}: its content, name and declared type.
 *
 * @param content the bytes to store; the caller closes it
 * @param filename the original filename
 * @param mimeType the declared MIME type, or {@code null}
 */
public record SaveRequest(InputStream content, String filename, String mimeType) {
    /**
     * Checks the required fields.
     *
     * @param content see the record's description
     * @param filename see the record's description
     * @param mimeType see the record's description
     */
    public SaveRequest {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(filename, "filename");
    }
}
