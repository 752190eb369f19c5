package io.attachkit.ingest;

import io.attachkit.InvalidContentException;
import java.io.IOException;
import java.util.Map;

/**
 * The rules a "track attachments" request sent as {@code multipart/form-data} applies to each part, in one place
 * for every engine that reads such bodies (the attachkit server and the Spring Boot endpoint): which form fields
 * describe the request rather than carry an item, what the {@code metadata} field must hold, and why a part cannot
 * become an item. The engines keep their own multipart parsing and error types; these answer in plain values and
 * {@link InvalidContentException}.
 */
public final class MultipartRules {
    private MultipartRules() {
    }

    /**
     * @param field the part's form field name ({@code ""} when it has none)
     * @param isFile whether the part is a file (not a plain form field, or it names a file)
     * @return whether the part describes the request ({@code conversation_id}, {@code metadata}, {@code mode})
     *     rather than carrying an item
     */
    public static boolean isRequestField(String field, boolean isFile) {
        return !isFile && (field.equals("conversation_id") || field.equals("metadata") || field.equals("mode"));
    }

    /**
     * Checks the {@code metadata} form field (parsed with the same bounds as the JSON requests).
     *
     * @param value the field's text
     * @throws InvalidContentException if it is not a JSON object
     */
    public static void requireMetadataObject(String value) {
        Object parsed;
        try {
            parsed = IngestJson.mapper().readValue(value, Object.class);
        } catch (IOException e) {
            throw new InvalidContentException("Form field 'metadata' must be a JSON object: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?>)) {
            throw new InvalidContentException("Form field 'metadata' must be a JSON object");
        }
    }

    /**
     * @param field the part's form field name
     * @param mode the request's mode so far
     * @param isFile whether the part is a file
     * @param filename the part's filename, or {@code null}
     * @param badFilename why the part's filename was refused (a NUL character), or {@code null}
     * @return why this part cannot be stored as an item (the message its failed item carries), or {@code null} if
     *     it can
     */
    public static String itemError(String field, IngestMode mode, boolean isFile, String filename, String badFilename) {
        String mismatch = mode.mismatch(isFile);
        if (mismatch != null) {
            return "field '" + field + "': " + mismatch;
        }
        if (!isFile) {
            return "field '" + field + "': mode 'base64' items are sent as JSON (application/json), not as multipart fields";
        }
        if (badFilename != null) {
            return "file part '" + field + "': " + badFilename;
        }
        if (filename == null || filename.isBlank()) {
            return "file part '" + field + "' has no filename";
        }
        return null;
    }
}
