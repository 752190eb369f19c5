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
 * of what the bytes show ({@code text/csv} for bytes that are plain text). Any other disagreement of the
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
        String byExtension = byName(filename);
        String detected = byExtension != null && (byExtension.equals(bytesOnly) || MimeTypes.isSpecializationOf(byExtension, bytesOnly))
                ? byExtension : bytesOnly;
        return decide(detected, bytesOnly, byExtension, declared);
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

    private MimeDetection decide(String detected, String bytesOnly, String byExtension, String declared) {
        String declaredNorm = claim(declared);
        String used = detected;
        if (declaredNorm != null && !declaredNorm.equals(detected) && MimeTypes.isSpecializationOf(declaredNorm, detected)) {
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
