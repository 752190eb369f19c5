package io.attachkit.processors.office;

import io.attachkit.ProcessingException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.util.XMLHelper;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Streams the parts of an OpenDocument package (ods, odp) the way {@link OdtProcessor} does: the zip through POI's
 * {@link ZipSecureFile} (zip bombs refused), the XML with POI's hardened SAX parser (DOCTYPEs refused, so no entity
 * expansion and no XXE), encrypted packages refused with a message that says so.
 */
final class OdfPackage {
    private OdfPackage() {
    }

    /** Streams {@code content.xml} into {@code handler}. */
    static void readContent(ZipSecureFile zip, String name, String kind, DefaultHandler handler) throws Exception {
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
    static Map<String, Object> info(ZipSecureFile zip) throws Exception {
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
