package io.attachkit.internal;

import io.attachkit.InvalidContentException;
import io.attachkit.UnsafePathException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The one place that decides what file ids, storage paths and filenames may look like, and how they map
 * onto each other. Every backend uses the same sharded layout, Tyler's: a file with id {@code abcdef...}
 * saved as {@code report.PDF} lives at {@code ab/cdef....pdf}.
 *
 * <p>Anything that does not match the strict grammar here is refused with {@link UnsafePathException},
 * so no id or path from a client can name a location outside a store.
 */
public final class StoragePaths {
    // The grammar, checked by hand-written scans (every /files request checks a path and an id several times; the
    // equivalent regular expressions cost a fifth of a served request's CPU). StoragePathsTest holds the regular
    // expressions and checks the scans against them.
    //   id:        [A-Za-z0-9][A-Za-z0-9_-]{2,127}      letters, digits, dash, underscore; 3 to 128 (Tyler's are UUIDs)
    //   path:      ([A-Za-z0-9]{2})/([A-Za-z0-9_-]{1,126})((?:\.[a-z0-9]{1,10}){0,2})    the id's tail plus extensions
    //   extension: [a-z0-9]{1,10}
    //   sha256:    [0-9a-f]{64}
    private static final int MAX_ID_LENGTH = 128;
    private static final int MAX_EXTENSION_LENGTH = 10;
    /** Longest filename accepted, in characters; longer names are refused rather than cut. */
    public static final int MAX_FILENAME_LENGTH = 1024;

    /**
     * The id suffix reserved for derived records kept as files ({@code <sha256>-derived}): random ids (UUIDs)
     * never end with it, {@code list()} hides such ids and no file operation reaches them. The digest comes first
     * so that records spread over the shards as files do.
     */
    public static final String DERIVED_RECORD_SUFFIX = "-derived";

    private StoragePaths() {
    }

    /**
     * @param sha256 a digest from a caller
     * @return the digest
     * @throws InvalidContentException if it is not 64 lower-case hex digits
     */
    public static String requireSha256(String sha256) {
        if (!isSha256(sha256)) {
            throw new InvalidContentException("Invalid SHA-256 " + quote(sha256) + ": expected 64 lower-case hex digits");
        }
        return sha256;
    }

    /**
     * @param fileId a file id (valid or not)
     * @return whether the id names a derived record rather than a user's file
     */
    public static boolean isDerivedRecordId(String fileId) {
        return fileId != null && fileId.length() == 64 + DERIVED_RECORD_SUFFIX.length() && fileId.endsWith(DERIVED_RECORD_SUFFIX)
                && isSha256(fileId.substring(0, 64));
    }

    /**
     * @param sha256 a valid digest
     * @return the reserved file id under which a backend keeps that content's derived record
     */
    public static String derivedRecordId(String sha256) {
        return requireSha256(sha256) + DERIVED_RECORD_SUFFIX;
    }

    /**
     * @param fileId an id from a caller
     * @return the id
     * @throws UnsafePathException if it is not a valid id
     */
    public static String requireFileId(String fileId) {
        if (!isFileId(fileId)) {
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
        int tailEnd = storagePath == null ? -1 : tailEndOf(storagePath);
        if (tailEnd < 0) {
            throw new UnsafePathException("Invalid storage path " + quote(storagePath)
                    + ": expected 'xx/rest-of-id.ext' with no '..', '/', '\\', '%' or control characters");
        }
        return requireFileId(storagePath.substring(0, 2).concat(storagePath.substring(3, tailEnd)));
    }

    /** @return where the id's tail ends in a valid storage path, or -1 if the path is not valid */
    private static int tailEndOf(String path) {
        int n = path.length();
        if (n < 4 || !isAlnum(path.charAt(0)) || !isAlnum(path.charAt(1)) || path.charAt(2) != '/') {
            return -1;
        }
        int i = 3;
        while (i < n && isIdChar(path.charAt(i))) {
            i++;
        }
        int tailEnd = i;
        if (tailEnd == 3 || tailEnd - 3 > MAX_ID_LENGTH - 2) {
            return -1;
        }
        for (int extensions = 0; i < n; extensions++) {
            if (extensions == 2 || path.charAt(i) != '.') {
                return -1;
            }
            int start = ++i;
            while (i < n && isExtensionChar(path.charAt(i))) {
                i++;
            }
            if (i == start || i - start > MAX_EXTENSION_LENGTH) {
                return -1;
            }
        }
        return tailEnd;
    }

    private static boolean isFileId(String id) {
        if (id == null || id.length() < 3 || id.length() > MAX_ID_LENGTH || !isAlnum(id.charAt(0))) {
            return false;
        }
        for (int i = 1; i < id.length(); i++) {
            if (!isIdChar(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSha256(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isExtension(String s) {
        if (s.isEmpty() || s.length() > MAX_EXTENSION_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isExtensionChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isIdChar(char c) {
        return isAlnum(c) || c == '_' || c == '-';
    }

    private static boolean isExtensionChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
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
        if (!isExtension(last)) {
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
