package io.attachkit.processors.office;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.hpsf.SummaryInformation;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.ss.formula.eval.ErrorEval;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.NumberToTextConverter;

/**
 * Summarises legacy Excel workbooks (xls, BIFF8) with Apache POI's HSSF, with the same result keys as
 * {@link XlsxProcessor}: {@code sheets} (name, hidden, used range, header, columns, row count, preview,
 * exact numeric statistics), CSV {@code text} per sheet with {@code sheet_spans}, {@code info}.
 *
 * <p>Formulas are never evaluated: their cached results are reported. An xls sheet holds at most 65,536 rows
 * of 256 columns, so POI's in-memory model is bounded by the format (and the file by the storage limit).
 * Password-protected workbooks are refused as encrypted. Thread-safe.
 */
public final class XlsProcessor extends OfficeProcessor {
    static final String MIME = "application/vnd.ms-excel";
    private static final String KIND = "Excel 97-2003 workbook";

    /** Creates the processor. */
    public XlsProcessor() {
        super("xls", MIME);
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        return Ole2Files.read(input, ".xls", KIND, fs -> {
            try (HSSFWorkbook wb = new HSSFWorkbook(fs.getRoot(), false)) {
                return extract(input.filename(), wb, limits);
            }
        });
    }

    private ProcessedContent extract(String name, HSSFWorkbook wb, ProcessingLimits limits) {
        CappedText text = new CappedText(limits.maxOutputChars());
        List<Map<String, Object>> sheets = new ArrayList<>();
        List<Map<String, Object>> spans = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int count = wb.getNumberOfSheets();
        int toRead = Math.min(count, limits.maxPages());
        if (toRead < count) {
            warnings.add("only the first " + toRead + " of " + count + " sheets were read (maxPages)");
        }
        for (int i = 0; i < toRead; i++) {
            Sheet sheet = wb.getSheetAt(i);
            boolean hidden = wb.isSheetHidden(i) || wb.isSheetVeryHidden(i);
            text.block();
            int start = text.length();
            text.append("## Sheet: " + sheet.getSheetName() + (hidden ? " (hidden)" : "") + "\n");
            SheetReader rows = new SheetReader(name, text);
            for (Row row : sheet) {
                rows.beginRow(row.getRowNum() + 1);
                for (Cell cell : row) {
                    String[] shown = value(cell, cell.getCellType());
                    if (shown != null) {
                        rows.cell(cell.getColumnIndex(), shown[0], shown[1] != null);
                    }
                }
                rows.finishRow();
            }
            spans.add(Spans.span(start, text.length(), "sheet", sheet.getSheetName()));
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("name", sheet.getSheetName());
            summary.put("index", i);
            summary.put("hidden", hidden);
            summary.putAll(rows.summary());
            sheets.add(summary);
        }
        Map<String, Object> info = info(wb.getSummaryInformation());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "spreadsheet");
        out.put("text", text.toString());
        out.put("overview", XlsxProcessor.overview("Excel 97-2003 workbook", info, count, sheets, text.truncated()));
        out.put("sheet_count", count);
        out.put("sheets", sheets);
        out.put("sheet_spans", spans);
        if (!info.isEmpty()) {
            out.put("info", info);
        }
        out.put("truncated", text.truncated() || toRead < count);
        if (!warnings.isEmpty()) {
            out.put("warnings", warnings);
        }
        return ProcessedContent.of(out);
    }

    /** @return {text, non-null if numeric} for a cell, or {@code null} for a blank one; formulas by their cached result */
    private static String[] value(Cell cell, CellType type) {
        return switch (type) {
            case NUMERIC -> DateUtil.isCellDateFormatted(cell) && DateUtil.isValidExcelDate(cell.getNumericCellValue())
                    ? new String[] {iso(cell), null}
                    : new String[] {SheetReader.plainNumber(NumberToTextConverter.toText(cell.getNumericCellValue())), "n"};
            case STRING -> new String[] {cell.getStringCellValue(), null};
            case BOOLEAN -> new String[] {cell.getBooleanCellValue() ? "TRUE" : "FALSE", null};
            case ERROR -> new String[] {ErrorEval.getText(cell.getErrorCellValue()), null};
            case FORMULA -> value(cell, cell.getCachedFormulaResultType());
            default -> null;
        };
    }

    private static String iso(Cell cell) {
        var t = cell.getLocalDateTimeCellValue();
        return t.toLocalTime().toSecondOfDay() == 0 ? t.toLocalDate().toString() : t.toString();
    }

    static Map<String, Object> info(SummaryInformation si) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (si == null) {
            return m;
        }
        OoxmlFiles.putText(m, "title", si.getTitle());
        OoxmlFiles.putText(m, "author", si.getAuthor());
        OoxmlFiles.putText(m, "subject", si.getSubject());
        OoxmlFiles.putText(m, "keywords", si.getKeywords());
        OoxmlFiles.putText(m, "last_modified_by", si.getLastAuthor());
        OoxmlFiles.putDate(m, "created", si.getCreateDateTime());
        OoxmlFiles.putDate(m, "modified", si.getLastSaveDateTime());
        OoxmlFiles.putText(m, "application", si.getApplicationName());
        return m;
    }
}
