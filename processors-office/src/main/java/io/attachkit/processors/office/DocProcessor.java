package io.attachkit.processors.office;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.processors.internal.Texts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.poi.hwpf.HWPFDocument;
import org.apache.poi.hwpf.extractor.WordExtractor;
import org.apache.poi.hwpf.model.StyleDescription;
import org.apache.poi.hwpf.usermodel.Paragraph;
import org.apache.poi.hwpf.usermodel.Range;
import org.apache.poi.hwpf.usermodel.Table;
import org.apache.poi.hwpf.usermodel.TableCell;
import org.apache.poi.hwpf.usermodel.TableRow;

/**
 * Extracts the text of legacy Word documents (doc, Word 97-2003) with Apache POI's HWPF, with the same result keys
 * as {@link DocxProcessor}: {@code type} = {@code document}; {@code text}: the header ({@code [Header]}), the body
 * in reading order (tables row by row, cells separated by {@code " | "}), footnotes, endnotes and comments marked as
 * such, then the footer ({@code [Footer]}); {@code section_spans} for the paragraphs in heading styles;
 * {@code info} (title, author, created, modified, pages when the file states them); {@code paragraphs},
 * {@code tables}, {@code words}, {@code truncated}, {@code overview}. Text stops at {@code maxOutputChars};
 * password-protected files are refused as encrypted. Thread-safe.
 */
public final class DocProcessor extends OfficeProcessor {
    static final String MIME = "application/msword";
    private static final String KIND = "Word 97-2003 document";
    private static final Pattern HEADING_STYLE = Pattern.compile("(?i)heading\\s*([1-9])");

    /** Creates the processor. */
    public DocProcessor() {
        super("doc", MIME);
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        String name = input.filename();
        return Ole2Files.read(input, ".doc", KIND, fs -> {
            if (!fs.getRoot().hasEntry("WordDocument")) {
                throw new ProcessingException("'" + name + "' is an OLE2 file but not a " + KIND + ": it has no WordDocument stream");
            }
            HWPFDocument doc = new HWPFDocument(fs);
            return extract(name, doc, limits);
        });
    }

    private static ProcessedContent extract(String name, HWPFDocument doc, ProcessingLimits limits) {
        CappedText text = new CappedText(limits.maxOutputChars());
        WordExtractor extractor = new WordExtractor(doc);
        marked(text, "[Header] ", extractor.getHeaderText());
        Range range = doc.getRange();
        List<Map<String, Object>> sections = new ArrayList<>();
        int paragraphs = 0;
        int tables = 0;
        String heading = null;
        int level = 0;
        int sectionStart = -1;
        int count = range.numParagraphs();
        for (int i = 0; i < count && !text.full(); i++) {
            Texts.checkInterrupted(name);
            Paragraph p = range.getParagraph(i);
            if (p.isInTable()) {
                Table t = range.getTable(p);
                tables++;
                text.block();
                for (int r = 0; r < t.numRows() && !text.full(); r++) {
                    TableRow row = t.getRow(r);
                    List<String> cells = new ArrayList<>();
                    for (int c = 0; c < row.numCells(); c++) {
                        TableCell cell = row.getCell(c);
                        cells.add(clean(cell.text()).replaceAll("\\s*\\n\\s*", " / "));
                    }
                    text.line().append(String.join(" | ", cells));
                }
                i += Math.max(0, t.numParagraphs() - 1);
                continue;
            }
            String s = clean(finalText(p));
            if (s.isEmpty()) {
                continue;
            }
            paragraphs++;
            text.block();
            int l = headingLevel(doc, p);
            if (l > 0) {
                if (sectionStart >= 0) {
                    sections.add(Spans.span(sectionStart, text.length(), "heading", heading, "level", level));
                }
                heading = s.length() > 200 ? s.substring(0, 200) : s;
                level = l;
                sectionStart = text.length();
            }
            text.append(s);
        }
        if (text.full()) {
            text.markTruncated();
        }
        if (sectionStart >= 0) {
            sections.add(Spans.span(sectionStart, text.length(), "heading", heading, "level", level));
        }
        notes(text, "Footnote", extractor.getFootnoteText());
        notes(text, "Endnote", extractor.getEndnoteText());
        for (String comment : extractor.getCommentsText()) {
            marked(text, "[Comment] ", clean(comment));
        }
        marked(text, "[Footer] ", extractor.getFooterText());

        Map<String, Object> info = XlsProcessor.info(doc.getSummaryInformation());
        long words = Texts.countWords(text.toString());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "document");
        out.put("text", text.toString());
        StringBuilder overview = new StringBuilder("Word 97-2003 document");
        if (info.containsKey("title")) {
            overview.append(" \"").append(info.get("title")).append('"');
        }
        if (info.containsKey("author")) {
            overview.append(" by ").append(info.get("author"));
        }
        overview.append(", ").append(Texts.plural(words, "word")).append(", ").append(Texts.plural(paragraphs, "paragraph"));
        if (tables > 0) {
            overview.append(", ").append(Texts.plural(tables, "table"));
        }
        out.put("overview", overview.append(text.truncated() ? " (truncated)." : ".").toString());
        out.put("section_spans", sections);
        out.put("paragraphs", paragraphs);
        out.put("tables", tables);
        out.put("words", words);
        if (!info.isEmpty()) {
            out.put("info", info);
        }
        out.put("truncated", text.truncated());
        return ProcessedContent.of(out);
    }

    /** The paragraph's text with tracked deletions left out (insertions are kept: the final text). */
    private static String finalText(Paragraph p) {
        StringBuilder s = new StringBuilder();
        for (int r = 0; r < p.numCharacterRuns(); r++) {
            var run = p.getCharacterRun(r);
            if (!run.isMarkedDeleted()) {
                s.append(run.text());
            }
        }
        return s.toString();
    }

    private static void notes(CappedText text, String kind, String[] notes) {
        int n = 0;
        for (String note : notes) {
            String s = clean(note);
            if (!s.isEmpty()) {
                marked(text, "[" + kind + " " + (++n) + "] ", s);
            }
        }
    }

    private static void marked(CappedText text, String mark, String content) {
        Set<String> lines = new LinkedHashSet<>();
        for (String line : (content == null ? "" : content).split("[\\r\\n]+")) {
            if (!clean(line).isEmpty()) {
                lines.add(clean(line));
            }
        }
        if (!lines.isEmpty()) {
            text.block().append(mark).append(String.join("\n", lines));
        }
    }

    /** Word's control characters: cell and row marks (7), field codes (19-21) stripped, paragraph marks trimmed. */
    private static String clean(String s) {
        return s == null ? "" : Range.stripFields(s).replaceAll("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]", "").strip();
    }

    private static int headingLevel(HWPFDocument doc, Paragraph p) {
        StyleDescription style = doc.getStyleSheet() == null ? null : doc.getStyleSheet().getStyleDescription(p.getStyleIndex());
        if (style != null && style.getName() != null) {
            String n = style.getName().toLowerCase(Locale.ROOT);
            if (n.equals("title")) {
                return 1;
            }
            Matcher m = HEADING_STYLE.matcher(n);
            if (m.matches()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return 0; // the paragraph's own outline level is left out: files written by other tools leave it 0 on body text
    }
}
