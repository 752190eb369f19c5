package io.attachkit.processors.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingLimits;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DocxProcessor} on Word files POI writes in the test, and on hostile ones. */
class DocxProcessorTest {
    private final DocxProcessor processor = new DocxProcessor();

    private ProcessedContent process(byte[] docx, ProcessingLimits limits) {
        return processor.process(OfficeFixtures.input("report.docx", OfficeFixtures.DOCX, docx), limits);
    }

    @Test
    void report_textInReadingOrder_withTablesRowByRow_andMarkedHeaderFooterFootnoteComment() {
        ProcessedContent c = process(OfficeFixtures.reportDocx(), ProcessingLimits.defaults());
        assertThat(c.type()).isEqualTo("document");
        assertThat(c.text()).isEqualTo("""
                [Header] ACME Confidential

                Introduction

                Sales grew in every region.[^1]

                The outlook is bright

                Figures

                Region | Sales
                North | 120
                South | 80

                End of figures.

                [Footnote 1] Unaudited figures.

                [Comment by Grace] Check the South number.

                [Footer] Page footer""");
        assertThat(c.get("tables")).isEqualTo(1);
        assertThat(c.get("truncated")).isEqualTo(false);
        assertThat(((Number) c.get("words")).longValue()).isGreaterThan(20);
    }

    @Test
    void trackedChanges_areResolvedToTheFinalText() {
        String text = process(OfficeFixtures.reportDocx(), ProcessingLimits.defaults()).text();
        assertThat(text).contains("The outlook is bright").doesNotContain("gloomy");
    }

    @Test
    void sectionSpans_coverEachHeadingAndItsSection() {
        ProcessedContent c = process(OfficeFixtures.reportDocx(), ProcessingLimits.defaults());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> spans = (List<Map<String, Object>>) c.get("section_spans");
        assertThat(spans).extracting(s -> s.get("heading")).containsExactly("Introduction", "Figures");
        assertThat(spans).extracting(s -> s.get("level")).containsExactly(1, 2);
        String text = c.text();
        String intro = text.substring((Integer) spans.get(0).get("start"), (Integer) spans.get(0).get("end"));
        assertThat(intro).startsWith("Introduction").contains("The outlook is bright").doesNotContain("Figures");
        String figures = text.substring((Integer) spans.get(1).get("start"), (Integer) spans.get(1).get("end"));
        assertThat(figures).startsWith("Figures").contains("South | 80").endsWith("End of figures.");
    }

    @Test
    void info_hasTitleAuthorDatesAndStatedPages() {
        ProcessedContent c = process(OfficeFixtures.reportDocx(), ProcessingLimits.defaults());
        assertThat(c.get("info")).isEqualTo(Map.of("title", "Quarterly Report", "author", "Ada Lovelace",
                "created", "2024-01-02T03:04:05Z", "modified", "2024-02-03T04:05:06Z", "pages", 3,
                "application", "Apache POI"));
        assertThat(c.overview()).startsWith("Word document \"Quarterly Report\" by Ada Lovelace, 3 pages,")
                .contains("headings: Introduction; Figures");
    }

    @Test
    void text_isCutAtMaxOutputChars_andMarkedTruncated() {
        ProcessedContent c = process(OfficeFixtures.largeDocx(2_000), ProcessingLimits.builder().maxOutputChars(5_000).build());
        assertThat(c.text()).hasSize(5_000);
        assertThat(c.get("truncated")).isEqualTo(true);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> spans = (List<Map<String, Object>>) c.get("section_spans");
        assertThat(spans).isNotEmpty().allSatisfy(s -> assertThat((Integer) s.get("end")).isLessThanOrEqualTo(5_000));
    }

    @Test
    void encryptedDocx_isRefused_sayingItIsEncrypted() {
        byte[] encrypted = OfficeFixtures.encrypt(OfficeFixtures.reportDocx(), "s3cret");
        assertThatThrownBy(() -> process(encrypted, ProcessingLimits.defaults()))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("encrypted");
    }

    @Test
    void truncatedDocx_isACorruptFileError() {
        byte[] docx = OfficeFixtures.reportDocx();
        byte[] half = Arrays.copyOf(docx, docx.length / 2);
        assertThatThrownBy(() -> process(half, ProcessingLimits.defaults()))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("truncated or corrupt");
    }

    @Test
    void zipBomb_isRefusedBeforeItIsInflated() {
        byte[] bomb = OfficeFixtures.zipBombDocx(50);
        assertThat(bomb.length).isLessThan(1_000_000);
        long before = usedHeap();
        assertThatThrownBy(() -> process(bomb, ProcessingLimits.defaults()))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("zip bomb");
        assertThat(usedHeap() - before).isLessThan(40L << 20);
    }

    @Test
    void externalEntities_areNeitherReadNorFetched(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "CANARY-42");
        try (ServerSocket listener = new ServerSocket(0)) {
            listener.setSoTimeout(200);
            String xml = "<?xml version=\"1.0\"?><!DOCTYPE w:document ["
                    + "<!ENTITY file SYSTEM \"" + secret.toUri() + "\">"
                    + "<!ENTITY remote SYSTEM \"http://127.0.0.1:" + listener.getLocalPort() + "/x.dtd\">"
                    + "<!ENTITY % dtd SYSTEM \"http://127.0.0.1:" + listener.getLocalPort() + "/evil.dtd\"> %dtd;]>"
                    + OfficeFixtures.wordXml("<w:p><w:r><w:t>&file;&remote;</w:t></w:r></w:p>");
            byte[] docx = OfficeFixtures.handmadeDocx(xml);
            String outcome;
            try {
                outcome = process(docx, ProcessingLimits.defaults()).text();
            } catch (ProcessingException e) {
                outcome = e.getMessage();
            }
            assertThat(outcome).doesNotContain("CANARY-42");
            assertThatThrownBy(listener::accept).as("no connection to the DTD's host").isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void billionLaughs_isRefusedQuickly() {
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY l0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]>");
        byte[] docx = OfficeFixtures.handmadeDocx(dtd + OfficeFixtures.wordXml("<w:p><w:r><w:t>&l9;</w:t></w:r></w:p>"));
        assertThatThrownBy(() -> process(docx, ProcessingLimits.defaults())).isInstanceOf(ProcessingException.class);
    }

    @Test
    void aZipThatIsNoWordDocument_isACorruptFileError() {
        byte[] zip = OfficeFixtures.zip("readme.txt", "hello");
        assertThatThrownBy(() -> process(zip, ProcessingLimits.defaults())).isInstanceOf(ProcessingException.class);
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

}
