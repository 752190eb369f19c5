package io.attachkit.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingLimits;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Text, table, JSON and binary processors on real bytes. */
class TextProcessorsTest {
    private static final ProcessingLimits DEFAULTS = ProcessingLimits.defaults();
    private final TextProcessor text = new TextProcessor();
    private final TableProcessor table = new TableProcessor();
    private final JsonProcessor json = new JsonProcessor();

    @Test
    void utf8Text_isReadWithCounts() {
        byte[] bytes = "Hello wörld\nsecond line ✓\n".getBytes(StandardCharsets.UTF_8);
        ProcessedContent pc = text.process(Fixtures.input("a.txt", "text/plain", bytes), DEFAULTS);
        assertThat(pc.type()).isEqualTo("text");
        assertThat(pc.text()).isEqualTo("Hello wörld\nsecond line ✓\n");
        assertThat(pc.get("charset")).isEqualTo("UTF-8");
        assertThat(pc.get("lines")).isEqualTo(2L);
        assertThat(pc.get("words")).isEqualTo(5L);
        assertThat(pc.get("truncated")).isEqualTo(false);
        assertThat(pc.overview()).isEqualTo("Plain text (UTF-8), 2 lines, 5 words.");
    }

    @Test
    void utf16WithBom_bothByteOrders_areDecoded() {
        String s = "Grüße, 日本語 and emoji 🙂";
        for (Charset cs : List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(cs == StandardCharsets.UTF_16BE ? new byte[] {(byte) 0xFE, (byte) 0xFF} : new byte[] {(byte) 0xFF, (byte) 0xFE});
            out.writeBytes(s.getBytes(cs));
            ProcessedContent pc = text.process(Fixtures.input("u.txt", "text/plain", out.toByteArray()), DEFAULTS);
            assertThat(pc.text()).isEqualTo(s);
            assertThat(pc.get("charset")).isEqualTo(cs.name());
        }
    }

    @Test
    void utf16WithoutBom_isRecognisedByItsZeroBytes() {
        ProcessedContent pc = text.process(Fixtures.input("u.txt", "text/plain", "plain ascii as utf-16".getBytes(StandardCharsets.UTF_16LE)), DEFAULTS);
        assertThat(pc.text()).isEqualTo("plain ascii as utf-16");
        assertThat(pc.get("charset")).isEqualTo("UTF-16LE");
    }

    @Test
    void invalidUtf8_fallsBackToWindows1252() {
        byte[] bytes = "café “quoted” €5".getBytes(Charset.forName("windows-1252"));
        ProcessedContent pc = text.process(Fixtures.input("w.txt", "text/plain", bytes), DEFAULTS);
        assertThat(pc.text()).isEqualTo("café “quoted” €5");
        assertThat(pc.get("charset")).isEqualTo("windows-1252");
    }

    @Test
    void longText_isCappedAndMarkedTruncated_markdownAndCodeFormats() {
        String body = "# Title\n" + "word ".repeat(1000);
        ProcessedContent md = text.process(Fixtures.input("r.md", "text/markdown", body.getBytes(StandardCharsets.UTF_8)),
                ProcessingLimits.builder().maxOutputChars(100).build());
        assertThat(md.text()).hasSize(100).isEqualTo(body.substring(0, 100));
        assertThat(md.get("truncated")).isEqualTo(true);
        assertThat(md.get("format")).isEqualTo("markdown");
        assertThat(md.overview()).contains("truncated to the first 100 characters");

        ProcessedContent code = text.process(Fixtures.input("A.java", "text/x-java-source", "class A {}".getBytes(StandardCharsets.UTF_8)), DEFAULTS);
        assertThat(code.get("format")).isEqualTo("code");
        assertThat(text.supports("text/csv")).isFalse();
    }

