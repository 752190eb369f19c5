package io.attachkit.processors.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingLimits;
import io.attachkit.storage.local.LocalFileStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OdsProcessor} and {@link OdpProcessor} on OpenDocument files zipped by hand in the test. */
class OdsOdpProcessorTest {
    private static final String NS = "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
            + "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
            + "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
            + "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
            + "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" "
            + "xmlns:presentation=\"urn:oasis:names:tc:opendocument:xmlns:presentation:1.0\" "
            + "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
            + "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\"";

    @TempDir
    Path root;

    static byte[] odf(String mime, String contentInner) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            byte[] mimetype = mime.getBytes(StandardCharsets.US_ASCII);
            ZipEntry m = new ZipEntry("mimetype");
            m.setMethod(ZipEntry.STORED);
            m.setSize(mimetype.length);
            CRC32 crc = new CRC32();
            crc.update(mimetype);
            m.setCrc(crc.getValue());
            z.putNextEntry(m);
            z.write(mimetype);
            entry(z, "content.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content " + NS + ">" + contentInner
                    + "</office:document-content>");
            entry(z, "meta.xml", "<?xml version=\"1.0\"?><office:document-meta " + NS + "><office:meta><dc:title>Plan</dc:title>"
                    + "<meta:initial-creator>Ada Lovelace</meta:initial-creator></office:meta></office:document-meta>");
            entry(z, "META-INF/manifest.xml", "<?xml version=\"1.0\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">"
                    + "<manifest:file-entry manifest:full-path=\"content.xml\"/></manifest:manifest>");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static void entry(ZipOutputStream z, String name, String content) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(content.getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
    }

    private static String cell(String type, String value, String shown) {
        return type == null ? "<table:table-cell office:value-type=\"string\"><text:p>" + shown + "</text:p></table:table-cell>"
                : "<table:table-cell office:value-type=\"" + type + "\" office:value=\"" + value + "\"><text:p>" + shown
                        + "</text:p></table:table-cell>";
    }

    /** Two sheets, the second hidden; a header row, numbers (one with a formula's cached value), a million empty rows repeated. */
    static byte[] salesOds() {
        String header = "<table:table-row>" + cell(null, null, "Region") + cell(null, null, "Units") + cell(null, null, "Price") + "</table:table-row>";
        String north = "<table:table-row>" + cell(null, null, "North") + cell("float", "10", "10") + cell("float", "2.5", "2.50") + "</table:table-row>";
        String south = "<table:table-row>" + cell(null, null, "South") + cell("float", "30", "30")
                + "<table:table-cell table:formula=\"of:=[.B3]/10\" office:value-type=\"float\" office:value=\"3\"><text:p>3</text:p></table:table-cell>"
                + "</table:table-row>";
        String empty = "<table:table-row table:number-rows-repeated=\"1048570\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>";
        String both = "<table:table-row table:number-rows-repeated=\"2\">" + cell(null, null, "East") + cell("float", "5", "5")
                + cell("float", "1", "1") + "</table:table-row>";
        return odf(OdsProcessor.MIME, "<office:automatic-styles><style:style style:name=\"ta2\" style:family=\"table\">"
                + "<style:table-properties table:display=\"false\"/></style:style></office:automatic-styles>"
                + "<office:body><office:spreadsheet>"
                + "<table:table table:name=\"Sales\">" + header + north + south + both + empty + "</table:table>"
                + "<table:table table:name=\"Secret\" table:style-name=\"ta2\"><table:table-row>" + cell(null, null, "hidden note")
                + "</table:table-row></table:table>"
                + "</office:spreadsheet></office:body>");
    }

    static byte[] roadmapOdp() {
        String slide1 = "<draw:page draw:name=\"p1\"><draw:frame presentation:class=\"title\"><draw:text-box><text:p>Roadmap</text:p>"
                + "</draw:text-box></draw:frame><draw:frame presentation:class=\"outline\"><draw:text-box><text:list><text:list-item>"
                + "<text:p>Ship 1.0</text:p></text:list-item><text:list-item><text:p>Then 2.0</text:p></text:list-item></text:list>"
                + "</draw:text-box></draw:frame><presentation:notes><draw:frame presentation:class=\"notes\"><draw:text-box>"
                + "<text:p>Mention the date</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>";
        String slide2 = "<draw:page draw:name=\"p2\"><draw:frame><draw:image xlink:href=\"Pictures/a.png\"/></draw:frame></draw:page>";
        return odf(OdpProcessor.MIME, "<office:body><office:presentation>" + slide1 + slide2 + "</office:presentation></office:body>");
    }

