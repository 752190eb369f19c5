package io.attachkit.processors.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link XlsxProcessor} on workbooks POI writes in the test: sheets, header, stats, cached formulas, limits. */
class XlsxProcessorTest {
    private final XlsxProcessor processor = new XlsxProcessor();

    private ProcessedContent process(byte[] xlsx, ProcessingLimits limits) {
        return processor.process(OfficeFixtures.input("sales.xlsx", OfficeFixtures.XLSX, xlsx), limits);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> sheets(ProcessedContent c) {
        return (List<Map<String, Object>>) c.get("sheets");
    }

    @Test
    void sheets_haveNameRangeHeaderColumnsRowsAndPreview_inWorkbookOrder() {
        ProcessedContent c = process(OfficeFixtures.salesXlsx(), ProcessingLimits.defaults());
        assertThat(c.type()).isEqualTo("spreadsheet");
        assertThat(c.get("sheet_count")).isEqualTo(3);
        List<Map<String, Object>> sheets = sheets(c);
        assertThat(sheets).extracting(s -> s.get("name")).containsExactly("Sales", "Secret", "Raw");
        Map<String, Object> sales = sheets.get(0);
        assertThat(sales).containsEntry("used_range", "A1:D5").containsEntry("header", true).containsEntry("hidden", false)
                .containsEntry("columns", List.of("Region", "Units", "Price", "Day")).containsEntry("row_count", 4L);
        assertThat(sales.get("preview")).isEqualTo(List.of(List.of("North", "10", "2.5", "2024-01-02"),
                List.of("South, East", "20", "3.25", "2024-01-03"), List.of("West", "30", "0.1", "2024-01-04"), List.of("Total", "60", "5")));
        Map<String, Object> raw = sheets.get(2);
        assertThat(raw).containsEntry("header", false).containsEntry("columns", List.of("column_1", "column_2"))
                .containsEntry("row_count", 3L).containsEntry("used_range", "A1:B3");
    }

    @Test
    void numericColumns_haveExactStatsLikeCsv() {
        ProcessedContent c = process(OfficeFixtures.salesXlsx(), ProcessingLimits.defaults());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> numeric = (Map<String, Map<String, Object>>) sheets(c).get(0).get("numeric_columns");
        assertThat(numeric).containsOnlyKeys("Units", "Price");
        // Units: 10, 20, 30 and the total's cached 60
        assertThat(numeric.get("Units")).containsEntry("count", 4L).containsEntry("sum", 120L).containsEntry("min", 10L)
                .containsEntry("max", 60L).containsEntry("mean", 30.0);
        // Price: 2.5 + 3.25 + 0.1 + 5 exactly (no binary rounding in the sum)
        assertThat(numeric.get("Price")).containsEntry("count", 4L).containsEntry("sum", 10.85);
    }

    @Test
    void formulas_areNeverEvaluated_theCachedValueIsReported() {
        ProcessedContent c = process(OfficeFixtures.salesXlsx(), ProcessingLimits.defaults());
        assertThat(c.text()).contains("Total,60,5\n").doesNotContain("Total,60,2");
    }

    @Test
    void hiddenSheets_areFlagged_andTextIsCsvPerSheetWithSpans() {
        ProcessedContent c = process(OfficeFixtures.salesXlsx(), ProcessingLimits.defaults());
        assertThat(sheets(c).get(1)).containsEntry("hidden", true);
        assertThat(c.overview()).contains("'Secret' (hidden)");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> spans = (List<Map<String, Object>>) c.get("sheet_spans");
        assertThat(spans).extracting(s -> s.get("sheet")).containsExactly("Sales", "Secret", "Raw");
        String sales = c.text().substring((Integer) spans.get(0).get("start"), (Integer) spans.get(0).get("end"));
        assertThat(sales).isEqualTo("""
                ## Sheet: Sales
                Region,Units,Price,Day
                North,10,2.5,2024-01-02
                "South, East",20,3.25,2024-01-03
                West,30,0.1,2024-01-04
                Total,60,5
                """);
        String secret = c.text().substring((Integer) spans.get(1).get("start"), (Integer) spans.get(1).get("end"));
        assertThat(secret).startsWith("## Sheet: Secret (hidden)\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) c.get("info");
        assertThat(info).containsEntry("title", "Sales 2024").containsEntry("author", "Ada Lovelace")
                .containsKey("created");
    }

    @Test
    void millionRowSheet_streams_statsAreExact_textIsCapped(@TempDir Path dir) throws Exception {
        int rows = 1_000_000;
        Path file = dir.resolve("big.xlsx");
        OfficeFixtures.largeXlsx(file, rows);
        ProcessingInput input = new ProcessingInput("big.xlsx", OfficeFixtures.XLSX, Files.size(file), null, () -> Files.newInputStream(file), null);
        ProcessedContent c = processor.process(input, ProcessingLimits.builder().maxOutputChars(100_000).build());
        Map<String, Object> sheet = sheets(c).get(0);
        assertThat(sheet).containsEntry("row_count", (long) rows).containsEntry("used_range", "A1:C" + (rows + 1));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> numeric = (Map<String, Map<String, Object>>) sheet.get("numeric_columns");
        long n = rows;
        assertThat(numeric.get("id")).containsEntry("sum", n * (n + 1) / 2).containsEntry("max", n);
        assertThat(numeric.get("amount")).containsEntry("sum", n * (n + 1) / 4);
        assertThat(numeric).doesNotContainKey("label");
        assertThat(c.text()).hasSize(100_000);
        assertThat(c.get("truncated")).isEqualTo(true);

        // one row at a time: the same file is read in a child JVM whose whole heap is 64 MiB
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), XlsxInSmallHeap.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(child.waitFor()).as(output).isZero();
        assertThat(output).contains("ROWS " + rows + " SUM " + n * (n + 1) / 2);
    }

    @Test
    void sheetsBeyondMaxPages_areNotRead_andSaidSo() {
        ProcessedContent c = process(OfficeFixtures.salesXlsx(), ProcessingLimits.builder().maxPages(1).build());
        assertThat(sheets(c)).hasSize(1);
        assertThat(c.get("truncated")).isEqualTo(true);
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("only the first 1 of 3 sheets"));
    }

    @Test
    void encryptedWorkbook_isRefused_sayingItIsEncrypted() {
        byte[] encrypted = OfficeFixtures.encrypt(OfficeFixtures.salesXlsx(), "pw");
        assertThatThrownBy(() -> process(encrypted, ProcessingLimits.defaults()))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("encrypted");
    }

    @Test
    void truncatedWorkbook_isACorruptFileError() {
        byte[] xlsx = OfficeFixtures.salesXlsx();
        byte[] cut = java.util.Arrays.copyOf(xlsx, xlsx.length - 200);
        assertThatThrownBy(() -> process(cut, ProcessingLimits.defaults()))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("truncated or corrupt");
    }

}
