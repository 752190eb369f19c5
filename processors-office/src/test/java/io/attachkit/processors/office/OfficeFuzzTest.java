package io.attachkit.processors.office;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.attachkit.AttachmentException;
import io.attachkit.ContentProcessor;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingLimits;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz targets for the office parsers of untrusted files: docx, xlsx, pptx, doc, xls, ppt, odt, ods, odp, RTF, HTML,
 * email (eml) and Outlook (msg). In a normal
 * {@code mvn verify} each target replays its checked-in seeds
 * ({@code src/test/resources/io/attachkit/processors/office/OfficeFuzzTestInputs/<target>/}) as regression
 * tests; {@code JAZZER_FUZZ=1 mvn -pl processors-office -am test -Dtest=OfficeFuzzTest#<target>
 * -Djazzer.max_duration=90s} fuzzes one (see FUZZING.md).
 *
 * <p>The invariant: a result or a typed attachkit exception, never another exception, never a hang; a result's
 * text stays within {@code maxOutputChars}, its spans inside the text, its numbers finite.
 */
class OfficeFuzzTest {
    private static final ProcessingLimits LIMITS = ProcessingLimits.builder()
            .maxPages(3)
            .maxOutputChars(20_000)
            .timeout(Duration.ofSeconds(5))
            .build();
    private static final DocxProcessor DOCX = new DocxProcessor();
    private static final XlsxProcessor XLSX = new XlsxProcessor();
    private static final PptxProcessor PPTX = new PptxProcessor();
    private static final HtmlProcessor HTML = new HtmlProcessor();
    private static final EmlProcessor EML = new EmlProcessor();
    private static final PptProcessor PPT = new PptProcessor();

