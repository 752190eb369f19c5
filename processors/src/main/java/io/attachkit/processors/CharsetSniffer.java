package io.attachkit.processors;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;

/**
 * Detects the charset of a text file: a byte order mark (UTF-8, UTF-16 BE/LE), UTF-16 without a BOM
 * recognised by its zero bytes, strict UTF-8, and Windows-1252 (a superset of Latin-1) when the bytes are
 * not valid UTF-8. Works on the first bytes and a bounded decode, never the whole file in memory.
 */
final class CharsetSniffer {
    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final int SNIFF = 4096;

    /** The detected charset and how many BOM bytes to skip. */
    record Detected(Charset charset, int bomLength) {
    }

    private CharsetSniffer() {
    }

    /**
     * @param opener opens the content anew
     * @param maxChars how many characters will be read (the UTF-8 check covers them)
     */
    static Detected detect(io.attachkit.ProcessingInput.Opener opener, long maxChars) throws IOException {
        byte[] head;
        try (InputStream in = opener.open()) {
            head = in.readNBytes(SNIFF);
        }
        if (head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) {
            return new Detected(StandardCharsets.UTF_8, 3);
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF) {
            return new Detected(StandardCharsets.UTF_16BE, 2);
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE) {
            return new Detected(StandardCharsets.UTF_16LE, 2);
        }
        Charset utf16 = utf16WithoutBom(head);
        if (utf16 != null) {
            return new Detected(utf16, 0);
        }
        return new Detected(isUtf8(opener, maxChars) ? StandardCharsets.UTF_8 : WINDOWS_1252, 0);
    }

    /** Opens a reader in the detected charset, positioned after the BOM; malformed input is replaced. */
    static Reader reader(io.attachkit.ProcessingInput.Opener opener, Detected d) throws IOException {
        InputStream in = new BufferedInputStream(opener.open(), 64 * 1024);
        try {
            in.skipNBytes(d.bomLength());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        CharsetDecoder decoder = d.charset().newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new InputStreamReader(in, decoder);
    }

    private static Charset utf16WithoutBom(byte[] head) {
        int pairs = head.length / 2;
        if (pairs < 4) {
            return null;
        }
        int evenZero = 0;
        int oddZero = 0;
        for (int i = 0; i + 1 < head.length; i += 2) {
            if (head[i] == 0) {
                evenZero++;
            }
            if (head[i + 1] == 0) {
                oddZero++;
            }
        }
        if (oddZero > pairs * 0.6 && evenZero < pairs * 0.1) {
            return StandardCharsets.UTF_16LE;
        }
        if (evenZero > pairs * 0.6 && oddZero < pairs * 0.1) {
            return StandardCharsets.UTF_16BE;
        }
        return null;
    }

    private static boolean isUtf8(io.attachkit.ProcessingInput.Opener opener, long maxChars) throws IOException {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        char[] buf = new char[8192];
        long read = 0;
        try (Reader r = new InputStreamReader(new BufferedInputStream(opener.open(), 64 * 1024), strict)) {
            int n;
            while (read <= maxChars && (n = r.read(buf)) > 0) {
                read += n;
            }
            return true;
        } catch (MalformedInputException e) {
            return false;
        }
    }
}