    @Test
    void csv_sumOfFirstColumnIsAnswerable() {
        byte[] csv = "a,b\n2,123\n-3,4124\n1,7".getBytes(StandardCharsets.UTF_8);
        ProcessedContent pc = table.process(Fixtures.input("data.csv", "text/csv", csv), DEFAULTS);

        assertThat(pc.type()).isEqualTo("table");
        assertThat(pc.get("columns")).isEqualTo(List.of("a", "b"));
        assertThat(pc.get("row_count")).isEqualTo(3L);
        assertThat(pc.get("preview")).isEqualTo(List.of(List.of("2", "123"), List.of("-3", "4124"), List.of("1", "7")));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> numeric = (Map<String, Map<String, Object>>) pc.get("numeric_columns");
        assertThat(numeric.get("a")).containsEntry("count", 3L).containsEntry("sum", 0L).containsEntry("min", -3L)
                .containsEntry("max", 2L).containsEntry("mean", 0.0);
        assertThat(numeric.get("b")).containsEntry("sum", 4254L).containsEntry("max", 4124L).containsEntry("mean", 1418.0);
        assertThat(pc.text()).isEqualTo("a,b\n2,123\n-3,4124\n1,7");
        assertThat(pc.overview()).isEqualTo("CSV table with 3 rows and 2 columns (a, b); numeric columns: a (sum 0, min -3, max 2, mean 0);"
                + " b (sum 4254, min 7, max 4124, mean 1418).");
    }

    @Test
    void csv_numbersBeyondADoublesRange_neverBecomeInfinity() {
        // found by ProcessorsFuzzTest#table: 1e999 summed to Infinity, which JSON cannot carry
        byte[] csv = "big,huge\n1e308,1e999\n1e308,1\n".getBytes(StandardCharsets.UTF_8);
        ProcessedContent pc = table.process(Fixtures.input("data.csv", "text/csv", csv), DEFAULTS);

        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> numeric = (Map<String, Map<String, Object>>) pc.get("numeric_columns");
        assertThat(numeric).containsOnlyKeys("big"); // 1e999 is not a number a JSON reader can hold
        assertThat(numeric.get("big")).containsEntry("max", 1e308).containsEntry("mean", 1e308)
                .containsEntry("sum", new java.math.BigDecimal("2E+308"));
    }

    @Test
    void tsv_withQuotesDecimalsTextColumnsAndRaggedRows() {
        byte[] tsv = ("name\tprice\tnote\n"
                + "apple\t1.10\t\"sweet, red\"\n"
                + "pear\t2.25\tgreen\n"
                + "fig\t\tmissing price\n"
                + "plum\t0.65\n").getBytes(StandardCharsets.UTF_8);
        ProcessedContent pc = table.process(Fixtures.input("prices.tsv", "text/tab-separated-values", tsv), DEFAULTS);

        assertThat(pc.get("delimiter")).isEqualTo("\t");
        assertThat(pc.get("columns")).isEqualTo(List.of("name", "price", "note"));
        assertThat(pc.get("row_count")).isEqualTo(4L);
        assertThat(pc.get("ragged_rows")).isEqualTo(1L);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> numeric = (Map<String, Map<String, Object>>) pc.get("numeric_columns");
        assertThat(numeric).containsOnlyKeys("price");
        assertThat(numeric.get("price")).containsEntry("count", 3L).containsEntry("sum", 4L).containsEntry("mean", 4.0 / 3).containsEntry("empty", 1L);
        assertThat(((List<?>) pc.get("preview")).get(0)).isEqualTo(List.of("apple", "1.10", "sweet, red"));
    }

