package io.attachkit.internal.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.ParseContext;

/**
 * Detects a file's MIME type from its leading bytes (Apache Tika's magic), with the filename as a hint.
 *
 * <p>Reads at most {@link #headerLength()} bytes, through {@code mark/reset}, so the caller's stream is
 * left where it was. Policy: the bytes win. A declared type is kept only when it is a more specific kind
 * of what the bytes show ({@code text/csv} for bytes that are plain text). Zips are looked into, within the
 * header: OOXML and OpenDocument files are told apart by their entries, OLE2 files (msg, doc, xls, ppt) by their
 * directory's stream names, and a zip seen whole to hold no office
 * document stays {@code application/zip} whatever its name says. Any other disagreement of the
 * declared type or the extension with the bytes is reported as a mismatch. Thread-safe.
 */
public final class MimeDetector {
    private static final String OCTET_STREAM = "application/octet-stream";
    private final org.apache.tika.mime.MimeTypes tika = org.apache.tika.mime.MimeTypes.getDefaultMimeTypes();
    private final int headerLength = Math.max(8 * 1024, Math.min(tika.getMinLength(), 64 * 1024));

    /** @return how many leading bytes detection may read */
    public int headerLength() {
        return headerLength;
    }

    /**
     * @param in a stream that supports mark/reset, positioned at the start of the content
     * @param filename the file's name, or {@code null}
     * @param declared the declared type, or {@code null}
     * @return the detection
     * @throws UncheckedIOException if reading the header fails
     */
    public MimeDetection detect(InputStream in, String filename, String declared) {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("detection needs a stream that supports mark/reset");
        }
        byte[] header;
        try {
            in.mark(headerLength + 1);
            header = in.readNBytes(headerLength);
            in.reset();
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the first bytes of '" + filename + "' failed", e);
        }
        return detect(header, filename, declared);
    }

    /**
     * @param header the content's first bytes (up to {@link #headerLength()})
     * @param filename the file's name, or {@code null}
     * @param declared the declared type, or {@code null}
     * @return the detection
     */
    public MimeDetection detect(byte[] header, String filename, String declared) {
        // One magic pass (the expensive part); the filename refines it the way Tika's own hint does:
        // the name's type is used when it is a more specific kind of what the bytes show.
        String bytesOnly = detectBytes(header);
        // OOXML and ODF are zips: their entries tell them apart, and a zip whose entries were all seen to be
        // plain stays a zip whatever its name or declared type says (a renamed .zip is no .docx)
        boolean definite = false;
        String byExtension = byName(filename);
        if (isZip(header)) {
            String container = ZipContainerSniffer.sniff(header);
            // a plain zip is definite only against office claims: a .jar or .epub name still refines it as before
            if (container != null && (!ZipContainerSniffer.PLAIN_ZIP.equals(container)
                    || isOfficeContainer(byExtension) || isOfficeContainer(claim(declared)))) {
                bytesOnly = container;
                definite = true;
            }
        }
        if (!definite && isEncryptedOoxml(bytesOnly, header)) {
            // a password-protected docx/xlsx/pptx is an OLE2 file whose inner type only the password reveals: the
            // name (or declared type) says which, so it is stored and its processor reports that it is encrypted
            String claimed = isOoxml(byExtension) ? byExtension : isOoxml(claim(declared)) ? claim(declared) : null;
            if (claimed != null) {
                return decide(claimed, bytesOnly, byExtension, declared, true);
            }
        }
        if (!definite && OLE2.equals(bytesOnly)) {
            // Outlook, Word, Excel and PowerPoint files are all OLE2: their directory's stream names tell which
            String ole2 = Ole2Sniffer.sniff(header);
            if (ole2 != null) {
                bytesOnly = ole2;
                definite = true;
            }
        }
                String detected = !definite && byExtension != null
                && (byExtension.equals(bytesOnly) || MimeTypes.isSpecializationOf(byExtension, bytesOnly))
                ? byExtension : bytesOnly;
        return decide(detected, bytesOnly, byExtension, declared, definite);
    }

    private static final String OLE2 = "application/x-tika-msoffice";
    private static final byte[] ENCRYPTED_PACKAGE = "EncryptedPackage".getBytes(java.nio.charset.StandardCharsets.UTF_16LE);

    /** An OLE2 file whose directory (when it lies in the header) names an {@code EncryptedPackage} stream. */
    private static boolean isEncryptedOoxml(String bytesOnly, byte[] header) {
        if (!OLE2.equals(bytesOnly)) {
            return false;
        }
        outer:
        for (int i = 0; i + ENCRYPTED_PACKAGE.length <= header.length; i++) {
            for (int j = 0; j < ENCRYPTED_PACKAGE.length; j++) {
                if (header[i + j] != ENCRYPTED_PACKAGE[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean isOfficeContainer(String type) {
        return type != null && (isOoxml(type) || type.startsWith("application/vnd.oasis.opendocument.")
                || type.startsWith("application/vnd.ms-word.") || type.startsWith("application/vnd.ms-excel.")
                || type.startsWith("application/vnd.ms-powerpoint."));
    }

    private static boolean isOoxml(String type) {
        return type != null && type.startsWith("application/vnd.openxmlformats-officedocument.");
    }

    private static boolean isZip(byte[] header) {
        return header.length >= 4 && header[0] == 'P' && header[1] == 'K' && header[2] == 3 && header[3] == 4;
    }

    /**
     * Explains, without reading any bytes, how a declared type and a filename compare with the type a store
     * settled on (for example to record a mismatch after {@code FileStore.save}).
     *
     * @param filename the file's name, or {@code null}
     * @param declared the declared type, or {@code null}
     * @param used the type the store detected and kept
     * @return the comparison; {@link MimeDetection#mimeType()} is {@code used}
     */
    public MimeDetection explain(String filename, String declared, String used) {
        String declaredNorm = claim(declared);
        String byExtension = byName(filename);
        return new MimeDetection(used, declaredNorm, byExtension, used, disagrees(declaredNorm, byExtension, used), used);
    }

    private MimeDetection decide(String detected, String bytesOnly, String byExtension, String declared, boolean definite) {
        String declaredNorm = claim(declared);
        String used = detected;
        if (!definite && declaredNorm != null && !declaredNorm.equals(detected) && MimeTypes.isSpecializationOf(declaredNorm, detected)) {
            used = declaredNorm;
        }
        return new MimeDetection(used, declaredNorm, byExtension, detected, disagrees(declaredNorm, byExtension, used), bytesOnly);
    }

    /** A declared type, normalised; "application/octet-stream" or blank means "I don't know", which is no claim. */
    private static String claim(String declared) {
        String n = MimeTypes.normalize(declared);
        return n == null || n.isEmpty() || OCTET_STREAM.equals(n) ? null : n;
    }

    /** Whether the declared type or the extension's type (either may be null) disagrees with the type used. */
    private static boolean disagrees(String declared, String byExtension, String used) {
        return (declared != null && !agrees(declared, used)) || (byExtension != null && !agrees(byExtension, used));
    }

    private static boolean agrees(String claim, String used) {
        return claim.equals(used) || MimeTypes.isSpecializationOf(used, claim) || MimeTypes.isSpecializationOf(claim, used);
    }

    private String detectBytes(byte[] header) {
        Metadata metadata = new Metadata();
        try (TikaInputStream tis = TikaInputStream.get(header)) {
            MediaType type = tika.detect(tis, metadata, new ParseContext());
            return MimeTypes.normalize(type.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("MIME detection failed", e);
        }
    }

    private String byName(String filename) {
        if (filename == null || filename.lastIndexOf('.') < 0) {
            return null;
        }
        // no bytes: Tika decides by the name's glob alone
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, filename);
        try (TikaInputStream empty = TikaInputStream.get(new byte[0])) {
            String n = MimeTypes.normalize(tika.detect(empty, metadata, new ParseContext()).toString());
            return OCTET_STREAM.equals(n) ? null : n;
        } catch (IOException e) {
            throw new UncheckedIOException("MIME detection by name failed", e);
        }
    }
}
