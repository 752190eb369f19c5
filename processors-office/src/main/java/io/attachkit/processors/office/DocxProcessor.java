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
import org.apache.poi.xwpf.usermodel.IBodyElement;
import org.apache.poi.xwpf.usermodel.IRunElement;
import org.apache.poi.xwpf.usermodel.XWPFAbstractFootnoteEndnote;
import org.apache.poi.xwpf.usermodel.XWPFComment;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFHeaderFooter;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFRun;
import org.apache.poi.xwpf.usermodel.XWPFSDT;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableCell;
import org.apache.poi.xwpf.usermodel.XWPFTableRow;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STFtnEdn;

/**
 * Extracts the text of Word documents (docx) with Apache POI's XWPF.
 *
 * <p>Result keys: {@code type} = {@code document}; {@code text}: the headers (each marked {@code [Header]}),
 * the body in reading order (paragraphs, and tables row by row with cells separated by {@code " | "}), then
 * footnotes ({@code [Footnote n]}), endnotes ({@code [Endnote n]}), comments ({@code [Comment by author]})
 * and footers ({@code [Footer]}); tracked changes count as accepted (inserted text kept, deleted text
 * left out). {@code section_spans}: for every heading, {@code {heading, level, start, end}}, where
 * {@code text.substring(start, end)} is the heading and its section up to the next heading; {@code info}
 * (title, author, subject, keywords, created, modified, pages when the file states them); {@code paragraphs},
 * {@code tables}, {@code words}, {@code truncated}, {@code overview}.
 *
 * <p>Reads a temporary copy of the file; text stops at {@code maxOutputChars}. Encrypted documents, zip
 * bombs, XML with DOCTYPEs (entity expansion, XXE) and truncated files are refused with a
 * {@link ProcessingException} that says which. XWPF holds the document's XML in memory, which the storage
 * size limit bounds. Thread-safe.
 *
 * <pre>{@code
 * ProcessedContent c = new DocxProcessor().process(input, ProcessingLimits.defaults());
 * }</pre>
 */
public final class DocxProcessor extends OfficeProcessor {
    static final String MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    private static final String TEMPLATE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template";
    private static final Pattern HEADING_STYLE = Pattern.compile("(?i)heading\\s*([1-9])");
    private static final String KIND = "Word document";
    private static final Pattern NOTE_REFERENCE = Pattern.compile("\\[(footnote|endnote)Ref:(\\d+)\\]");

    /** Creates the processor. */
    public DocxProcessor() {
        super("docx", MIME, TEMPLATE);
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        String name = input.filename();
        return OoxmlFiles.read(input, ".docx", KIND, pkg -> {
            try (XWPFDocument doc = new XWPFDocument(pkg)) {
                return extract(name, doc, limits);
            }
        });
    }