    @Test
    void csvWithoutHeader_getsGeneratedColumnNames_andManyRowsStayBounded() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 50_000; i++) {
            sb.append(i).append(',').append(i * 2).append('\n');
        }
        ProcessedContent pc = table.process(Fixtures.input("n.csv", "text/csv", sb.toString().getBytes(StandardCharsets.US_ASCII)),
                ProcessingLimits.builder().maxOutputChars(1000).build());
        assertThat(pc.get("columns")).isEqualTo(List.of("column_1", "column_2"));
        assertThat(pc.get("row_count")).isEqualTo(50_000L);
        assertThat((List<?>) pc.get("preview")).hasSize(TableProcessor.PREVIEW_ROWS);
        assertThat(pc.text()).hasSize(1000);
        assertThat(pc.get("truncated")).isEqualTo(true);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> numeric = (Map<String, Map<String, Object>>) pc.get("numeric_columns");
        assertThat(numeric.get("column_1")).containsEntry("sum", 1_250_025_000L);
    }

    @Test
    void csvWithUnclosedQuote_isAProcessingError() {
        byte[] bad = "a,b\n\"open,2\n3,4".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> table.process(Fixtures.input("bad.csv", "text/csv", bad), DEFAULTS))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("'bad.csv' is not valid CSV");
    }

    @Test
    void jsonObject_givesTopLevelStructureAndPrettyText() {
        byte[] bytes = "{\"name\":\"attachkit\",\"version\":1,\"tags\":[\"a\",\"b\"],\"owner\":{\"id\":7},\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        ProcessedContent pc = json.process(Fixtures.input("x.json", "application/json", bytes), DEFAULTS);
        assertThat(pc.type()).isEqualTo("json");
        assertThat(pc.get("root")).isEqualTo("object");
        assertThat(pc.get("key_count")).isEqualTo(5L);
        assertThat(pc.get("keys")).isEqualTo(Map.of("name", "string", "version", "number", "tags", "array", "owner", "object", "ok", "boolean"));
        assertThat(pc.get("max_depth")).isEqualTo(2);
        assertThat(pc.text()).contains("\"name\" : \"attachkit\"").contains("\n");
        assertThat(pc.overview()).startsWith("JSON object with 5 keys: name (string), version (number), tags (array), owner (object), ok (boolean)");
    }

    @Test
    void jsonArray_countsElementsByKind_andTextIsCapped() {
        byte[] bytes = "[{\"a\":1},{\"a\":2},3,\"x\",[1,2]]".getBytes(StandardCharsets.UTF_8);
        ProcessedContent pc = json.process(Fixtures.input("x.json", "application/json", bytes),
                ProcessingLimits.builder().maxOutputChars(10).build());
        assertThat(pc.get("length")).isEqualTo(5L);
        assertThat(pc.get("element_types")).isEqualTo(Map.of("object", 2L, "number", 1L, "string", 1L, "array", 1L));
        assertThat(pc.text()).hasSize(10);
        assertThat(pc.get("truncated")).isEqualTo(true);
    }

    @Test
    void invalidJson_isAProcessingErrorWithItsPosition() {
        byte[] bytes = "{\"a\": 1,\n \"b\": }".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> json.process(Fixtures.input("bad.json", "application/json", bytes), DEFAULTS))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("'bad.json' is not valid JSON").hasMessageContaining("line 2");
    }

    @Test
    void deeplyNestedJson_isRefusedByTheReadConstraints() {
        byte[] bytes = ("[".repeat(5_000) + "]".repeat(5_000)).getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> json.process(Fixtures.input("deep.json", "application/json", bytes), DEFAULTS))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("nesting depth");
    }

    @Test
    void binary_reportsSizeTypeAndDigest() {
        byte[] bytes = {0x50, 0x4b, 0x03, 0x04, 1, 2, 3};
        ProcessedContent pc = new BinaryProcessor().process(Fixtures.input("a.zip", "application/zip", bytes), DEFAULTS);
        assertThat(pc.type()).isEqualTo("binary");
        assertThat(pc.get("size")).isEqualTo(7L);
        assertThat(pc.get("detected_type")).isEqualTo("application/zip");
        assertThat(pc.get("sha256")).isEqualTo(sha256(bytes));
    }

    private static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
