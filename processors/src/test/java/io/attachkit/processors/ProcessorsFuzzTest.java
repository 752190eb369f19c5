package io.attachkit.processors;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.attachkit.AttachmentException;
import io.attachkit.ContentProcessor;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingLimits;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz targets for the content processors that parse untrusted files: PDF, images, CSV/TSV and JSON. In a
 * normal {@code mvn verify} each target replays its checked-in seeds
 * ({@code src/test/resources/io/attachkit/processors/ProcessorsFuzzTestInputs/<target>/}, each file is one
 * attachment's bytes) as regression tests; {@code JAZZER_FUZZ=1 mvn -pl processors test
 * -Dtest=ProcessorsFuzzTest#<target> -Djazzer.max_duration=90s} fuzzes one target for real (see FUZZING.md).
 *
 * <p>The invariant for every processor: a result or a typed attachkit exception ({@link AttachmentException}:
 * {@code ProcessingException}, {@code InvalidContentException}, ...), never another exception, never a hang
 * (small {@link ProcessingLimits} and a per-input timeout), never unbounded memory. A result keeps its text
 * within {@code maxOutputChars} and holds only finite numbers (it is written as JSON).
 *
 * <p>OCR is real but bounded: Tesseract runs when its language data is installed, on images and rendered
 * pages of at most {@value #MAX_PIXELS} pixels, so each input stays fast.
 */
class ProcessorsFuzzTest {
    private static final long MAX_PIXELS = 128 * 128;
    private static final ProcessingLimits LIMITS = ProcessingLimits.builder()
            .maxPages(3)
            .maxImagePixels(MAX_PIXELS)
            .maxOutputChars(20_000)
            .timeout(Duration.ofSeconds(5))
            .build();
    private static final OcrEngine OCR = OcrEngine.builder().maxInstances(1).build();
    private static final PdfTextProcessor PDF = new PdfTextProcessor(OCR);
    private static final ImageProcessor IMAGE = new ImageProcessor(OCR, ImageDescriber.deterministic());
    private static final TableProcessor TABLE = new TableProcessor();
    private static final JsonProcessor JSON = new JsonProcessor();
    /** The same read constraints as {@link JsonProcessor}: the reference for what is valid JSON. */
    private static final JsonMapper REFERENCE_JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(JsonProcessor.MAX_DEPTH)
                            .maxStringLength(10_000_000)
                            .maxNumberLength(1_000)
                            .maxNameLength(50_000)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @FuzzTest(maxDuration = "10s")
    @Timeout(20)
    void pdf(byte[] bytes) {
        ProcessedContent result = process(PDF, "fuzz.pdf", "application/pdf", bytes);
        if (result != null) {
            assertThat(result.type()).isEqualTo("document");
            String text = result.text();
            for (Object span : (List<?>) result.get("page_spans")) {
                Map<?, ?> s = (Map<?, ?>) span;
                int start = (Integer) s.get("start");
                int end = (Integer) s.get("end");
                assertThat(start).isBetween(0, end);
                assertThat(end).isLessThanOrEqualTo(text.length());
            }
            assertThat((Integer) result.get("pages_read")).isLessThanOrEqualTo(LIMITS.maxPages());
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(20)
    void image(byte[] bytes) {
        ProcessedContent result = process(IMAGE, "fuzz.img", "image/png", bytes);
        if (result != null && result.get("width") instanceof Integer width) {
            assertThat((long) width * (Integer) result.get("height")).isLessThanOrEqualTo(MAX_PIXELS);
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(20)
    void table(byte[] bytes) {
        int firstLineEnd = 0;
        while (firstLineEnd < bytes.length && bytes[firstLineEnd] != '\n') {
            firstLineEnd++;
        }
        boolean tsv = false;
        for (int i = 0; i < firstLineEnd; i++) {
            tsv |= bytes[i] == '\t';
        }
        ProcessedContent result = process(TABLE, tsv ? "fuzz.tsv" : "fuzz.csv", tsv ? "text/tab-separated-values" : "text/csv", bytes);
        if (result != null) {
            List<?> columns = (List<?>) result.get("columns");
            List<?> preview = (List<?>) result.get("preview");
            assertThat(columns).hasSizeLessThanOrEqualTo(TableProcessor.MAX_COLUMNS);
            assertThat(preview).hasSizeLessThanOrEqualTo(TableProcessor.PREVIEW_ROWS);
            assertThat((Long) result.get("row_count")).isGreaterThanOrEqualTo(preview.size());
            for (Object stats : ((Map<?, ?>) result.get("numeric_columns")).values()) {
                Map<?, ?> s = (Map<?, ?>) stats;
                assertThat(((Number) s.get("min")).doubleValue()).isLessThanOrEqualTo(((Number) s.get("max")).doubleValue());
            }
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(20)
    void json(byte[] bytes) {
        JsonNode reference = referenceJson(bytes);
        ProcessedContent result = process(JSON, "fuzz.json", "application/json", bytes);
        assertThat(result != null).as("accepted exactly when Jackson's tree reader accepts it").isEqualTo(reference != null);
        if (result != null) {
            if (reference.isObject()) {
                assertThat(((Number) result.get("key_count")).longValue()).isEqualTo(reference.size());
            } else if (reference.isArray()) {
                assertThat(((Number) result.get("length")).longValue()).isEqualTo(reference.size());
            }
        }
    }

    private static JsonNode referenceJson(byte[] bytes) {
        try {
            JsonNode node = REFERENCE_JSON.readTree(bytes);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException e) {
            return null;
        }
    }

    /** @return the result, or {@code null} when the processor refused the input with a typed exception */
    private static ProcessedContent process(ContentProcessor processor, String filename, String mime, byte[] bytes) {
        ProcessedContent result;
        try {
            result = processor.process(Fixtures.input(filename, mime, bytes), LIMITS);
        } catch (AttachmentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return null;
        }
        if (result.text() != null) {
            assertThat(result.text()).hasSizeLessThanOrEqualTo(LIMITS.maxOutputChars());
        }
        assertThat(result.get("truncated")).isIn(null, true, false);
        assertFinite(result.asMap());
        return result;
    }

    /** A result is written as JSON, where NaN and infinities do not exist. */
    private static void assertFinite(Object value) {
        if (value instanceof Double d) {
            assertThat(d).isFinite();
        } else if (value instanceof Float f) {
            assertThat(f).isFinite();
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(ProcessorsFuzzTest::assertFinite);
        } else if (value instanceof Collection<?> c) {
            c.forEach(ProcessorsFuzzTest::assertFinite);
        }
    }
}
