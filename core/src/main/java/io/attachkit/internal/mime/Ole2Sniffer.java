package io.attachkit.internal.mime;

import java.nio.charset.StandardCharsets;

/**
 * Tells Outlook messages, Word, Excel and PowerPoint 97-2003 files apart, all OLE2 (CFB) containers that magic
 * bytes alone call {@code application/x-tika-msoffice}, by the names of their streams in the container's
 * directory, when that directory lies in the header read for detection (it does for small files; otherwise the
 * filename decides, as before). Names are matched as whole directory names (UTF-16LE, NUL-terminated).
 */
final class Ole2Sniffer {
    private static final String[][] STREAMS = {
            // an Outlook message's properties stream and its __substg1.0_XXXXYYYY value streams come first:
            // a message may attach a Word or Excel file whose own names sit inside it
            {"__properties_version1.0", "application/vnd.ms-outlook"},
            {"__nameid_version1.0", "application/vnd.ms-outlook"},
            {"WordDocument", "application/msword"},
            {"Workbook", "application/vnd.ms-excel"},
            {"PowerPoint Document", "application/vnd.ms-powerpoint"},
    };
    private static final byte[][] NAMES = new byte[STREAMS.length][];

    static {
        for (int i = 0; i < STREAMS.length; i++) {
            NAMES[i] = (STREAMS[i][0] + "\0").getBytes(StandardCharsets.UTF_16LE);
        }
    }

    private Ole2Sniffer() {
    }

    /** @return the type the directory names show, or {@code null} when none was seen in the header */
    static String sniff(byte[] header) {
        for (int i = 0; i < STREAMS.length; i++) {
            if (containsAtEntryStart(header, NAMES[i])) {
                return STREAMS[i][1];
            }
        }
        return null;
    }

    /** Directory entries are 128 bytes, aligned in 512-byte (or 4096-byte) sectors: a name starts at a multiple of 128. */
    private static boolean containsAtEntryStart(byte[] header, byte[] name) {
        outer:
        for (int at = 512; at + name.length <= header.length; at += 128) {
            for (int j = 0; j < name.length; j++) {
                if (header[at + j] != name[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
