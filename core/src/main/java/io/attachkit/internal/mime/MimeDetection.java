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
 * @param bytesOnly the type the bytes show without the filename's help (often more general)
 */
public record MimeDetection(String mimeType, String declared, String byExtension, String detected, boolean mismatch,
                            String bytesOnly) {

    /**
     * The type to validate and store: {@link #mimeType()}, or, when that is not allowed but the bytes alone
     * show an allowed, more general type (a {@code .py} or {@code .ini} file that is plain text), that one.
     *
     * @param allowed tells whether a type is allowed
     * @return the type to use
     */
    public String resolve(java.util.function.Predicate<String> allowed) {
        if (!allowed.test(mimeType) && bytesOnly != null && allowed.test(bytesOnly)
                && MimeTypes.isSpecializationOf(mimeType, bytesOnly)) {
            return bytesOnly;
        }
        return mimeType;
    }

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
