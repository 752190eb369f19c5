package io.attachkit.internal.mime;

import java.util.Locale;
import java.util.Map;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;

/**
 * Normalises MIME type spellings so that aliases compare equal ({@code image/jpg} and {@code image/jpeg},
 * {@code audio/x-wav} and {@code audio/wav}) and reports them in the common spelling users expect.
 */
public final class MimeTypes {
    /** Aliases Tika does not know, mapped to the spelling we report. */
    private static final Map<String, String> EXTRA_ALIASES = Map.of(
            "audio/mp3", "audio/mpeg",
            "image/jpg", "image/jpeg",
            "image/pjpeg", "image/jpeg",
            "application/x-zip-compressed", "application/zip",
            "application/x-pdf", "application/pdf");

    /** Tika's canonical names for which the web uses another spelling. */
    private static final Map<String, String> PREFERRED = Map.of(
            "audio/vnd.wave", "audio/wav",
            "audio/x-flac", "audio/flac",
            "audio/x-aac", "audio/aac",
            "application/x-gzip", "application/gzip",
            "image/x-ms-bmp", "image/bmp");

    private static final MediaTypeRegistry REGISTRY = org.apache.tika.mime.MimeTypes.getDefaultMimeTypes().getMediaTypeRegistry();

    private MimeTypes() {
    }

    /**
     * @param mimeType a MIME type, possibly with parameters ({@code text/plain; charset=utf-8}) or an alias
     * @return the lower-case base type in its preferred spelling, or {@code null} for {@code null}
     */
    public static String normalize(String mimeType) {
        if (mimeType == null) {
            return null;
        }
        String base = mimeType.trim().toLowerCase(Locale.ROOT);
        int semicolon = base.indexOf(';');
        if (semicolon >= 0) {
            base = base.substring(0, semicolon).trim();
        }
        base = EXTRA_ALIASES.getOrDefault(base, base);
        MediaType parsed = MediaType.parse(base);
        if (parsed != null) {
            base = REGISTRY.normalize(parsed).getBaseType().toString();
        }
        return PREFERRED.getOrDefault(base, base);
    }

    /**
     * @param specific a type
     * @param general another type
     * @return whether {@code specific} is a kind of {@code general} (e.g. {@code text/csv} of {@code text/plain})
     */
    public static boolean isSpecializationOf(String specific, String general) {
        MediaType a = MediaType.parse(tikaName(specific));
        MediaType b = MediaType.parse(tikaName(general));
        return a != null && b != null && REGISTRY.isSpecializationOf(a, b);
    }

    /** @return Tika's canonical spelling, for registry look-ups */
    static String tikaName(String mimeType) {
        String n = normalize(mimeType);
        for (Map.Entry<String, String> e : PREFERRED.entrySet()) {
            if (e.getValue().equals(n)) {
                return e.getKey();
            }
        }
        return n;
    }
}
