package io.attachkit.internal.mime;

import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Tells OOXML (docx, xlsx, pptx and their macro-enabled kin) and OpenDocument files apart from plain zips,
 * from the first bytes of the file alone.
 *
 * <p>Walks the zip's local file headers inside the header it is given and decides by the first of: an ODF
 * {@code mimetype} entry (its stored content is the type), the main part's content type in
 * {@code [Content_Types].xml}, or a part name only one format has ({@code word/document.xml}). Bounded
 * whatever the zip holds: it never reads past the header, looks at most {@value #MAX_ENTRIES} entries, and
 * inflates at most {@value #MAX_INFLATED} bytes in all, so a zip bomb or a zip with 100,000 entries costs no
 * more than a small one. Thread-safe (stateless).
 */
final class ZipContainerSniffer {
    /** The verdict for a zip whose every entry was seen and none names an office format. */
    static final String PLAIN_ZIP = "application/zip";

    static final int MAX_ENTRIES = 2_000;
    static final int MAX_INFLATED = 256 * 1024;
    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_OF_CENTRAL = 0x06054b50;
    private static final String CONTENT_TYPES = "[Content_Types].xml";

    /** Main-part content types (in {@code [Content_Types].xml}) and the file type each one means. */
    private static final String[][] MAIN_PARTS = {
            {"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
            {"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.template"},
            {"application/vnd.ms-word.document.macroEnabled.main+xml", "application/vnd.ms-word.document.macroenabled.12"},
            {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
            {"application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.template"},
            {"application/vnd.ms-excel.sheet.macroEnabled.main+xml", "application/vnd.ms-excel.sheet.macroenabled.12"},
            {"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
                    "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
            {"application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml",
                    "application/vnd.openxmlformats-officedocument.presentationml.slideshow"},
            {"application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
                    "application/vnd.ms-powerpoint.presentation.macroenabled.12"},
    };

    /** Part names that only one (macro-free) format has, for zips whose content types come late. */
    private static final String[][] PART_NAMES = {
            {"word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
            {"xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
            {"ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    };

    private ZipContainerSniffer() {
    }

    /**
     * @param header the file's first bytes
     * @return the office type the zip holds, {@link #PLAIN_ZIP} when the whole zip was seen and holds none,
     *         or {@code null} when the header does not tell (not a zip, or the telling entries come later)
     */
    static String sniff(byte[] header) {
        Budget budget = new Budget();
        int pos = 0;
        for (int entries = 0; entries < MAX_ENTRIES; entries++) {
            if (pos + 30 > header.length) {
                return null;
            }
            int signature = int32(header, pos);
            if (signature == CENTRAL_HEADER || signature == END_OF_CENTRAL) {
                // every local entry was seen: none was an office part
                return entries > 0 ? PLAIN_ZIP : null;
            }
            if (signature != LOCAL_HEADER) {
                return null;
            }
            int flags = int16(header, pos + 6);
            int method = int16(header, pos + 8);
            long compressed = int32(header, pos + 18) & 0xffffffffL;
            int nameLength = int16(header, pos + 26);
            int extraLength = int16(header, pos + 28);
            int dataStart = pos + 30 + nameLength + extraLength;
            if (dataStart > header.length) {
                return null;
            }
            String name = new String(header, pos + 30, nameLength, StandardCharsets.UTF_8);
            boolean sizeLater = (flags & 0x08) != 0; // sizes in a data descriptor after the data
            if ("mimetype".equals(name) && method == 0 && !sizeLater) {
                return odfType(header, dataStart, compressed);
            }
            for (String[] part : PART_NAMES) {
                if (part[0].equals(name)) {
                    return part[1];
                }
            }
            int dataEnd;
            if (method == 8) {
                Inflated inflated = inflate(header, dataStart, sizeLater ? header.length - dataStart : (int) Math.min(compressed, header.length - dataStart), budget);
                if (CONTENT_TYPES.equals(name)) {
                    String type = mainPartType(inflated.text);
                    if (type != null) {
                        return type;
                    }
                }
                if (!inflated.finished) {
                    return null;
                }
                dataEnd = dataStart + inflated.consumed;
            } else if (method == 0 && !sizeLater) {
                if (CONTENT_TYPES.equals(name) && dataStart + compressed <= header.length) {
                    String type = mainPartType(new String(header, dataStart, (int) compressed, StandardCharsets.UTF_8));
                    if (type != null) {
                        return type;
                    }
                }
                if (compressed > header.length) {
                    return null;
                }
                dataEnd = dataStart + (int) compressed;
            } else {
                return null; // a stored entry of unknown length, or another compression: cannot walk on
            }
            pos = sizeLater ? skipDataDescriptor(header, dataEnd) : dataEnd;
            if (pos < 0) {
                return null;
            }
        }
        return null;
    }

    private static String odfType(byte[] header, int start, long length) {
        if (length <= 0 || length > 200 || start + length > header.length) {
            return null;
        }
        String type = new String(header, start, (int) length, StandardCharsets.US_ASCII).trim();
        return type.startsWith("application/vnd.oasis.opendocument.") && type.chars().allMatch(c -> c > 32 && c < 127)
                ? type : null;
    }

    private static String mainPartType(String contentTypes) {
        if (contentTypes == null) {
            return null;
        }
        for (String[] main : MAIN_PARTS) {
            if (contentTypes.contains(main[0])) {
                return main[1];
            }
        }
        return null;
    }

    /** A data descriptor: an optional signature, then CRC and two sizes (4 bytes each, or 8 for Zip64). */
    private static int skipDataDescriptor(byte[] header, int pos) {
        if (pos + 4 <= header.length && int32(header, pos) == 0x08074b50) {
            pos += 4;
        }
        pos += 12;
        return pos <= header.length ? pos : -1;
    }

    private static Inflated inflate(byte[] header, int start, int length, Budget budget) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(header, start, Math.max(0, length));
            byte[] out = new byte[8192];
            StringBuilder text = new StringBuilder();
            while (!inflater.finished() && budget.remaining > 0) {
                int n = inflater.inflate(out, 0, Math.min(out.length, budget.remaining));
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                budget.remaining -= n;
                text.append(new String(out, 0, n, StandardCharsets.UTF_8));
            }
            return new Inflated(text.toString(), inflater.finished(), (int) inflater.getBytesRead());
        } catch (DataFormatException e) {
            return new Inflated(null, false, 0);
        } finally {
            inflater.end();
        }
    }

    private static int int16(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    private static int int32(byte[] b, int i) {
        return int16(b, i) | int16(b, i + 2) << 16;
    }

    private static final class Budget {
        int remaining = MAX_INFLATED;
    }

    private record Inflated(String text, boolean finished, int consumed) {
    }
}
