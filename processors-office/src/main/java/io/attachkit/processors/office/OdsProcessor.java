package io.attachkit.processors.office;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Extracts OpenDocument spreadsheets (ods) by streaming their {@code content.xml} with SAX into the same per-sheet
 * reader as {@link XlsxProcessor}, so the result has the same keys: {@code sheets} (name, index, hidden, used range,
 * header, columns, row count, preview, exact numeric statistics per column), a CSV {@code text} per sheet with
 * {@code sheet_spans}, {@code sheet_count}, {@code info}, {@code truncated}, {@code overview}. Cells hold their
 * cached values (formulas are never evaluated). Repeated rows and columns ({@code number-rows-repeated}) are
 * expanded only when they hold a value, at most {@value #MAX_REPEAT} times per element, so a file that repeats an
 * empty row a million times costs nothing. At most {@code maxPages} sheets are read. Thread-safe.
 */
public final class OdsProcessor extends OfficeProcessor {
    static final String MIME = "application/vnd.oasis.opendocument.spreadsheet";
    static final int MAX_REPEAT = 10_000;
    private static final String KIND = "OpenDocument spreadsheet";
    private static final String TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
    private static final String OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
    private static final String STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";

    /** Creates the processor. */
    public OdsProcessor() {
        super("ods", MIME);
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        String name = input.filename();
        Sheets sheets = new Sheets(name, new CappedText(limits.maxOutputChars()), limits.maxPages());
        return OdfPackage.read(input, ".ods", KIND, sheets, info -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("type", "spreadsheet");
            out.put("text", sheets.text.toString());
            out.put("overview", XlsxProcessor.overview("OpenDocument spreadsheet", info, sheets.count, sheets.summaries,
                    sheets.text.truncated()));
            out.put("sheet_count", sheets.count);
            out.put("sheets", sheets.summaries);
            out.put("sheet_spans", sheets.spans);
            if (!info.isEmpty()) {
                out.put("info", info);
            }
            out.put("truncated", sheets.text.truncated() || sheets.count > limits.maxPages());
            if (sheets.count > limits.maxPages()) {
                out.put("warnings", List.of("only the first " + limits.maxPages() + " of " + sheets.count + " sheets were read (maxPages)"));
            }
            return ProcessedContent.of(out);
        });
    }

    /** The SAX handler: table styles (for hidden sheets), then tables, rows and cells. */
    private static final class Sheets extends DefaultHandler {
        final String filename;
        final CappedText text;
        final int maxSheets;
        final List<Map<String, Object>> summaries = new ArrayList<>();
        final List<Map<String, Object>> spans = new ArrayList<>();
        final Set<String> hiddenStyles = new HashSet<>();
        int count;
        private String styleName;
        private SheetReader sheet;
        private String sheetName;
        private boolean hidden;
        private int start;
        private int rowNumber;
        private int rowRepeat;
        private int column;
        private final List<Object[]> cells = new ArrayList<>();
        private int cellRepeat;
        private String cellValue;
        private boolean cellNumeric;
        private final StringBuilder cellText = new StringBuilder();
        private boolean inCell;
        private int paragraphs;

        Sheets(String filename, CappedText text, int maxSheets) {
            this.filename = filename;
            this.text = text;
            this.maxSheets = maxSheets;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes a) {
            if (STYLE.equals(uri) && "style".equals(localName)) {
                styleName = a.getValue(STYLE, "name");
            } else if (STYLE.equals(uri) && "table-properties".equals(localName) && "false".equals(a.getValue(TABLE, "display"))) {
                hiddenStyles.add(styleName);
            } else if (TABLE.equals(uri) && "table".equals(localName)) {
                count++;
                if (count > maxSheets) {
                    return;
                }
                sheetName = a.getValue(TABLE, "name");
                hidden = hiddenStyles.contains(a.getValue(TABLE, "style-name"));
                text.block();
                start = text.length();
                text.append("## Sheet: " + sheetName + (hidden ? " (hidden)" : "") + "\n");
                sheet = new SheetReader(filename, text);
                rowNumber = 0;
            } else if (sheet != null && TABLE.equals(uri) && "table-row".equals(localName)) {
                rowRepeat = repeat(a.getValue(TABLE, "number-rows-repeated"));
                cells.clear();
                column = 0;
            } else if (sheet != null && TABLE.equals(uri) && ("table-cell".equals(localName) || "covered-table-cell".equals(localName))) {
                cellRepeat = repeat(a.getValue(TABLE, "number-columns-repeated"));
                String type = a.getValue(OFFICE, "value-type");
                cellNumeric = "float".equals(type) || "percentage".equals(type) || "currency".equals(type);
                cellValue = cellNumeric ? SheetReader.plainNumber(a.getValue(OFFICE, "value"))
                        : "date".equals(type) ? a.getValue(OFFICE, "date-value")
                        : "boolean".equals(type) ? ("true".equals(a.getValue(OFFICE, "boolean-value")) ? "TRUE" : "FALSE") : null;
                cellText.setLength(0);
                paragraphs = 0;
                inCell = true;
            } else if (inCell && "p".equals(localName) && paragraphs++ > 0) {
                cellText.append('\n');
            }
        }

        @Override
        public void characters(char[] ch, int s, int length) {
            if (inCell && cellText.length() < 32_767) {
                cellText.append(ch, s, Math.min(length, 32_767 - cellText.length()));
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            if (sheet == null || !TABLE.equals(uri)) {
                return;
            }
            switch (localName) {
                case "table-cell", "covered-table-cell" -> {
                    inCell = false;
                    String shown = cellValue != null ? cellValue : cellText.toString();
                    if (!shown.isEmpty()) {
                        for (int i = 0; i < cellRepeat && column + i < SheetReader.MAX_COLUMNS; i++) {
                            cells.add(new Object[] {column + i, shown, cellNumeric && cellValue != null});
                        }
                    }
                    column += cellRepeat;
                }
                case "table-row" -> {
                    if (cells.isEmpty()) {
                        rowNumber += rowRepeat;
                        return;
                    }
                    for (int r = 0, n = Math.min(rowRepeat, MAX_REPEAT); r < n; r++) {
                        sheet.beginRow(++rowNumber);
                        for (Object[] c : cells) {
                            sheet.cell((Integer) c[0], (String) c[1], (Boolean) c[2]);
                        }
                        sheet.finishRow();
                    }
                    rowNumber += Math.max(0, rowRepeat - MAX_REPEAT);
                }
                case "table" -> {
                    spans.add(Spans.span(start, text.length(), "sheet", sheetName));
                    Map<String, Object> summary = new LinkedHashMap<>();
                    summary.put("name", sheetName);
                    summary.put("index", count - 1);
                    summary.put("hidden", hidden);
                    summary.putAll(sheet.summary());
                    summaries.add(summary);
                    sheet = null;
                }
                default -> {
                }
            }
        }

        private static int repeat(String v) {
            try {
                return v == null ? 1 : Math.max(1, Math.min(10_000_000, Integer.parseInt(v.strip())));
            } catch (NumberFormatException e) {
                return 1;
            }
        }
    }
}
