package io.attachkit.processors.office;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.processors.internal.Texts;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ooxml.POIXMLProperties;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.model.StylesTable;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

/**
 * Summarises Excel workbooks (xlsx) sheet by sheet, streaming each sheet's XML with SAX (POI's
 * {@link XSSFReader} event model): a sheet of a million rows is never in memory.
 *
 * <p>Result keys: {@code type} = {@code spreadsheet}; {@code sheets}, one map per sheet in workbook order
 * with {@code name}, {@code index}, {@code hidden} ({@code true} for hidden and very hidden sheets),
 * {@code used_range} ({@code A1:C10}), {@code header} (whether the first row is a header: every value in it
 * is text), {@code columns} (the header's names, or {@code column_1}...), {@code row_count} (data rows),
 * {@code preview} (the first {@value SheetReader#PREVIEW_ROWS} data rows) and {@code numeric_columns}
 * (for each column whose values are all numbers: exact {@code count, sum, min, max, mean}, as CSV tables
 * get); {@code sheet_spans}, {@code {sheet, start, end}} where {@code text.substring(start, end)} is that
 * sheet as CSV under a {@code ## Sheet: name} line; {@code info} (title, author, created, modified);
 * {@code truncated}; {@code warnings}; {@code overview}.
 *
 * <p>Formulas are never evaluated: a formula cell's value is the result Excel cached in the file (absent
 * when the writer cached none). Dates are written as ISO dates. At most {@code maxPages} sheets and
 * {@value SheetReader#MAX_COLUMNS} columns per sheet are read; text stops at {@code maxOutputChars} while the
 * statistics go on to the last row. Memory holds the shared strings table (bounded by the file size) and
 * one row at a time. Encrypted workbooks, zip bombs, XML with DOCTYPEs and truncated files are refused with a
 * {@link ProcessingException}. Thread-safe.
 */
public final class XlsxProcessor extends OfficeProcessor {
    static final String MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static final String TEMPLATE = "application/vnd.openxmlformats-officedocument.spreadsheetml.template";
    private static final String KIND = "Excel workbook";

    /** Creates the processor. */
    public XlsxProcessor() {
        super("xlsx", MIME, TEMPLATE);
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        return OoxmlFiles.read(input, ".xlsx", KIND, pkg -> extract(input.filename(), pkg, input, limits));
    }

    private ProcessedContent extract(String name, OPCPackage pkg, ProcessingInput input, ProcessingLimits limits) throws Exception {
        XSSFReader reader = new XSSFReader(pkg);
        WorkbookIndex workbook = WorkbookIndex.read(reader);
        ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg, false);
        StylesTable styles = reader.getStylesTable();
        CappedText text = new CappedText(limits.maxOutputChars());
        List<Map<String, Object>> sheets = new ArrayList<>();
        List<Map<String, Object>> spans = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int toRead = Math.min(workbook.sheets().size(), limits.maxPages());
        if (toRead < workbook.sheets().size()) {
            warnings.add("only the first " + toRead + " of " + workbook.sheets().size() + " sheets were read (maxPages)");
        }
        for (int i = 0; i < toRead; i++) {
            WorkbookIndex.Sheet sheet = workbook.sheets().get(i);
            text.block();
            int start = text.length();
            text.append("## Sheet: " + sheet.name() + (sheet.hidden() ? " (hidden)" : "") + "\n");
            SheetReader rows = new SheetReader(name, strings, styles, workbook.date1904(), text);
            try (InputStream xml = reader.getSheet(sheet.relationId())) {
                XMLReader parser = XMLHelper.newXMLReader();
                parser.setContentHandler(rows);
                parser.parse(new InputSource(xml));
            }
            spans.add(Spans.span(start, text.length(), "sheet", sheet.name()));
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("name", sheet.name());
            summary.put("index", i);
            summary.put("hidden", sheet.hidden());
            summary.putAll(rows.summary());
            sheets.add(summary);
            if (rows.columnsDropped()) {
                warnings.add("sheet '" + sheet.name() + "': only the first " + SheetReader.MAX_COLUMNS + " columns were summarised");
            }
            input.listener().progress(name, "sheets", i + 1, toRead);
        }

        POIXMLProperties properties = new POIXMLProperties(pkg);
        Map<String, Object> info = OoxmlFiles.info(properties);
        info.remove("pages");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "spreadsheet");
        out.put("text", text.toString());
        out.put("overview", overview("Excel workbook", info, workbook.sheets().size(), sheets, text.truncated()));
        out.put("sheet_count", workbook.sheets().size());
        out.put("sheets", sheets);
        out.put("sheet_spans", spans);
        if (!info.isEmpty()) {
            out.put("info", info);
        }
        out.put("truncated", text.truncated() || toRead < workbook.sheets().size());
        if (!warnings.isEmpty()) {
            out.put("warnings", warnings);
        }
        return ProcessedContent.of(out);
    }

    @SuppressWarnings("unchecked")
    static String overview(String label, Map<String, Object> info, int sheetCount, List<Map<String, Object>> sheets, boolean truncated) {
        StringBuilder s = new StringBuilder(label);
        if (info.containsKey("title")) {
            s.append(" \"").append(info.get("title")).append('"');
        }
        s.append(" with ").append(Texts.plural(sheetCount, "sheet"));
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> sheet : sheets.subList(0, Math.min(10, sheets.size()))) {
            List<String> columns = (List<String>) sheet.get("columns");
            Map<String, Object> numeric = (Map<String, Object>) sheet.get("numeric_columns");
            StringBuilder p = new StringBuilder("'").append(sheet.get("name")).append("'");
            if (Boolean.TRUE.equals(sheet.get("hidden"))) {
                p.append(" (hidden)");
            }
            p.append(": ").append(Texts.plural((Long) sheet.get("row_count"), "row")).append(" x ")
                    .append(Texts.plural(columns.size(), "column"));
            if (!columns.isEmpty()) {
                p.append(" (").append(String.join(", ", columns.subList(0, Math.min(10, columns.size()))))
                        .append(columns.size() > 10 ? ", ..." : "").append(')');
            }
            if (!numeric.isEmpty()) {
                p.append(", numeric: ").append(String.join(", ", numeric.keySet()));
            }
            parts.add(p.toString());
        }
        s.append(": ").append(String.join("; ", parts)).append(sheets.size() > 10 ? "; ..." : "");
        if (truncated) {
            s.append(" (text truncated)");
        }
        return s.append('.').toString();
    }
}
