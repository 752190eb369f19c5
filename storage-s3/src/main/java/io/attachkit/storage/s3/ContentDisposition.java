package io.attachkit.storage.s3;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Builds a safe {@code Content-Disposition} header (RFC 6266, with an RFC 8187 {@code filename*}) and the
 * percent-encoded form of a filename kept in object metadata. Every output is printable US-ASCII, so it
 * can travel in an HTTP header and be signed.
 */
final class ContentDisposition {
    /** Types a browser may show inline without running script from the bucket's origin. */
    private static final Set<String> INLINE_TYPES = Set.of(
            "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/tiff",
            "application/pdf", "audio/mpeg", "audio/mp3", "audio/mp4", "audio/ogg", "audio/opus", "audio/wav",
            "audio/webm", "audio/aac", "audio/flac", "audio/x-m4a");
    /** Longest encoded filename we put in a header; longer names are shortened, keeping their extension. */
    static final int MAX_ENCODED_LENGTH = 1024;

    private ContentDisposition() {
    }

    /**
     * @param filename the original filename (no control characters: checked by the core)
     * @param mimeType the detected type
     * @return {@code inline} for types that are safe to render, else {@code attachment}, with both an ASCII
     *     {@code filename} fallback and the exact {@code filename*}
     */
    static String header(String filename, String mimeType) {
        String name = shorten(filename);
        String type = mimeType != null && INLINE_TYPES.contains(mimeType) ? "inline" : "attachment";
        return type + "; filename=\"" + asciiFallback(name) + "\"; filename*=UTF-8''" + encode(name);
    }

    /**
     * @param filename a filename
     * @return the name cut (before its extension) until its encoded form fits in {@link #MAX_ENCODED_LENGTH}
     */
    static String shorten(String filename) {
        if (encode(filename).length() <= MAX_ENCODED_LENGTH) {
            return filename;
        }
        int dot = filename.lastIndexOf('.');
        String ext = dot > 0 && filename.length() - dot <= 16 ? filename.substring(dot) : "";
        String base = filename.substring(0, filename.length() - ext.length());
        int end = base.length();
        while (end > 1 && encode(base.substring(0, end) + ext).length() > MAX_ENCODED_LENGTH) {
            end--;
            if (Character.isLowSurrogate(base.charAt(end)) && end > 0) {
                end--; // never split a surrogate pair
            }
        }
        return base.substring(0, end) + ext;
    }

    /**
     * @param value any text
     * @return the text with printable ASCII kept except {@code "} and {@code \}, everything else {@code _}
     */
    static String asciiFallback(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        value.codePoints().forEach(c -> sb.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? (char) c : '_'));
        return sb.toString();
    }

    /**
     * @param value any text
     * @return its UTF-8 bytes, RFC 8187 attr-chars kept and every other byte percent-encoded
     */
    static String encode(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /**
     * @param encoded a value from {@link #encode(String)}
     * @return the original text, or {@code null} if the value is not a valid encoding
     */
    static String decode(String encoded) {
        if (encoded == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    return null;
                }
                int hi = Character.digit(encoded.charAt(i + 1), 16);
                int lo = Character.digit(encoded.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                return null;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
