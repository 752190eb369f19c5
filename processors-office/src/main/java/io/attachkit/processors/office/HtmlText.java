package io.attachkit.processors.office;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.parser.Parser;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * HTML to text in reading order with jsoup: parses from a stream (never fetching anything: jsoup resolves no
 * resource while parsing), drops what a reader does not see (script, style, template, noscript, hidden
 * elements), keeps paragraphs and list items on their own lines and table rows as {@code a | b}, and
 * collects the headings (with their sections' offsets), links and meta description. Used by the HTML and
 * email processors. Not thread-safe: one per document.
 */
final class HtmlText {
    /** Deeper elements are flattened into their ancestor by jsoup, so 100,000 nested tags cost no stack. */
    static final int MAX_DEPTH = 256;
    static final int MAX_LINKS = 1_000;
    private static final Set<String> BLOCKS = Set.of("address", "article", "aside", "blockquote", "dd", "details",
            "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
            "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tr",
            "ul", "caption", "body", "title");
    private static final String INVISIBLE = "script, style, template, noscript, iframe, object, embed, "
            + "[hidden], [aria-hidden=true], [style~=(?i)display\\s*:\\s*none], [style~=(?i)visibility\\s*:\\s*hidden]";

    final Document doc;
    final CappedText text;
    final List<Map<String, Object>> sections = new ArrayList<>();
    final List<Map<String, Object>> links = new ArrayList<>();
    int linkCount;
    private String heading;
    private int level;
    private int sectionStart = -1;

    private HtmlText(Document doc, int maxChars) {
        this.doc = doc;
        this.text = new CappedText(maxChars);
    }

    /**
     * @param in the HTML; read to its end, not closed
     * @param charset the charset a header declared, or {@code null} to take it from the BOM or a meta tag (else UTF-8)
     * @param maxChars the most characters of text
     */
    static HtmlText read(InputStream in, String charset, int maxChars) throws IOException {
        Parser parser = Parser.htmlParser().setMaxDepth(MAX_DEPTH);
        Document doc = Jsoup.parse(in, charset, "", parser);
        HtmlText t = new HtmlText(doc, maxChars);
        t.extract();
        return t;
    }

    String title() {
        return doc.title().strip();
    }

    String description() {
        Element meta = doc.selectFirst("meta[name=description]");
        return meta == null ? "" : meta.attr("content").strip();
    }

    private void extract() {
        doc.select(INVISIBLE).remove();
        Element body = doc.body();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (text.full()) {
                    return;
                }
                if (node instanceof TextNode t) {
                    appendText(t);
                } else if (node instanceof Element e) {
                    String tag = e.normalName();
                    if (tag.equals("br")) {
                        text.line();
                    } else if (BLOCKS.contains(tag)) {
                        text.line();
                    }
                    if ((tag.equals("td") || tag.equals("th")) && e.elementSiblingIndex() > 0) {
                        text.append(" | ");
                    }
                    if (tag.equals("li")) {
                        text.append("- ");
                    }
                    int h = headingLevel(tag);
                    if (h > 0) {
                        closeSection();
                        heading = e.text().strip();
                        if (heading.length() > 200) {
                            heading = heading.substring(0, 200);
                        }
                        level = h;
                        sectionStart = text.length();
                    }
                    if (tag.equals("a") && e.hasAttr("href")) {
                        link(e);
                    }
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e && BLOCKS.contains(e.normalName())) {
                    text.line();
                }
            }
        }, body);
        text.trimEnd();
        closeSection();
        if (text.full()) {
            text.markTruncated();
        }
    }

    private void appendText(TextNode t) {
        Element parent = t.parent();
        boolean pre = parent != null && (parent.normalName().equals("pre") || parent.normalName().equals("textarea"));
        String s = pre ? t.getWholeText() : t.text().replaceAll("\\s+", " ");
        if (s.isEmpty()) {
            return;
        }
        if (!pre && (text.lastChar() == '\n' || text.lastChar() == ' ')) {
            s = s.stripLeading();
        }
        text.append(s);
    }

    private void link(Element a) {
        linkCount++;
        String href = a.attr("href").strip();
        if (links.size() < MAX_LINKS && !href.isEmpty() && !href.regionMatches(true, 0, "javascript:", 0, 11)) {
            links.add(Map.of("href", href, "text", a.text().strip()));
        }
    }

    private void closeSection() {
        if (sectionStart >= 0) {
            sections.add(Spans.span(sectionStart, Math.max(sectionStart, text.length()), "heading", heading, "level", level));
            sectionStart = -1;
        }
    }

    private static int headingLevel(String tag) {
        return tag.length() == 2 && tag.charAt(0) == 'h' && tag.charAt(1) >= '1' && tag.charAt(1) <= '6' ? tag.charAt(1) - '0' : 0;
    }
}
