package io.attachkit.processors.office;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.processors.internal.TempCopy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.poi.ooxml.POIXMLProperties;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.poifs.filesystem.FileMagic;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * Opens OOXML packages (docx, xlsx, pptx) read-only from a file, and turns what can go wrong into a
 * {@link ProcessingException} that says what it was: encrypted, a zip bomb, truncated or corrupt.
 *
 * <p>POI reads the zip through its {@code ZipSecureFile}, which refuses entries that inflate more than 100
 * times their compressed size (a zip bomb) before inflating them, and parses the XML parts with DOCTYPEs
 * refused, so external entities (XXE) are neither read nor fetched.
 */
final class OoxmlFiles {
    private static final Instant FILETIME_EPOCH_DAY = Instant.parse("1601-01-02T00:00:00Z");
    private OoxmlFiles() {
    }

    /** Reads an open OOXML package; {@link #read} reverts it. */
    @FunctionalInterface
    interface Reader {
        ProcessedContent read(OPCPackage pkg) throws Exception;
    }

    /**
     * Opens the input's temporary copy with {@link #open} and reads it; POI's exceptions become {@link #failure}s.
     *
     * @param input the file
     * @param suffix the temporary copy's suffix, e.g. {@code .docx}
     * @param kind what the file should be, for messages ("Word document")
     * @param reader extracts the content
     * @return what {@code reader} returned
     */
    static ProcessedContent read(ProcessingInput input, String suffix, String kind, Reader reader) {
        String name = input.filename();
        try (TempCopy copy = TempCopy.of(input, suffix)) {
            OPCPackage pkg = open(name, copy.path(), kind);
            try {
                return reader.read(pkg);
            } catch (ProcessingException e) {
                throw e;
            } catch (Exception | LinkageError e) {
                throw failure(name, kind, e);
            } finally {
                pkg.revert();
            }
        }
    }

    /**
     * @param name the attachment's filename, for messages
     * @param file the content
     * @param kind what the file should be, for messages ("Word document")
     * @return the open package; the caller closes it (with {@code revert()}, as it is read-only)
     */
    static OPCPackage open(String name, Path file, String kind) {
        FileMagic magic;
        try (InputStream in = FileMagic.prepareToCheckMagic(Files.newInputStream(file))) {
            magic = FileMagic.valueOf(in);
        } catch (IOException e) {
            throw new ProcessingException("Reading '" + name + "' failed: " + e.getMessage(), e);
        } catch (RuntimeException e) { // EmptyFileException (found by fuzzing)
            throw new ProcessingException("'" + name + "' is not a " + kind + ": " + e.getMessage(), e);
        }
        if (magic == FileMagic.OLE2) {
            if (isEncryptedPackage(file)) {
                throw new ProcessingException("'" + name + "' is an encrypted (password-protected) " + kind
                        + "; its content cannot be read without the password");
            }
            throw new ProcessingException("'" + name + "' is not a " + kind + " but a legacy (OLE2) Office file");
        }
        if (magic != FileMagic.OOXML) {
            throw new ProcessingException("'" + name + "' is not a " + kind + ": it is not a zip package (" + magic + ")");
        }
        try {
            return OPCPackage.open(file.toFile(), PackageAccess.READ);
        } catch (Exception | LinkageError e) {
            throw failure(name, kind, e);
        }
    }

    /** @return a {@link ProcessingException} for an exception POI threw while reading the file */
    static ProcessingException failure(String name, String kind, Throwable e) {
        if (e instanceof ProcessingException p) {
            return p;
        }
        if (e instanceof LinkageError) {
            // commons-compress loads an optional codec (zstd, xz) for an exotic zip method: not an office file (found by fuzzing)
            return new ProcessingException("'" + name + "' uses a zip compression method no " + kind + " uses and cannot be read: " + e, e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("Zip bomb") || m.contains("zip bomb")) {
                return new ProcessingException("'" + name + "' looks like a zip bomb (a part inflates far more than an "
                        + kind + " does) and was not read", e);
            }
            if (m.contains("more internal file entries than expected")) {
                return new ProcessingException("'" + name + "' holds more zip entries than an " + kind + " is read with ("
                        + org.apache.poi.openxml4j.util.ZipSecureFile.getMaxFileCount() + ", POI's ZipSecureFile limit) and was not read", e);
            }
            if (m.contains("DOCTYPE")) {
                return new ProcessingException("'" + name + "' holds XML with a DOCTYPE (entity declarations), which is refused: "
                        + "external entities are never read or fetched", e);
            }
        }
        return new ProcessingException("'" + name + "' is a truncated or corrupt " + kind + " that cannot be read: " + e, e);
    }

    private static boolean isEncryptedPackage(Path file) {
        try (POIFSFileSystem fs = new POIFSFileSystem(file.toFile(), true)) {
            return fs.getRoot().hasEntry("EncryptedPackage") || fs.getRoot().hasEntry("EncryptionInfo");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** @return title, author, subject, keywords, last modified by, created, modified and (when stated) pages */
    static Map<String, Object> info(POIXMLProperties properties) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (properties == null) {
            return m;
        }
        POIXMLProperties.CoreProperties core = properties.getCoreProperties();
        putText(m, "title", core.getTitle());
        putText(m, "author", core.getCreator());
        putText(m, "subject", core.getSubject());
        putText(m, "keywords", core.getKeywords());
        putText(m, "last_modified_by", core.getLastModifiedByUser());
        putDate(m, "created", core.getCreated());
        putDate(m, "modified", core.getModified());
        POIXMLProperties.ExtendedProperties extended = properties.getExtendedProperties();
        if (extended != null && extended.getUnderlyingProperties() != null) {
            var p = extended.getUnderlyingProperties();
            if (p.isSetPages()) {
                m.put("pages", p.getPages());
            }
            if (p.isSetApplication()) {
                putText(m, "application", p.getApplication());
            }
        }
        return m;
    }

    static void putText(Map<String, Object> m, String key, String value) {
        if (value != null && !value.isBlank()) {
            m.put(key, value.strip());
        }
    }

    static void putDate(Map<String, Object> m, String key, Date value) {
        // OLE2 writers store "not set" as FILETIME zero, 1601-01-01: that is no date
        if (value != null && value.toInstant().isAfter(FILETIME_EPOCH_DAY)) {
            m.put(key, DateTimeFormatter.ISO_INSTANT.format(value.toInstant()));
        }
    }
}
