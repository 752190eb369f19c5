package io.attachkit.internal.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.tika.detect.TextStatistics;
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
    /**
     * Test aid: with {@code -Dattachkit.mime.verify=true} every detection that skipped Tika's magic pass is
     * repeated with it, and a different answer is an {@link IllegalStateException} (the build's tests run so).
     */
    static final String VERIFY_PROPERTY = "attachkit.mime.verify";
    /** Detections after which the fast path is built. */
    static final int WARM_UP = 32;
    private final org.apache.tika.mime.MimeTypes tika = org.apache.tika.mime.MimeTypes.getDefaultMimeTypes();
    private final int headerLength = Math.max(8 * 1024, Math.min(tika.getMinLength(), 64 * 1024));
    private final boolean prefiltered;
    /** Tika's names for its two no-magic answers, as its registry normalises them. */
    private final String textPlain = noMagicName(MediaType.TEXT_PLAIN);
    private final String octetStream = noMagicName(MediaType.OCTET_STREAM);

    /** A detector that skips Tika's magic pass for headers no magic can match (same answers, see below). */
    public MimeDetector() {
        this(true);
    }

    private MimeDetector(boolean prefiltered) {
        this.prefiltered = prefiltered;
    }

    private String noMagicName(MediaType type) {
        try {
            return MimeTypes.normalize(tika.forName(type.toString()).getType().toString());
        } catch (org.apache.tika.mime.MimeTypeException e) {
            throw new IllegalStateException("Tika does not know " + type, e);
        }
    }

    /**
     * @return a detector that runs Tika's full magic pass on every header (the reference the fast path is
     *         compared with in tests)
     */
    public static MimeDetector tikaOnly() {
        return new MimeDetector(false);
    }

    /**
     * Built once per class loader, on a daemon thread, once detection has been used {@value #WARM_UP} times
     * (building it reads Tika's type definitions again, about as long as Tika's own start-up, which a JVM that
     * saves a handful of files should not pay). Until it is ready, detection runs Tika's full pass, so no save
     * waits for it and every answer is the same either way.
     */
    private static final class Prefilter {
        static final boolean VERIFY = Boolean.getBoolean(VERIFY_PROPERTY);
        private static final java.util.concurrent.atomic.AtomicInteger USES = new java.util.concurrent.atomic.AtomicInteger();
        private static final java.util.concurrent.CompletableFuture<MagicPrefilter> LOADING =
                new java.util.concurrent.CompletableFuture<>();
        private static final java.util.concurrent.atomic.AtomicBoolean STARTED = new java.util.concurrent.atomic.AtomicBoolean();

        private static void start() {
            if (STARTED.compareAndSet(false, true)) {
                Thread t = new Thread(() -> LOADING.complete(MagicPrefilter.load()), "attachkit-mime-prefilter");
                t.setDaemon(true);
                t.start();
            }
        }

        /** @return the prefilter, or {@code null} while it is not built yet or when it cannot be used */
        static MagicPrefilter ready() {
            MagicPrefilter p = LOADING.getNow(null);
            if (p == null && !STARTED.get() && USES.incrementAndGet() >= WARM_UP) {
                start();
            }
            return p;
        }

        /** Builds the prefilter now if needed and waits for it (tests and benchmarks of the fast path). */
        static MagicPrefilter await() {
            start();
            return LOADING.join();
        }
    }

    /**
     * Builds the fast path now if it is not yet (otherwise built in the background after a few detections) and waits for it, for benchmarks and tests
     * that must exercise it rather than the start-up fallback.
     *
     * @return whether the fast path is available (it is not when custom Tika types are configured)
     */
    public static boolean awaitFastPath() {
        return Prefilter.await() != null;
    }

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

    /**
     * The type Tika's magic detection gives for the header: when the prefilter shows that no magic pattern
     * can match, Tika's own answer is its no-magic fallback (text or binary by byte statistics), computed here
     * the way Tika computes it, without evaluating the 440 magics.
     */
    private String detectBytes(byte[] header) {
        MagicPrefilter prefilter = prefiltered ? Prefilter.ready() : null;
        if (prefilter == null || header.length == 0 || prefilter.anyMagicCanMatch(header)) {
            return detectBytesWithTika(header);
        }
        String fast = withoutMagic(header);
        if (Prefilter.VERIFY) {
            String reference = detectBytesWithTika(header);
            if (!reference.equals(fast)) {
                throw new IllegalStateException("MIME prefilter disagrees with Tika: " + fast + " instead of " + reference
                        + " for a header of " + header.length + " bytes");
            }
        }
        return fast;
    }

    /**
     * What {@code org.apache.tika.mime.MimeTypes} answers when no magic matched (its last step): its
     * {@code TextDetector}'s byte statistics over the first {@code getMinLength()} bytes, computed here on the
     * header itself (no stream, no buffer).
     */
    private String withoutMagic(byte[] header) {
        TextStatistics stats = new TextStatistics();
        stats.addData(header, 0, Math.min(header.length, tika.getMinLength()));
        return stats.isMostlyAscii() || stats.looksLikeUTF8() ? textPlain : octetStream;
    }

    private String detectBytesWithTika(byte[] header) {
        Metadata metadata = new Metadata();
        try (TikaInputStream tis = TikaInputStream.get(header)) {
            MediaType type = tika.detect(tis, metadata, new ParseContext());
            return MimeTypes.normalize(type.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("MIME detection failed", e);
        }
    }

    /**
     * The type Tika gives for the name alone. Tika's answer for an empty stream and a name starts from its root
     * type ({@code application/octet-stream}, what no bytes give) and takes the name's type when that is a
     * specialization of it; asking without a stream gives the name's type directly, so the same test is made here
     * (without the 64 KiB header array Tika allocates to read an empty stream).
     */
    String byName(String filename) {
        if (filename == null || filename.lastIndexOf('.') < 0) {
            return null;
        }
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, filename);
        try {
            MediaType type = tika.detect(null, metadata, new ParseContext());
            if (!tika.getMediaTypeRegistry().isSpecializationOf(type, MediaType.OCTET_STREAM)) {
                return null; // Tika would have kept the root type: octet-stream, no claim
            }
            String n = MimeTypes.normalize(type.toString());
            return OCTET_STREAM.equals(n) ? null : n;
        } catch (IOException e) {
            throw new UncheckedIOException("MIME detection by name failed", e);
        }
    }
}
