package io.attachkit.processors.office;

import io.attachkit.processors.internal.ColumnStats;
import io.attachkit.processors.internal.Texts;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads one worksheet's XML as SAX events, a row at a time: writes each row as a CSV line into the text
 * (until it is full) and keeps only the header, a few preview rows and one {@link ColumnStats} per column.
 * Values are the cached ones; formulas are not evaluated. Not thread-safe: one per sheet.
 */
final class SheetReader extends DefaultHandler {
    static final int PREVIEW_ROWS = 5;
    static final int MAX_COLUMNS = 1_000;
    /** Excel's own limit of characters in a cell; more is not kept. */
    private static final int MAX_CELL_CHARS = 32_767;

    private final String filename;
    private final ReadOnlySharedStringsTable strings;
    private final StylesTable styles;
    private final boolean date1904;
    private final CappedText text;
    private final Map<Integer, Boolean> dateStyles = new HashMap<>();

    // the current cell and row
    private final StringBuilder value = new StringBuilder();
    private boolean inValue;
    private boolean inInlineText;
    private String cellType;
    private int cellStyle;
    private int column;
    private int nextColumn;
    private String[] row = new String[16];
    private boolean[] numericCells = new boolean[16];
    private int rowWidth;
    private int rowNumber;

    // the sheet so far
    private boolean seenFirstRow;
    private boolean header;
    private final List<String> columns = new ArrayList<>();
    private final List<ColumnStats> stats = new ArrayList<>();
    private final List<List<String>> preview = new ArrayList<>();
    private long dataRows;
    private boolean columnsDropped;
    private int minRow = Integer.MAX_VALUE;
    private int maxRow = -1;
    private int minColumn = Integer.MAX_VALUE;
    private int maxColumn = -1;

    /** A reader fed by {@link #beginRow}, {@link #cell} and {@link #finishRow} rather than by SAX. */
    SheetReader(String filename, CappedText text) {
        this(filename, null, null, false, text);
    }

    SheetReader(String filename, ReadOnlySharedStringsTable strings, StylesTable styles, boolean date1904, CappedText text) {
        this.filename = filename;
        this.strings = strings;
        this.styles = styles;
        this.date1904 = date1904;
        this.text = text;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes a) {
        switch (localName) {
            case "row" -> {
                String r = a.getValue("r");
                beginRow(r != null ? parseInt(r, rowNumber + 1) : rowNumber + 1);
            }
            case "c" -> {
                String ref = a.getValue("r");
                column = ref != null ? columnOf(ref, nextColumn) : nextColumn;
                nextColumn = column + 1;
                cellType = a.getValue("t");
                String s = a.getValue("s");
                cellStyle = s == null ? 0 : parseInt(s, 0);
                value.setLength(0);
            }
            case "v" -> inValue = true;
            case "t" -> inInlineText = "inlineStr".equals(cellType);
            default -> {
            }
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
        if ((inValue || inInlineText) && value.length() < MAX_CELL_CHARS) {
            value.append(ch, start, Math.min(length, MAX_CELL_CHARS - value.length()));
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        switch (localName) {
            case "v" -> inValue = false;
            case "t" -> inInlineText = false;
            case "c" -> endCell();
            case "row" -> finishRow();
            default -> {
            }
        }
    }

    /** Starts row {@code number} (1-based), for readers that feed rows themselves (xls). */
    void beginRow(int number) {
        rowNumber = number;
        rowWidth = 0;
        nextColumn = 0;
    }

    private void endCell() {
        String v = value.toString();
        boolean numeric = false;
        String shown;
        if (cellType == null || "n".equals(cellType)) {
            String date = v.isEmpty() ? null : dateOf(v);
            numeric = date == null && !v.isEmpty();
            shown = date != null ? date : plainNumber(v);
        } else {
            shown = switch (cellType) {
                case "s" -> sharedString(v);
                case "b" -> "1".equals(v.strip()) ? "TRUE" : "FALSE";
                default -> v; // str (a formula's cached text), inlineStr, e (an error such as #DIV/0!), d (ISO date)
            };
        }
        cell(column, shown, numeric);
    }

    /**
     * Adds a cell of the current row.
     *
     * @param column the 0-based column
     * @param shown the value as text (a number as plain decimal text)
     * @param numeric whether it is a number cell
     */
    void cell(int column, String shown, boolean numeric) {
        if (column >= MAX_COLUMNS) {
            columnsDropped |= !shown.isEmpty();
            return;
        }
        if (shown.isEmpty()) {
            return;
        }
        if (column >= row.length) {
            int size = Math.min(MAX_COLUMNS, Math.max(column + 1, row.length * 2));
            row = Arrays.copyOf(row, size);
            numericCells = Arrays.copyOf(numericCells, size);
        }
        for (int i = rowWidth; i < column; i++) {
            row[i] = null;
            numericCells[i] = false;
        }
        row[column] = shown;
        numericCells[column] = numeric;
        rowWidth = Math.max(rowWidth, column + 1);
        minColumn = Math.min(minColumn, column);
        maxColumn = Math.max(maxColumn, column);
    }

    /** Ends the current row: header detection, statistics, preview and its CSV line. */
    void finishRow() {
        if (rowWidth == 0) {
            return;
        }
        minRow = Math.min(minRow, rowNumber);
        maxRow = Math.max(maxRow, rowNumber);
        if (!seenFirstRow) {
            seenFirstRow = true;
            header = true;
            for (int i = 0; i < rowWidth; i++) {
                if (row[i] != null && (numericCells[i] || ColumnStats.parse(row[i].strip().isEmpty() ? "x" : row[i].strip()) != null)) {
                    header = false;
                }
            }
            if (header) {
                for (int i = 0; i < rowWidth; i++) {
                    columns.add(row[i] == null || row[i].isBlank() ? "column_" + (i + 1) : row[i].strip());
                    stats.add(new ColumnStats());
                }
                writeLine();
                clearRow();
                return;
            }
        }
        while (columns.size() < rowWidth) {
            columns.add("column_" + (columns.size() + 1));
            stats.add(new ColumnStats());
        }
        dataRows++;
        for (int i = 0; i < columns.size(); i++) {
            stats.get(i).add(i < rowWidth ? row[i] : null);
        }
        if (preview.size() < PREVIEW_ROWS) {
            List<String> values = new ArrayList<>(rowWidth);
            for (int i = 0; i < rowWidth; i++) {
                values.add(row[i] == null ? "" : row[i]);
            }
            preview.add(values);
        }
        writeLine();
        clearRow();
        if ((dataRows & 0xfff) == 0) {
            Texts.checkInterrupted(filename);
        }
    }

    private void clearRow() {
        Arrays.fill(row, 0, rowWidth, null);
        Arrays.fill(numericCells, 0, rowWidth, false);
        rowWidth = 0;
    }

    private void writeLine() {
        if (text.full()) {
            text.markTruncated();
            return;
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < rowWidth; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(csv(row[i]));
        }
        text.append(line.append('\n'));
    }

    /** @return the summary keys of this sheet */
    Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("used_range", maxRow < 0 ? null : new CellReference(minRow - 1, minColumn).formatAsString(false) + ":"
                + new CellReference(maxRow - 1, maxColumn).formatAsString(false));
        m.put("header", header);
        m.put("columns", List.copyOf(columns));
        m.put("row_count", dataRows);
        m.put("preview", preview);
        Map<String, Object> numeric = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            if (stats.get(i).isNumeric()) {
                numeric.put(columns.get(i), stats.get(i).toMap());
            }
        }
        m.put("numeric_columns", numeric);
        return m;
    }

