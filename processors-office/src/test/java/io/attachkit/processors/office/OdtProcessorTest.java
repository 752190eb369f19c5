package io.attachkit.processors.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingLimits;
import io.attachkit.internal.mime.MimeDetector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** {@link OdtProcessor} on OpenDocument text files zipped by hand in the test (ODF is a zip of XML). */
class OdtProcessorTest {
    private static final String NS = "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
            + "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
            + "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
            + "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\"";

    static byte[] odt(String body, String manifestExtra) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            byte[] mimetype = OdtProcessor.MIME.getBytes(StandardCharsets.US_ASCII);
            ZipEntry m = new ZipEntry("mimetype");
            m.setMethod(ZipEntry.STORED);
            m.setSize(mimetype.length);
            CRC32 crc = new CRC32();
            crc.update(mimetype);
            m.setCrc(crc.getValue());
            z.putNextEntry(m);
            z.write(mimetype);
            entry(z, "content.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content " + NS
                    + "><office:body><office:text>" + body + "</office:text></office:body></office:document-content>");
            entry(z, "meta.xml", "<?xml version=\"1.0\"?><office:document-meta " + NS + "><office:meta><dc:title>Field notes</dc:title>"
                    + "<meta:initial-creator>Ada Lovelace</meta:initial-creator><meta:creation-date>2024-05-06T07:08:09</meta:creation-date>"
                    + "<meta:document-statistic meta:page-count=\"2\"/></office:meta></office:document-meta>");
            entry(z, "META-INF/manifest.xml", "<?xml version=\"1.0\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">"
                    + "<manifest:file-entry manifest:full-path=\"content.xml\">" + manifestExtra + "</manifest:file-entry></manifest:manifest>");
        }
        return bytes.toByteArray();
    }

    private static void entry(ZipOutputStream z, String name, String content) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(content.getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
    }

    private static final String BODY = "<text:tracked-changes><text:changed-region text:id=\"c1\"><text:deletion>"
            + "<office:change-info><dc:creator>Bob</dc:creator></office:change-info><text:p>removed words</text:p></text:deletion>"
            + "</text:changed-region></text:tracked-changes>"
            + "<text:h text:outline-level=\"1\">Findings</text:h>"
            + "<text:p>Birds<text:s text:c=\"2\"/>sang.<text:note text:note-class=\"footnote\"><text:note-citation>1</text:note-citation>"
            + "<text:note-body><text:p>At dawn.</text:p></text:note-body></text:note></text:p>"
            + "<text:p>Check<office:annotation><dc:creator>Grace</dc:creator><dc:date>2024-01-01</dc:date><text:p>really?</text:p></office:annotation> this.</text:p>"
            + "<text:h text:outline-level=\"2\">Counts</text:h>"
            + "<table:table><table:table-row><table:table-cell><text:p>Species</text:p></table:table-cell><table:table-cell><text:p>Count</text:p></table:table-cell></table:table-row>"
            + "<table:table-row><table:table-cell><text:p>Robin</text:p></table:table-cell><table:table-cell><text:p>3</text:p></table:table-cell></table:table-row></table:table>";

    @Test
    void odt_textInReadingOrder_notesAndCommentsMarked_trackedDeletionsLeftOut_sectionsAndInfo() throws IOException {
        byte[] odt = odt(BODY, "");
        assertThat(new MimeDetector().detect(odt, null, null).mimeType()).isEqualTo(OdtProcessor.MIME);
        ProcessedContent c = new OdtProcessor().process(OfficeFixtures.input("notes.odt", OdtProcessor.MIME, odt), ProcessingLimits.defaults());
        assertThat(c.type()).isEqualTo("document");
        assertThat(c.text()).isEqualTo("""
                Findings
                Birds  sang. [Note: At dawn.]
                Check [Comment: really?] this.

                Counts
                Species | Count
                Robin | 3""");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> spans = (List<Map<String, Object>>) c.get("section_spans");
        assertThat(spans).extracting(s -> s.get("heading")).containsExactly("Findings", "Counts");
        assertThat(spans).extracting(s -> s.get("level")).containsExactly(1, 2);
        assertThat(c.text().substring((Integer) spans.get(1).get("start"), (Integer) spans.get(1).get("end"))).startsWith("Counts\nSpecies");
        assertThat(c.get("info")).isEqualTo(Map.of("title", "Field notes", "author", "Ada Lovelace", "created", "2024-05-06T07:08:09", "pages", 2));
    }

    @Test
    void encryptedOdt_isRefused_sayingItIsEncrypted() throws IOException {
        byte[] odt = odt(BODY, "<manifest:encryption-data manifest:checksum-type=\"SHA1\"/>");
        assertThatThrownBy(() -> new OdtProcessor().process(OfficeFixtures.input("locked.odt", OdtProcessor.MIME, odt), ProcessingLimits.defaults()))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("encrypted");
    }

    @Test
    void doctypeAndTruncation_areRefused() throws IOException {
        byte[] xxe = odt("<text:p>x</text:p>", "");
        byte[] cut = java.util.Arrays.copyOf(xxe, xxe.length / 2);
        assertThatThrownBy(() -> new OdtProcessor().process(OfficeFixtures.input("cut.odt", OdtProcessor.MIME, cut), ProcessingLimits.defaults()))
                .isInstanceOf(ProcessingException.class);
    }
}
