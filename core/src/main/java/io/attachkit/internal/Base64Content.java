package io.attachkit.internal;

import io.attachkit.InvalidContentException;
import java.util.Base64;
import java.util.Locale;

/**
 * Strict decoding of base64 strings and {@code data:} URIs. Nothing is guessed: a character outside the
 * alphabet, misplaced padding or an impossible length is refused with the offset of the first bad
 * character. Line breaks and spaces (as in MIME-wrapped base64) are allowed; both the standard and the
 * URL-safe alphabet are accepted, but not mixed.
 */
public final class Base64Content {

    /**
     * The result of decoding: the bytes and, for a data URI, its MIME type.
     *
     * @param bytes the decoded bytes
     * @param mimeType the data URI's type, or {@code null}
     */
    public record Decoded(byte[] bytes, String mimeType) {
    }

    private Base64Content() {
    }

    /**
     * @param filename the attachment's name, for messages
     * @param value plain base64 or a {@code data:<mime>;base64,<data>} URI
     * @return the decoded bytes and the data URI's type
     * @throws InvalidContentException if the value is not valid base64 or a valid base64 data URI
     */
    public static Decoded decode(String filename, String value) {
        if (value == null) {
            throw new InvalidContentException("Attachment '" + filename + "': base64 content is missing (null)");
        }
        if (value.regionMatches(true, 0, "data:", 0, 5)) {
            int comma = value.indexOf(',');
            if (comma < 0) {
                throw new InvalidContentException("Attachment '" + filename + "': data URI has no ',' before its data");
            }
            String header = value.substring(5, comma);
            String[] parts = header.split(";");
            boolean base64 = false;
            for (int i = 1; i < parts.length; i++) {
                if (parts[i].trim().equalsIgnoreCase("base64")) {
                    base64 = true;
                }
            }
            if (!base64) {
                throw new InvalidContentException("Attachment '" + filename + "': only base64 data URIs are supported"
                        + " (expected 'data:<mime>;base64,<data>')");
            }
            String mime = parts[0].trim().toLowerCase(Locale.ROOT);
            if (!mime.isEmpty() && !mime.matches("[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")) {
                throw new InvalidContentException("Attachment '" + filename + "': data URI has an invalid MIME type "
                        + StoragePaths.quote(parts[0]));
            }
            return new Decoded(decodeBase64(filename, value, comma + 1), mime.isEmpty() ? null : mime);
        }
        return new Decoded(decodeBase64(filename, value, 0), null);
    }

    private static byte[] decodeBase64(String filename, String value, int start) {
        StringBuilder clean = new StringBuilder(Math.max(0, value.length() - start));
        int padding = 0;
        int firstPadding = -1;
        boolean standard = false;
        boolean urlSafe = false;
        for (int i = start; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
                continue;
            }
            if (c == '=') {
                if (firstPadding < 0) {
                    firstPadding = i;
                }
                padding++;
                if (padding > 2) {
                    throw bad(filename, i - start, "too much '=' padding");
                }
                clean.append(c);
                continue;
            }
            if (padding > 0) {
                throw bad(filename, i - start, "data after '=' padding");
            }
            if (c == '+' || c == '/') {
                standard = true;
            } else if (c == '-' || c == '_') {
                urlSafe = true;
            } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                throw bad(filename, i - start, "character " + describe(c) + " is not in the base64 alphabet");
            }
            if (standard && urlSafe) {
                throw bad(filename, i - start, "the standard ('+', '/') and URL-safe ('-', '_') alphabets are mixed");
            }
            clean.append(c);
        }
        int length = clean.length();
        if (padding > 0 && length % 4 != 0) {
            throw bad(filename, firstPadding - start, "padded base64 must be a multiple of 4 characters long, is " + length);
        }
        if (padding == 0 && length % 4 == 1) {
            throw bad(filename, value.length() - start, "base64 cannot end with a single leftover character (length " + length + ")");
        }
        try {
            return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(clean.toString());
        } catch (IllegalArgumentException e) {
            throw new InvalidContentException("Attachment '" + filename + "': invalid base64: " + e.getMessage(), e);
        }
    }

    private static InvalidContentException bad(String filename, int offset, String why) {
        return new InvalidContentException("Attachment '" + filename + "': invalid base64 at offset " + offset + ": " + why);
    }

    private static String describe(char c) {
        String hex = String.format("U+%04X", (int) c);
        return c < 0x20 || c == 0x7f ? hex : "'" + c + "' (" + hex + ")";
    }
}