    @FuzzTest(maxDuration = "10s")
    @Timeout(20)
    void docx(byte[] bytes) {
        ProcessedContent c = process(DOCX, "fuzz.docx", OfficeFixtures.DOCX, bytes);
        if (c != null) {
            assertSpansInside(c, "section_spans");
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(20)
    void xlsx(byte[] bytes) {
        ProcessedContent c = process(XLSX, "fuzz.xlsx", OfficeFixtures.XLSX, bytes);
        if (c != null) {
            assertSpansInside(c, "sheet_spans");
            assertThat((List<?>) c.get("sheets")).hasSizeLessThanOrEqualTo(LIMITS.maxPages());
            for (Object sheet : (List<?>) c.get("sheets")) {
                Map<?, ?> s = (Map<?, ?>) sheet;
                assertThat((List<?>) s.get("columns")).hasSizeLessThanOrEqualTo(SheetReader.MAX_COLUMNS);
                assertThat((List<?>) s.get("preview")).hasSizeLessThanOrEqualTo(SheetReader.PREVIEW_ROWS);
            }
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(20)
    void pptx(byte[] bytes) {
        ProcessedContent c = process(PPTX, "fuzz.pptx", OfficeFixtures.PPTX, bytes);
        if (c != null) {
            assertSpansInside(c, "slide_spans");
            assertThat((List<?>) c.get("slides")).hasSizeLessThanOrEqualTo(LIMITS.maxPages());
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(20)
    void html(byte[] bytes) {
        ProcessedContent c = process(HTML, "fuzz.html", "text/html", bytes);
        assertThat(c).as("HTML always parses").isNotNull();
        assertSpansInside(c, "section_spans");
        assertThat((List<?>) c.get("links")).hasSizeLessThanOrEqualTo(HtmlText.MAX_LINKS);
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(20)
    void eml(byte[] bytes) {
        ProcessedContent c = process(EML, "fuzz.eml", "message/rfc822", bytes);
        if (c != null) {
            assertThat((Integer) c.get("parts")).isLessThanOrEqualTo(EmlProcessor.MAX_PARTS + 1);
            assertThat((List<?>) c.get("attachments")).hasSizeLessThanOrEqualTo(EmlProcessor.MAX_ATTACHMENTS_LISTED);
            if (c.get("body_span") instanceof Map<?, ?> span) {
                assertThat((Integer) span.get("end")).isLessThanOrEqualTo(c.text().length());
            }
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(20)
    void rtf(byte[] bytes) {
        process(new RtfProcessor(), "fuzz.rtf", "application/rtf", bytes);
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(20)
    void odt(byte[] bytes) {
        ProcessedContent c = process(new OdtProcessor(), "fuzz.odt", OdtProcessor.MIME, bytes);
        if (c != null) {
            assertSpansInside(c, "section_spans");
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(20)
    void doc(byte[] bytes) {
        ProcessedContent c = process(new DocProcessor(), "fuzz.doc", DocProcessor.MIME, bytes);
        if (c != null) {
            assertSpansInside(c, "section_spans");
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(20)
    void xls(byte[] bytes) {
        ProcessedContent c = process(new XlsProcessor(), "fuzz.xls", XlsProcessor.MIME, bytes);
        if (c != null) {
            assertSpansInside(c, "sheet_spans");
            assertThat((List<?>) c.get("sheets")).hasSizeLessThanOrEqualTo(LIMITS.maxPages());
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(20)
    void ppt(byte[] bytes) {
        ProcessedContent c = process(PPT, "fuzz.ppt", PptProcessor.MIME, bytes);
        if (c != null) {
            assertSpansInside(c, "slide_spans");
            assertThat((List<?>) c.get("slides")).hasSizeLessThanOrEqualTo(LIMITS.maxPages());
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(20)
    void ods(byte[] bytes) {
        ProcessedContent c = process(new OdsProcessor(), "fuzz.ods", OdsProcessor.MIME, bytes);
        if (c != null) {
            assertSpansInside(c, "sheet_spans");
            assertThat((List<?>) c.get("sheets")).hasSizeLessThanOrEqualTo(LIMITS.maxPages());
            for (Object sheet : (List<?>) c.get("sheets")) {
                assertThat((List<?>) ((Map<?, ?>) sheet).get("columns")).hasSizeLessThanOrEqualTo(SheetReader.MAX_COLUMNS);
            }
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(20)
    void odp(byte[] bytes) {
        ProcessedContent c = process(new OdpProcessor(), "fuzz.odp", OdpProcessor.MIME, bytes);
        if (c != null) {
            assertSpansInside(c, "slide_spans");
            assertThat((List<?>) c.get("slides")).hasSizeLessThanOrEqualTo(LIMITS.maxPages());
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(20)
    void msg(byte[] bytes) {
        ProcessedContent c = process(new MsgProcessor(), "fuzz.msg", MsgProcessor.MIME, bytes);
        if (c != null) {
            assertThat((List<?>) c.get("attachments")).hasSizeLessThanOrEqualTo(EmlProcessor.MAX_ATTACHMENTS_LISTED);
            if (c.get("body_span") instanceof Map<?, ?> span) {
                assertThat((Integer) span.get("end")).isLessThanOrEqualTo(c.text().length());
            }
        }
    }

    /** @return the result, or {@code null} when the processor refused the input with a typed exception */
    private static ProcessedContent process(ContentProcessor processor, String filename, String mime, byte[] bytes) {
        ProcessedContent result;
        try {
            result = processor.process(OfficeFixtures.input(filename, mime, bytes), LIMITS);
        } catch (AttachmentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return null;
        }
        assertThat(result.text()).hasSizeLessThanOrEqualTo(LIMITS.maxOutputChars());
        assertThat(result.get("truncated")).isIn(true, false);
        assertFinite(result.asMap());
        return result;
    }

    private static void assertSpansInside(ProcessedContent c, String key) {
        for (Object span : (List<?>) c.get(key)) {
            Map<?, ?> s = (Map<?, ?>) span;
            assertThat((Integer) s.get("start")).isBetween(0, (Integer) s.get("end"));
            assertThat((Integer) s.get("end")).isLessThanOrEqualTo(c.text().length());
        }
    }

    private static void assertFinite(Object value) {
        if (value instanceof Double d) {
            assertThat(d).isFinite();
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(OfficeFuzzTest::assertFinite);
        } else if (value instanceof Collection<?> col) {
            col.forEach(OfficeFuzzTest::assertFinite);
        }
    }
}