    @Test
    @SuppressWarnings("unchecked")
    void ods_sheetsWithTheXlsxShape_statsHiddenSheetAndRepeatedRows() {
        ProcessedContent c = new OdsProcessor().process(OfficeFixtures.input("sales.ods", OdsProcessor.MIME, salesOds()),
                ProcessingLimits.defaults());
        assertThat(c.type()).isEqualTo("spreadsheet");
        assertThat(c.text()).isEqualTo("## Sheet: Sales\nRegion,Units,Price\nNorth,10,2.5\nSouth,30,3\nEast,5,1\nEast,5,1\n\n"
                + "## Sheet: Secret (hidden)\nhidden note\n".stripTrailing() + "\n");
        List<Map<String, Object>> sheets = (List<Map<String, Object>>) c.get("sheets");
        Map<String, Object> sales = sheets.get(0);
        assertThat(sales).containsEntry("name", "Sales").containsEntry("hidden", false).containsEntry("header", true)
                .containsEntry("row_count", 4L).containsEntry("used_range", "A1:C5");
        assertThat(sales.get("columns")).isEqualTo(List.of("Region", "Units", "Price"));
        Map<String, Object> units = (Map<String, Object>) ((Map<String, Object>) sales.get("numeric_columns")).get("Units");
        assertThat(units).containsEntry("count", 4L);
        assertThat(units.get("sum").toString()).isEqualTo("50");
        assertThat(sheets.get(1)).containsEntry("hidden", true);
        List<Map<String, Object>> spans = (List<Map<String, Object>>) c.get("sheet_spans");
        assertThat(c.text().substring((Integer) spans.get(1).get("start"), (Integer) spans.get(1).get("end"))).startsWith("## Sheet: Secret");
    }

    @Test
    @SuppressWarnings("unchecked")
    void odp_slidesWithTitleBodyNotes_andAPictureOnlySlide() {
        ProcessedContent c = new OdpProcessor().process(OfficeFixtures.input("plan.odp", OdpProcessor.MIME, roadmapOdp()),
                ProcessingLimits.defaults());
        assertThat(c.type()).isEqualTo("presentation");
        assertThat(c.text()).isEqualTo("## Slide 1: Roadmap\nShip 1.0\nThen 2.0\n[Notes] Mention the date\n\n## Slide 2");
        assertThat(c.get("slide_count")).isEqualTo(2);
        assertThat(c.get("picture_only_slides")).isEqualTo(List.of(2));
        List<Map<String, Object>> spans = (List<Map<String, Object>>) c.get("slide_spans");
        assertThat(c.text().substring((Integer) spans.get(0).get("start"), (Integer) spans.get(0).get("end"))).endsWith("Mention the date");
        assertThat(((List<Map<String, Object>>) c.get("slides")).get(0)).containsEntry("title", "Roadmap").containsEntry("has_notes", true);
    }

    @Test
    void truncatedOds_isAClearError() {
        byte[] ods = salesOds();
        assertThatThrownBy(() -> new OdsProcessor().process(OfficeFixtures.input("x.ods", OdsProcessor.MIME,
                java.util.Arrays.copyOf(ods, ods.length / 2)), ProcessingLimits.defaults()))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("OpenDocument spreadsheet");
    }

    @Test
    void throughAttachments_odsAndOdpAreDetectedByTheirMimetypeEntry() throws Exception {
        try (LocalFileStore store = LocalFileStore.builder().root(root).build();
             Attachments attachments = Attachments.builder().store(store).workers(1).build()) {
            Attachment ods = attachments.storeAndProcess(Attachment.fromBytes("upload", salesOds(), null));
            assertThat(ods.mimeType()).isEqualTo(OdsProcessor.MIME);
            assertThat(ods.processedContent().text()).contains("North,10,2.5");
            Attachment odp = attachments.storeAndProcess(Attachment.fromBytes("upload.zip", roadmapOdp(), null));
            assertThat(odp.mimeType()).isEqualTo(OdpProcessor.MIME);
            assertThat(odp.processedContent().text()).startsWith("## Slide 1: Roadmap");
        }
    }
}
