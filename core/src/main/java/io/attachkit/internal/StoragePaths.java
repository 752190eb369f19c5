package io.attachkit.internal;

import io.attachkit.InvalidContentException;
import io.attachkit.UnsafePathException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one place that decides what file ids, storage paths and filenames may look like, and how they map
 * onto each other. Every backend uses the same sharded layout, Tyler's: a file with id {@code abcdef...}
 * saved as {@code report.PDF} lives at {@code ab/cdef....pdf}.
 *
 * <p>Anything that does not match the strict grammar here is refused with {@link UnsafePathException},
 * so no id or path from a client can name a location outside a store.
 */
public final class StoragePaths {
    /** Ids: letters, digits, dash, underscore; 3 to 128 characters (Tyler's are UUIDs). */
    private static final Pattern FILE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{2,127}");
    /** A stored file name: the id's tail plus an optional extension of lower-case letters and digits. */
    private static final Pattern PATH = Pattern.compile("([A-Za-z0-9]{2})/([A-Za-z0-9_-]{1,126})((?:\\.[a-z0-9]{1,10}){0,2})");
    private static final Pattern EXTENSION_PART = Pattern.compile("[a-z0-9]{1,10}");
    /** Longest filename accepted, in characters; longer names are refused rather than cut. */
    public static final int MAX_FILENAME_LENGTH = 1024;

    /** A SHA-256 as the library writes it: 64 lower-case hex digits. */
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /**
     * The id prefix reserved for derived records kept as files ({@code derived-<sha256>}): random ids (UUIDs)
     * never start with it, {@code list()} hides such ids and no file operation reaches them.
     */
    public static final String DERIVED_RECORD_PREFIX = "derived-";

    private StoragePaths() {
    }

    /**
     * @param sha256 a digest from a caller
     * @return the digest
     * @throws InvalidContentException if it is not 64 lower-case hex digits
     */
    public static String requireSha256(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new InvalidContentException("Invalid SHA-256 " + quote(sha256) + ": expected 64 lower-case hex digits");
        }
        return sha256;
    }

    /**
     * @param fileId a file id (valid or not)
     * @return whether the id names a derived record rather than a user's file
     */
    public static boolean isDerivedRecordId(String fileId) {
        return fileId != null && fileId.startsWith(DERIVED_RECORD_PREFIX);
    }

    /**
     * @param sha256 a valid digest
     * @return the reserved file id under which a backend keeps that content's derived record
     */
    public static String derivedRecordId(String sha256) {
        return DERIVED_RECORD_PREFIX + requireSha256(sha256);
    }

    /**
     * @param fileId an id from a caller
     * @return the id
     * @throws UnsafePathException if it is not a valid id
     */
    public static String requireFileId(String fileId) {
        if (fileId == null || !FILE_ID.matcher(fileId).matches()) {
            throw new UnsafePathException("Invalid file id " + quote(fileId)
                    + ": ids are 3 to 128 letters, digits, '-' or '_'");
        }
        return fileId;
    }

    /**
     * @param fileId a valid id
     * @param extension an extension from {@link #extensionOf(String)}, possibly empty
     * @return the sharded storage path
     */
    public static String layout(String fileId, String extension) {
        requireFileId(fileId);
        return fileId.substring(0, 2) + "/" + fileId.substring(2) + extension;
    }

    /**
     * Checks a storage path from a caller and returns the file id it names.
     *
     * @param storagePath a path such as {@code ab/cdef.pdf}
     * @return the file id ({@code abcdef})
     * @throws UnsafePathException if the path is not one this library could have written
     */
    public static String fileIdOf(String storagePath) {
        var m = storagePath == null ? null : PATH.matcher(storagePath);
        if (m == null || !m.matches()) {
            throw new UnsafePathException("Invalid storage path " + quote(storagePath)
                    + ": expected 'xx/rest-of-id.ext' with no '..', '/', '\\', '%' or control characters");
        }
        return requireFileId(m.group(1) + m.group(2));
    }

    /**
     * Checks a storage path hint against the id it comes with.
     *
     * @param fileId a valid id
     * @param storagePath the hint, or {@code null}
     * @return the hint if it is safe and names this id; {@code null} if there is none or it names another id
     * @throws UnsafePathException if the hint is unsafe
     */
    public static String checkHint(String fileId, String storagePath) {
        if (storagePath == null) {
            return null;
        }
        return fileIdOf(storagePath).equals(fileId) ? storagePath : null;
    }

    /**
     * The extension a stored file keeps: the filename's last suffix (plus {@code .tar} before it, as in
     * {@code .tar.gz}), lower case, letters and digits only. Anything else yields no extension.
     *
     * @param filename the original filename
     * @return the extension with its leading dot, or the empty string
     */
    public static String extensionOf(String filename) {
        if (filename == null) {
            return "";
        }
        String base = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1)
                .toLowerCase(Locale.ROOT);
        int dot = base.lastIndexOf('.');
        if (dot <= 0 || dot == base.length() - 1) {
            return "";
        }
        String last = base.substring(dot + 1);
        if (!EXTENSION_PART.matcher(last).matches()) {
            return "";
        }
        if (base.substring(0, dot).endsWith(".tar") && dot > 4) {
            return ".tar." + last;
        }
        return "." + last;
    }

    /**
     * Checks a filename from a caller. Filenames are display names only (they never become paths), so
     * most characters are fine; blank names, NUL and other control characters, and absurd lengths are not.
     *
     * @param filename the name
     * @return the name
     * @throws InvalidContentException if the name is unusable
     */
    public static String requireFilename(String filename) {
        if (filename == null || filename.isBlank()) {
            throw new InvalidContentException("Filename is required and must not be blank, was " + quote(filename));
        }
        if (filename.length() > MAX_FILENAME_LENGTH) {
            throw new InvalidContentException("Filename is " + filename.length() + " characters long; at most "
                    + MAX_FILENAME_LENGTH + " are accepted");
        }
        for (int i = 0; i < filename.length(); i++) {
            char c = filename.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidContentException("Filename " + quote(filename) + " contains control character U+"
                        + String.format("%04X", (int) c) + " at index " + i);
            }
        }
        return filename;
    }

    /**
     * @param storagePath a storage path
     * @return {@code "/files/" + storagePath} with one slash and each segment percent-encoded
     */
    public static String url(String storagePath) {
        StringBuilder sb = new StringBuilder("/files");
        for (String segment : storagePath.split("/")) {
            if (!segment.isEmpty()) {
                sb.append('/').append(encodeSegment(segment));
            }
        }
        return sb.toString();
    }

    /**
     * @param segment one path segment
     * @return the segment with every byte outside RFC 3986's unreserved set percent-encoded (UTF-8)
     */
    public static String encodeSegment(String segment) {
        StringBuilder sb = new StringBuilder(segment.length());
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /**
     * @param value a value from a caller
     * @return the value quoted for an error message, control characters escaped and cut at 80 characters
     */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("'");
        int limit = Math.min(value.length(), 80);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (value.length() > limit) {
            sb.append("...(").append(value.length()).append(" chars)");
        }
        return sb.append('\'').toString();
    }
}
