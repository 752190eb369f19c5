package io.attachkit.processors;

import io.attachkit.processors.internal.ColumnStats;
import io.attachkit.processors.internal.Texts;
import io.attachkit.ContentProcessor;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Summarises CSV and TSV tables with Apache Commons CSV, streaming record by record.
 *
 * <p>Result keys: {@code type} = {@code table}; {@code delimiter}; {@code columns} (names from the first
 * row, or {@code column_1}... when the first row is numeric); {@code row_count} (data rows);
 * {@code preview} (the first {@value #PREVIEW_ROWS} rows, each a list of strings); {@code numeric_columns}:
 * for each column whose non-empty values are all numbers, {@code {count, sum, min, max, mean}} (exact
 * decimal sums); {@code ragged_rows} (rows with another number of fields); {@code charset}; {@code text}
 * (the table as text, capped at the output limit, with {@code truncated}); {@code overview}.
 *
 * <p>Memory stays bounded whatever the row count: only the preview and one accumulator per column are
 * kept, and at most {@value #MAX_COLUMNS} columns are summarised. Malformed CSV (an unclosed quote) is a
 * {@link ProcessingException}. Thread-safe.
 */
public final class TableProcessor implements ContentProcessor {
    static final int PREVIEW_ROWS = 5;
    static final int MAX_COLUMNS = 1_000;

    /** Creates the processor. */
    public TableProcessor() {
    }

    @Override
    public String name() {
        return "table";
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public boolean supports(String mimeType) {
        return "text/csv".equals(mimeType) || "text/tab-separated-values".equals(mimeType);
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        String name = input.filename();
        boolean tsv = "text/tab-separated-values".equals(input.mimeType()) || name.toLowerCase().endsWith(".tsv");
        char delimiter = tsv ? '\t' : ',';
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(false).get();
        try {
            CharsetSniffer.Detected charset = CharsetSniffer.detect(input::open, limits.maxOutputChars());
            List<String> columns = new ArrayList<>();
            List<List<String>> preview = new ArrayList<>();
            List<ColumnStats> stats = new ArrayList<>();
            long rows = 0;
            long ragged = 0;
            try (Reader reader = CharsetSniffer.reader(input::open, charset)) {
                Iterator<CSVRecord> it = format.parse(reader).iterator();
                if (it.hasNext()) {
                    CSVRecord first = it.next();
                    List<String> values = first.toList();
                    boolean header = values.stream().noneMatch(v -> ColumnStats.parse(v.strip().isEmpty() ? "x" : v.strip()) != null);
                    for (int i = 0; i < Math.min(values.size(), MAX_COLUMNS); i++) {
                        columns.add(header ? values.get(i).strip() : "column_" + (i + 1));
                        stats.add(new ColumnStats());
                    }
                    if (!header) {
                        rows++;
                        accumulate(values, stats, preview);
                    }
                }
                while (it.hasNext()) {
                    CSVRecord record = it.next();
                    rows++;
                    if (record.size() != columns.size()) {
                        ragged++;
                    }
                    accumulate(record.toList(), stats, preview);
                    if ((rows & 0x3fff) == 0) {
                        Texts.checkInterrupted(name);
                    }
                }
            } catch (UncheckedIOException e) {
                throw new ProcessingException("'" + name + "' is not valid " + (tsv ? "TSV" : "CSV") + ": " + e.getCause().getMessage(), e);
            }
            StringBuilder text = new StringBuilder();
            boolean truncated = TextProcessor.readCapped(input, charset, limits.maxOutputChars(), text);

            Map<String, Object> numeric = new LinkedHashMap<>();
            List<String> briefs = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                if (stats.get(i).isNumeric()) {
                    numeric.put(columns.get(i), stats.get(i).toMap());
                    briefs.add(columns.get(i) + " (" + stats.get(i).brief() + ")");
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("type", "table");
            out.put("text", text.toString());
            out.put("delimiter", String.valueOf(delimiter));
            out.put("columns", columns);
            out.put("row_count", rows);
            out.put("preview", preview);
            out.put("numeric_columns", numeric);
            if (ragged > 0) {
                out.put("ragged_rows", ragged);
            }
            out.put("charset", charset.charset().name());
            out.put("truncated", truncated);
            out.put("overview", (tsv ? "TSV" : "CSV") + " table with " + Texts.plural(rows, "row") + " and "
                    + Texts.plural(columns.size(), "column") + " (" + String.join(", ", columns.subList(0, Math.min(20, columns.size())))
                    + (columns.size() > 20 ? ", ..." : "") + ")"
                    + (briefs.isEmpty() ? "; no numeric columns" : "; numeric columns: " + String.join("; ", briefs)) + ".");
            return ProcessedContent.of(out);
        } catch (IOException e) {
            throw new ProcessingException("Reading the table '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    private static void accumulate(List<String> values, List<ColumnStats> stats, List<List<String>> preview) {
        for (int i = 0; i < Math.min(values.size(), stats.size()); i++) {
            stats.get(i).add(values.get(i));
        }
        if (preview.size() < PREVIEW_ROWS) {
            preview.add(List.copyOf(values.subList(0, Math.min(values.size(), MAX_COLUMNS))));
        }
    }
}
