package io.attachkit.ingest;

import io.attachkit.InvalidContentException;
import io.attachkit.internal.StoragePaths;
import java.util.Locale;

/**
 * How a "track attachments" request carries each item's {@code data}: {@link #BASE64} (a base64 string or
 * {@code data:} URI in JSON, the default) or {@link #FORM_DATA} (raw bytes, as multipart/form-data file parts).
 */
public enum IngestMode {
    /** {@code data} is a base64 string (or a base64 {@code data:} URI). */
    BASE64,
    /** {@code data} is raw bytes, sent as a multipart/form-data file part. */
    FORM_DATA;

    /** @return the wire spelling: {@code base64} or {@code form_data} */
    public String jsonValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the wire spelling, case-insensitively; {@code null} means the default, {@link #BASE64}.
     *
     * @param value {@code base64}, {@code form_data} or {@code null}
     * @return the mode
     * @throws InvalidContentException for any other value
     */
    public static IngestMode fromJson(String value) {
        if (value == null) {
            return BASE64;
        }
        for (IngestMode m : values()) {
            if (m.jsonValue().equalsIgnoreCase(value.trim())) {
                return m;
            }
        }
        throw new InvalidContentException("Unknown mode " + StoragePaths.quote(value) + "; expected 'base64' or 'form_data'");
    }

    /**
     * Checks that an item's data is of the kind this mode expects.
     *
     * @param dataIsBytes {@code true} for raw bytes (a file part, a byte array), {@code false} for a string
     * @return {@code null} when the data fits the mode, else the error message for that item
     */
    public String mismatch(boolean dataIsBytes) {
        if (this == BASE64 && dataIsBytes) {
            return "mode is 'base64' but data is raw bytes; send data as a base64 string, or set mode to 'form_data'";
        }
        if (this == FORM_DATA && !dataIsBytes) {
            return "mode is 'form_data' but data is a string; send the file as a multipart/form-data file part,"
                    + " or set mode to 'base64' for base64 strings";
        }
        return null;
    }
}
