package io.attachkit.serving;

/**
 * One byte range of a {@code Range: bytes=...} header, resolved against the file size (RFC 9110 section 14).
 *
 * <pre>{@code
 * ByteRange r = ByteRange.parse("bytes=-100", 1000);   // 900-999
 * }</pre>
 *
 * @param start first byte, inclusive
 * @param end last byte, inclusive
 */
public record ByteRange(long start, long end) {

    /** The header asked for a range the file does not have: answer 416. */
    public static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    /** @return the number of bytes in the range */
    public long length() {
        return end - start + 1;
    }

    /**
     * @param header the Range header, or {@code null}
     * @param size the file size
     * @return the single range, {@code null} to serve the whole file (no header, several ranges, or a
     *     header that is not a bytes range), or {@link #UNSATISFIABLE}
     */
    public static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        String spec = h.substring(6).trim();
        if (spec.contains(",")) {
            return null; // several ranges: serving the whole file is allowed (RFC 9110 14.2)
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        if (!digitsOnly(first) || !digitsOnly(last)) {
            return null; // RFC 9110: positions are 1*DIGIT; "--0", "+5" or other scripts' digits are not a range
        }
        try {
            if (first.isEmpty()) {
                if (last.isEmpty()) {
                    return null;
                }
                long suffix = Long.parseLong(last);
                if (suffix <= 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
            if (start < 0 || (!last.isEmpty() && Long.parseLong(last) < start)) {
                return null; // syntactically invalid: ignore the header
            }
            if (start >= size) {
                return UNSATISFIABLE;
            }
            return new ByteRange(start, end);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean digitsOnly(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
