package io.attachkit.internal.mime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of detecting a file's type: the type that counts, and what disagreed with it.
 *
 * @param mimeType the type used for validation and processing
 * @param declared the type the caller declared, or {@code null}
 * @param byExtension the type the filename's extension suggests, or {@code null}
 * @param detected the type detected from the bytes (with the filename as a hint)
 * @param mismatch whether the declared type or the extension disagreed with the bytes
 */
public record MimeDetection(String mimeType, String declared, String byExtension, String detected, boolean mismatch) {

    /** @return the disagreement as {@code processed_content.mime_mismatch} records it */
    public Map<String, Object> mismatchReport() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("declared", declared);
        m.put("extension", byExtension);
        m.put("detected", detected);
        m.put("used", mimeType);
        return m;
    }
}