    boolean columnsDropped() {
        return columnsDropped;
    }

    private String sharedString(String index) {
        int i = parseInt(index.strip(), -1);
        if (i < 0 || i >= strings.getCount()) {
            return "";
        }
        return strings.getItemAt(i).getString();
    }

    /** @return the ISO date (or date-time) of a number in a date-formatted cell, or {@code null} */
    private String dateOf(String v) {
        if (!isDateStyle(cellStyle)) {
            return null;
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return null;
        }
        if (!DateUtil.isValidExcelDate(d)) {
            return null;
        }
        LocalDateTime t = DateUtil.getLocalDateTime(d, date1904);
        return t.toLocalTime().toSecondOfDay() == 0 ? t.toLocalDate().toString() : t.toString();
    }

    private boolean isDateStyle(int index) {
        if (styles == null || index <= 0 && styles.getNumCellStyles() == 0) {
            return false;
        }
        return dateStyles.computeIfAbsent(index, i -> {
            if (i >= styles.getNumCellStyles()) {
                return false;
            }
            XSSFCellStyle style = styles.getStyleAt(i);
            return style != null && DateUtil.isADateFormat(style.getDataFormat(), style.getDataFormatString());
        });
    }

    /** @return a number as plain decimal text ({@code 0.001}, not {@code 1.0E-3}); other text unchanged */
    static String plainNumber(String v) {
        String s = v.strip();
        BigDecimal d = s.isEmpty() ? null : ColumnStats.parse(s);
        if (d == null) {
            return v;
        }
        BigDecimal stripped = d.stripTrailingZeros();
        return Math.abs(stripped.scale()) <= 30 ? stripped.toPlainString() : s;
    }

    private static String csv(String v) {
        if (v == null) {
            return "";
        }
        boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
        return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }

    private static int columnOf(String ref, int fallback) {
        int col = 0;
        int i = 0;
        while (i < ref.length() && Character.isLetter(ref.charAt(i)) && i < 4) {
            col = col * 26 + (Character.toUpperCase(ref.charAt(i)) - 'A' + 1);
            i++;
        }
        return i == 0 ? fallback : col - 1;
    }

    private static int parseInt(String s, int fallback) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
