package io.attachkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.internal.mime.MimeDetection;
import io.attachkit.internal.mime.MimeDetector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * OOXML and OpenDocument files are zips: detection looks at their entries (within the header it reads) to
 * tell a docx from an xlsx from a plain zip, whatever the name says, and stays cheap on hostile zips.
 */
class OfficeContainerDetectionTest {
    private static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static final String PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    private final MimeDetector detector = new MimeDetector();

    @ParameterizedTest
    @CsvSource({
            "wordprocessingml.document.main+xml, word/document.xml, " + DOCX,
            "spreadsheetml.sheet.main+xml, xl/workbook.xml, " + XLSX,
            "presentationml.presentation.main+xml, ppt/presentation.xml, " + PPTX})
    void ooxml_isToldApartByItsMainContentType_evenWithoutAName(String main, String part, String expected) throws IOException {
        byte[] zip = zip(true, "[Content_Types].xml", contentTypes("application/vnd.openxmlformats-officedocument." + main),
                "_rels/.rels", "<Relationships/>", part, "<x/>");
        assertThat(detector.detect(zip, null, null).mimeType()).isEqualTo(expected);
        assertThat(detector.detect(zip, "upload.bin", null).mimeType()).isEqualTo(expected);
    }

    @Test
    void ooxml_withoutContentTypesFirst_isToldByItsPartNames() throws IOException {
        byte[] zip = zip(true, "xl/workbook.xml", "<workbook/>", "[Content_Types].xml", "<Types/>");
        assertThat(detector.detect(zip, null, null).mimeType()).isEqualTo(XLSX);
    }

    @Test
    void docxBytes_namedXlsx_areADocx_andTheMismatchIsReported() throws IOException {
        byte[] zip = zip(true, "[Content_Types].xml", contentTypes("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"));
        MimeDetection d = detector.detect(zip, "numbers.xlsx", XLSX);
        assertThat(d.mimeType()).isEqualTo(DOCX);
        assertThat(d.mismatch()).isTrue();
    }

    @Test
    void macroEnabledWorkbook_isNotPassedOffAsAnXlsx() throws IOException {
        byte[] zip = zip(true, "[Content_Types].xml", contentTypes("application/vnd.ms-excel.sheet.macroEnabled.main+xml"));
        MimeDetection d = detector.detect(zip, "book.xlsx", XLSX);
        assertThat(d.mimeType()).isEqualTo("application/vnd.ms-excel.sheet.macroenabled.12");
        assertThat(StorageLimits.defaults().isAllowed(d.resolve(StorageLimits.defaults()::isAllowed))).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"text", "spreadsheet", "presentation"})
    void odf_isToldByItsMimetypeEntry(String kind) throws IOException {
        String type = "application/vnd.oasis.opendocument." + kind;
        byte[] zip = zip(false, "mimetype", type, "content.xml", "<office:document-content/>");
        assertThat(detector.detect(zip, null, null).mimeType()).isEqualTo(type);
        assertThat(detector.detect(zip, "x.odt", null).mimeType()).isEqualTo(type);
    }

    @Test
    void plainZip_namedAndDeclaredDocx_staysAZip() throws IOException {
        byte[] zip = zip(true, "readme.txt", "hello", "data/numbers.csv", "1,2,3");
        MimeDetection d = detector.detect(zip, "report.docx", DOCX);
        assertThat(d.mimeType()).isEqualTo("application/zip");
    }

    @Test
    void plainZip_namedJar_isStillRefinedByItsName() throws IOException {
        byte[] zip = zip(true, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n", "a/B.class", "x");
        assertThat(detector.detect(zip, "tool.jar", null).mimeType()).isEqualTo("application/java-archive");
        assertThat(detector.detect(zip, null, null).mimeType()).isEqualTo("application/zip");
    }

    @Test
    void zipWhoseFirstEntryFillsTheHeader_fallsBackToTheName() throws IOException {
        byte[] big = new byte[200_000];
        new java.util.Random(1).nextBytes(big);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("word/media/image1.png"));
            z.write(big);
            z.closeEntry();
            z.putNextEntry(new ZipEntry("word/document.xml"));
            z.write("<w:document/>".getBytes(StandardCharsets.UTF_8));
        }
        byte[] header = Arrays.copyOf(bytes.toByteArray(), detector.headerLength());
        assertThat(detector.detect(header, "report.docx", null).mimeType()).isEqualTo(DOCX);
        assertThat(detector.detect(header, null, null).mimeType()).isEqualTo("application/zip");
    }

    @Test
    void zipBomb_andHundredThousandEntries_areDetectedFromTheHeaderAlone() throws IOException {
        // one entry of 1 GiB of zeros deflates to about 1 MB: detection reads the header only, inflates a bounded amount
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bomb)) {
            z.putNextEntry(new ZipEntry("zeros"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 1024; i++) {
                z.write(zeros);
            }
        }
        MimeDetection d = detector.detect(new ByteArrayInputStream(bomb.toByteArray()), "bomb.docx", null);
        assertThat(d.mimeType()).isIn("application/zip", DOCX);

        ByteArrayOutputStream many = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(many)) {
            for (int i = 0; i < 100_000; i++) {
                z.putNextEntry(new ZipEntry("e" + i));
                z.closeEntry();
            }
        }
        CountingStream counted = new CountingStream(many.toByteArray());
        assertThat(detector.detect(counted, null, null).mimeType()).isEqualTo("application/zip");
        assertThat(counted.read).isLessThanOrEqualTo(detector.headerLength());
    }

    private static String contentTypes(String mainType) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Override PartName=\"/main.xml\" ContentType=\"" + mainType + "\"/></Types>";
    }

    /** @param deflate whether entries are deflated (else stored, as ODF's first entry must be) */
    private static byte[] zip(boolean deflate, String... namesAndContents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                byte[] content = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
                ZipEntry e = new ZipEntry(namesAndContents[i]);
                if (!deflate && i == 0) {
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(content.length);
                    CRC32 crc = new CRC32();
                    crc.update(content);
                    e.setCrc(crc.getValue());
                }
                z.putNextEntry(e);
                z.write(content);
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A mark/reset stream that counts the bytes handed out. */
    private static final class CountingStream extends ByteArrayInputStream {
        int read;

        CountingStream(byte[] b) {
            super(b);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            read += Math.max(0, n);
            return n;
        }

        @Override
        public synchronized int read() {
            read++;
            return super.read();
        }
    }

}
