package io.attachkit.serving;

import io.attachkit.internal.mime.MimeTypes;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Decides how a stored file is presented to a browser: types that cannot run script are shown
 * {@code inline}; HTML, SVG, XML, scripts and everything unknown are downloads ({@code attachment}). The
 * filename is written both as an ASCII fallback and as RFC 6266 / RFC 8187 {@code filename*}.
 *
 * <pre>{@code
 * ContentDisposition.header("text/html", "page.html");  // attachment; filename="page.html"; filename*=UTF-8''page.html
 * }</pre>
 */
public final class ContentDisposition {
    /** Types a browser renders without running anything the file contains. */
    private static final Set<String> INLINE = Set.of(
            "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/tiff",
            "application/pdf", "text/plain", "text/csv", "text/tab-separated-values", "text/markdown",
            "application/json");

    private ContentDisposition() {
    }

    /**
     * @param mimeType a media type, or {@code null}
     * @return whether a file of that type may be shown inline (it cannot run script in a browser)
     */
    public static boolean inline(String mimeType) {
        if (mimeType == null) {
            return false;
        }
        String t = MimeTypes.normalize(mimeType);
        return INLINE.contains(t) || t.startsWith("audio/") || t.startsWith("video/");
    }

    /**
     * @param mimeType the file's media type, or {@code null} (a download then)
     * @param filename the name to offer, or {@code null} for none
     * @return the {@code Content-Disposition} value
     */
    public static String header(String mimeType, String filename) {
        StringBuilder sb = new StringBuilder(inline(mimeType) ? "inline" : "attachment");
        if (filename != null && !filename.isBlank()) {
            sb.append("; filename=\"").append(asciiFallback(filename)).append('"');
            sb.append("; filename*=UTF-8''").append(encode(filename));
        }
        return sb.toString();
    }

    private static String asciiFallback(String filename) {
        StringBuilder sb = new StringBuilder(filename.length());
        for (int i = 0; i < filename.length(); i++) {
            char c = filename.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '/' && c != '%' ? c : '_');
        }
        return sb.toString();
    }

    /** RFC 8187 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~". */
    private static String encode(String filename) {
        StringBuilder sb = new StringBuilder();
        for (byte b : filename.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
