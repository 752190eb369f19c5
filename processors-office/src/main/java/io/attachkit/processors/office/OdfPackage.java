package io.attachkit.processors.office;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.processors.internal.TempCopy;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.util.XMLHelper;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads OpenDocument packages (odt, ods, odp) from a temporary copy: the zip through POI's
 * {@link ZipSecureFile} (zip bombs refused), the XML with POI's hardened SAX parser (DOCTYPEs refused, so no entity
 * expansion and no XXE), encrypted packages refused with a message that says so.
 */
final class OdfPackage {
    private OdfPackage() {
    }

    /**
     * Streams the input's {@code content.xml} into {@code content}, then builds the result from {@code meta.xml}'s
     * info; an exception other than a {@link ProcessingException} becomes an {@link OoxmlFiles#failure}.
     *
     * @param input the file
     * @param suffix the temporary copy's suffix, e.g. {@code .odt}
     * @param kind what the file should be, for messages ("OpenDocument text")
     * @param content the SAX handler that collects the content
     * @param result the result, from {@code content}'s state and the info (title, author, created, modified)
     * @return what {@code result} returned
     */
    static ProcessedContent read(ProcessingInput input, String suffix, String kind, DefaultHandler content,
                                 Function<Map<String, Object>, ProcessedContent> result) {
        String name = input.filename();
        try (TempCopy copy = TempCopy.of(input, suffix); ZipSecureFile zip = new ZipSecureFile(copy.path().toFile())) {
            readContent(zip, name, kind, content);
            return result.apply(info(zip));
        } catch (ProcessingException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw OoxmlFiles.failure(name, kind, e);
        }
    }

    /** Streams {@code content.xml} into {@code handler}. */
    private static void readContent(ZipSecureFile zip, String name, String kind, DefaultHandler handler) throws Exception {
        ZipArchiveEntry content = zip.getEntry("content.xml");
        if (content == null) {
            throw new ProcessingException("'" + name + "' is not an " + kind + ": it has no content.xml");
        }
        if (OdtProcessor.isEncrypted(zip)) {
            throw new ProcessingException("'" + name + "' is an encrypted (password-protected) " + kind
                    + "; its content cannot be read without the password");
        }
        parse(zip, content, handler);
    }

    /** @return title, author, created, modified from {@code meta.xml} when present */
    private static Map<String, Object> info(ZipSecureFile zip) throws Exception {
        Map<String, Object> info = new LinkedHashMap<>();
        ZipArchiveEntry meta = zip.getEntry("meta.xml");
        if (meta != null) {
            parse(zip, meta, new OdtProcessor.Meta(info));
        }
        return info;
    }

    private static void parse(ZipSecureFile zip, ZipArchiveEntry entry, DefaultHandler handler) throws Exception {
        try (InputStream in = zip.getInputStream(entry)) {
            XMLReader parser = XMLHelper.newXMLReader();
            parser.setContentHandler(handler);
            parser.parse(new InputSource(in));
        }
    }
}