    private ProcessedContent extract(String name, XWPFDocument doc, ProcessingLimits limits) {
        CappedText text = new CappedText(limits.maxOutputChars());
        Set<String> seen = new LinkedHashSet<>();
        for (XWPFHeaderFooter header : doc.getHeaderList()) {
            marked(text, "[Header] ", header.getText(), seen);
        }
        Body body = new Body(doc, text);
        for (IBodyElement element : doc.getBodyElements()) {
            if (text.full()) {
                text.markTruncated();
                break;
            }
            body.add(element);
            Texts.checkInterrupted(name);
        }
        body.closeSection();
        notes(text, "Footnote", doc.getFootnotes());
        notes(text, "Endnote", doc.getEndnotes());
        XWPFComment[] comments = doc.getComments();
        for (XWPFComment comment : comments == null ? new XWPFComment[0] : comments) {
            String author = comment.getAuthor() == null || comment.getAuthor().isBlank() ? "" : " by " + comment.getAuthor().strip();
            marked(text, "[Comment" + author + "] ", comment.getText(), null);
        }
        seen.clear();
        for (XWPFHeaderFooter footer : doc.getFooterList()) {
            marked(text, "[Footer] ", footer.getText(), seen);
        }

        Map<String, Object> info = OoxmlFiles.info(doc.getProperties());
        long words = Texts.countWords(text.toString());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "document");
        out.put("text", text.toString());
        out.put("overview", overview(info, body, words, text.truncated()));
        out.put("section_spans", body.sections);
        out.put("paragraphs", body.paragraphs);
        out.put("tables", body.tables);
        out.put("words", words);
        if (!info.isEmpty()) {
            out.put("info", info);
        }
        out.put("truncated", text.truncated());
        return ProcessedContent.of(out);
    }

    /** Appends a marked block (header, footer, comment), skipping blanks and, with {@code seen}, repeats. */
    private static void marked(CappedText text, String mark, String content, Set<String> seen) {
        String s = content == null ? "" : content.strip();
        if (s.isEmpty() || (seen != null && !seen.add(s))) {
            return;
        }
        text.block().append(mark).append(s);
    }

    private static void notes(CappedText text, String kind, List<? extends XWPFAbstractFootnoteEndnote> notes) {
        int n = 0;
        for (XWPFAbstractFootnoteEndnote note : notes) {
            var type = note.getCTFtnEdn().isSetType() ? note.getCTFtnEdn().getType() : STFtnEdn.NORMAL;
            if (type != STFtnEdn.NORMAL) {
                continue; // the separator lines Word keeps as notes
            }
            n++;
            StringBuilder s = new StringBuilder();
            for (XWPFParagraph p : note.getParagraphs()) {
                if (!p.getText().isBlank()) {
                    s.append(s.length() > 0 ? "\n" : "").append(p.getText().strip());
                }
            }
            marked(text, "[" + kind + " " + n + "] ", s.toString(), null);
        }
    }

    private static String overview(Map<String, Object> info, Body body, long words, boolean truncated) {
        StringBuilder s = new StringBuilder("Word document");
        if (info.containsKey("title")) {
            s.append(" \"").append(info.get("title")).append('"');
        }
        if (info.containsKey("author")) {
            s.append(" by ").append(info.get("author"));
        }
        if (info.get("pages") instanceof Integer pages && pages > 0) {
            s.append(", ").append(Texts.plural(pages, "page"));
        }
        s.append(", ").append(Texts.plural(words, "word")).append(", ").append(Texts.plural(body.paragraphs, "paragraph"));
        if (body.tables > 0) {
            s.append(", ").append(Texts.plural(body.tables, "table"));
        }
        if (!body.sections.isEmpty()) {
            List<String> headings = new ArrayList<>();
            for (Map<String, Object> section : body.sections.subList(0, Math.min(10, body.sections.size()))) {
                headings.add((String) section.get("heading"));
            }
            s.append("; headings: ").append(String.join("; ", headings)).append(body.sections.size() > 10 ? "; ..." : "");
        }
        if (truncated) {
            s.append(" (truncated)");
        }
        return s.append('.').toString();
    }

    /** The body in reading order, with the open heading's section. */
    private static final class Body {
        private final XWPFDocument doc;
        private final CappedText text;
        final List<Map<String, Object>> sections = new ArrayList<>();
        int paragraphs;
        int tables;
        private String heading;
        private int level;
        private int sectionStart = -1;

        Body(XWPFDocument doc, CappedText text) {
            this.doc = doc;
            this.text = text;
        }

        void add(IBodyElement element) {
            if (element instanceof XWPFParagraph p) {
                paragraph(p);
            } else if (element instanceof XWPFTable t) {
                tables++;
                text.block();
                table(t);
            } else if (element instanceof XWPFSDT sdt) {
                String s = sdt.getContent().getText().strip();
                if (!s.isEmpty()) {
                    text.block().append(s);
                }
            }
        }

        private void paragraph(XWPFParagraph p) {
            String s = paragraphText(p).strip();
            if (s.isEmpty()) {
                return;
            }
            paragraphs++;
            text.block();
            int level = headingLevel(p);
            if (level > 0) {
                closeSection();
                heading = s.length() > 200 ? s.substring(0, 200) : s;
                this.level = level;
                sectionStart = text.length();
            }
            text.append(s);
        }

        private void table(XWPFTable t) {
            for (XWPFTableRow row : t.getRows()) {
                List<String> cells = new ArrayList<>();
                for (XWPFTableCell cell : row.getTableCells()) {
                    cells.add(cell.getText().strip().replaceAll("\\s*\\n\\s*", " / "));
                }
                text.line().append(String.join(" | ", cells));
                if (text.full()) {
                    return;
                }
            }
        }

        /**
         * The paragraph's runs (tracked insertions included, deletions left out), with
         * footnote and endnote references as {@code [^n]}; POI's own {@code getText()} would inline the notes.
         */
        private String paragraphText(XWPFParagraph p) {
            StringBuilder s = new StringBuilder();
            Set<Object> deleted = deletedRuns(p);
            for (IRunElement run : p.getIRuns()) {
                if (run instanceof XWPFRun r && !deleted.contains(r.getCTR())) {
                    s.append(NOTE_REFERENCE.matcher(r.text()).replaceAll("[^$2]"));
                } else if (run instanceof XWPFSDT sdt) {
                    s.append(sdt.getContent().getText());
                }
            }
            return s.toString();
        }

        /**
         * The runs inside tracked deletions ({@code w:del}) and move sources: not in the final text. Collected
         * from the paragraph's XML beans by identity (asking each run for its DOM parent is much slower).
         */
        private static Set<Object> deletedRuns(XWPFParagraph p) {
            var ctp = p.getCTP();
            if (ctp.sizeOfDelArray() == 0 && ctp.sizeOfMoveFromArray() == 0) {
                return Set.of();
            }
            Set<Object> runs = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (var del : ctp.getDelList()) {
                runs.addAll(del.getRList());
            }
            for (var move : ctp.getMoveFromList()) {
                runs.addAll(move.getRList());
            }
            return runs;
        }

        void closeSection() {
            if (sectionStart >= 0) {
                sections.add(Spans.span(sectionStart, text.length(), "heading", heading, "level", level));
                sectionStart = -1;
            }
        }

        /** @return the heading level (1-9) from the paragraph's style or outline level, or 0 for body text */
        private int headingLevel(XWPFParagraph p) {
            String styleId = p.getStyleID();
            if (styleId != null) {
                if (styleId.equalsIgnoreCase("Title")) {
                    return 1;
                }
                Matcher m = HEADING_STYLE.matcher(styleId);
                if (m.matches()) {
                    return Integer.parseInt(m.group(1));
                }
                XWPFStyle style = doc.getStyles() == null ? null : doc.getStyles().getStyle(styleId);
                if (style != null && style.getName() != null) {
                    Matcher byName = HEADING_STYLE.matcher(style.getName().toLowerCase(Locale.ROOT));
                    if (byName.matches()) {
                        return Integer.parseInt(byName.group(1));
                    }
                }
            }
            var ppr = p.getCTP().getPPr();
            if (ppr != null && ppr.getOutlineLvl() != null && ppr.getOutlineLvl().getVal() != null) {
                int outline = ppr.getOutlineLvl().getVal().intValue();
                return outline >= 0 && outline < 9 ? outline + 1 : 0;
            }
            return 0;
        }
    }
}
