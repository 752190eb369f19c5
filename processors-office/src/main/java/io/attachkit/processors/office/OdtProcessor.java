package io.attachkit.processors.office;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.processors.internal.Texts;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.util.XMLHelper;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Extracts the text of OpenDocument text files (odt) by streaming their {@code content.xml} with SAX.
 *
 * <p>Result keys: {@code type} = {@code document}; {@code text}: headings and paragraphs in reading order,
 * tables row by row ({@code a | b}), footnotes and endnotes marked {@code [Note: ...]} where they stand,
 * comments {@code [Comment: ...]}; tracked changes resolved to the final text (the deleted text
 * ODF keeps in {@code text:tracked-changes} is left out); {@code section_spans} per heading
 * ({@code {heading, level, start, end}}); {@code info} from {@code meta.xml} (title, author, created,
 * modified, pages when stated); {@code words}; {@code truncated}; {@code overview}.
 *
 * <p>The zip is read through POI's {@link ZipSecureFile} (a part inflating more than 100 times is refused as
 * a zip bomb) and the XML with DOCTYPEs refused (no entity expansion, no XXE). Thread-safe.
 */
public final class OdtProcessor extends OfficeProcessor {
    static final String MIME = "application/vnd.oasis.opendocument.text";
    private static final String KIND = "OpenDocument text";

    /** Creates the processor. */
    public OdtProcessor() {
        super("odt", MIME);
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        String name = input.filename();
        Body body = new Body(new CappedText(limits.maxOutputChars()), name);
        return OdfPackage.read(input, ".odt", KIND, body, info -> {
            body.text.trimEnd();
            body.closeSection();
            CappedText text = body.text;
            long words = Texts.countWords(text.toString());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("type", "document");
            out.put("text", text.toString());
            StringBuilder overview = new StringBuilder("OpenDocument text");
            if (info.containsKey("title")) {
                overview.append(" \"").append(info.get("title")).append('"');
            }
            if (info.containsKey("author")) {
                overview.append(" by ").append(info.get("author"));
            }
            overview.append(", ").append(Texts.plural(words, "word"));
            if (!body.sections.isEmpty()) {
                List<String> headings = new ArrayList<>();
                for (Map<String, Object> s : body.sections.subList(0, Math.min(10, body.sections.size()))) {
                    headings.add((String) s.get("heading"));
                }
                overview.append("; headings: ").append(String.join("; ", headings));
            }
            out.put("overview", overview.append(text.truncated() ? " (truncated)." : ".").toString());
            out.put("section_spans", body.sections);
            out.put("words", words);
            if (!info.isEmpty()) {
                out.put("info", info);
            }
            out.put("truncated", text.truncated());
            return ProcessedContent.of(out);
        });
    }

    /** An encrypted ODF package says so in its manifest ({@code manifest:encryption-data}). */
    static boolean isEncrypted(ZipSecureFile zip) throws Exception {
        ZipArchiveEntry manifest = zip.getEntry("META-INF/manifest.xml");
        if (manifest == null) {
            return false;
        }
        boolean[] encrypted = {false};
        try (InputStream in = zip.getInputStream(manifest)) {
            XMLReader parser = XMLHelper.newXMLReader();
            parser.setContentHandler(new DefaultHandler() {
                @Override
                public void startElement(String uri, String localName, String qName, Attributes a) {
                    encrypted[0] |= "encryption-data".equals(localName);
                }
            });
            parser.parse(new InputSource(in));
        }
        return encrypted[0];
    }

    /** content.xml's body as text, in document order. */
    private static final class Body extends DefaultHandler {
        final CappedText text;
        final List<Map<String, Object>> sections = new ArrayList<>();
        private final String filename;
        private int skip; // inside text:tracked-changes (deleted text) or other non-content
        private int cellIndex;
        private boolean inHeading;
        private final StringBuilder heading = new StringBuilder();
        private int level;
        private int sectionStart = -1;
        private String sectionHeading;
        private int sectionLevel;
        private long elements;
        private int inline;
        private boolean firstInInline;

        Body(CappedText text, String filename) {
            this.text = text;
            this.filename = filename;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes a) {
            if ((++elements & 0xfff) == 0) {
                Texts.checkInterrupted(filename);
            }
            if (skip > 0 || "tracked-changes".equals(localName) || "deletion".equals(localName)) {
                skip++;
                return;
            }
            switch (localName) {
                case "h" -> {
                    closeSection();
                    text.block();
                    inHeading = true;
                    heading.setLength(0);
                    String l = a.getValue("urn:oasis:names:tc:opendocument:xmlns:text:1.0", "outline-level");
                    level = l == null ? 1 : Math.max(1, Math.min(9, parseInt(l)));
                    sectionStart = text.length();
                }
                case "p" -> {
                    if (inline > 0) { // a paragraph inside a cell, note or comment stays on its line
                        if (!firstInInline) {
                            text.append(" / ");
                        }
                        firstInInline = false;
                    } else {
                        text.line();
                    }
                }
                case "table-row" -> {
                    text.line();
                    cellIndex = 0;
                }
                case "table-cell" -> {
                    if (cellIndex++ > 0) {
                        text.append(" | ");
                    }
                    enterInline();
                }
                case "note-body" -> {
                    text.append(" [Note: ");
                    enterInline();
                }
                case "note-citation" -> skip++;
                case "annotation" -> {
                    text.append(" [Comment: ");
                    enterInline();
                }
                case "creator", "date" -> skip++; // an annotation's dc:creator and dc:date
                case "s" -> {
                    String c = a.getValue("urn:oasis:names:tc:opendocument:xmlns:text:1.0", "c");
                    text.append(" ".repeat(Math.max(1, Math.min(100, c == null ? 1 : parseInt(c)))));
                }
                case "tab" -> text.append("\t");
                case "line-break" -> text.append("\n");
                default -> {
                }
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            if (skip > 0) {
                skip--;
                return;
            }
            switch (localName) {
                case "h" -> {
                    inHeading = false;
                    sectionHeading = heading.toString().strip();
                    sectionLevel = level;
                }
                case "note-body", "annotation" -> {
                    text.append("]");
                    inline--;
                }
                case "table-cell" -> inline--;
                case "table" -> text.line();
                default -> {
                }
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (skip > 0 || text.full()) {
                if (text.full()) {
                    text.markTruncated();
                }
                return;
            }
            String s = new String(ch, start, length);
            text.append(s);
            if (inHeading && heading.length() < 200) {
                heading.append(s, 0, Math.min(s.length(), 200 - heading.length()));
            }
        }

        private void enterInline() {
            inline++;
            firstInInline = true;
        }

        void closeSection() {
            if (sectionStart >= 0) {
                sections.add(Spans.span(sectionStart, Math.max(sectionStart, text.length()), "heading",
                        sectionHeading == null ? heading.toString().strip() : sectionHeading, "level", sectionLevel == 0 ? level : sectionLevel));
                sectionStart = -1;
                sectionHeading = null;
                sectionLevel = 0;
            }
        }

        private static int parseInt(String s) {
            try {
                return Integer.parseInt(s.strip());
            } catch (NumberFormatException e) {
                return 1;
            }
        }
    }

    /** meta.xml: title, initial creator, dates, page count. */
    static final class Meta extends DefaultHandler {
        private final Map<String, Object> info;
        private final StringBuilder value = new StringBuilder();

        Meta(Map<String, Object> info) {
            this.info = info;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes a) {
            value.setLength(0);
            if ("document-statistic".equals(localName) && a.getValue("urn:oasis:names:tc:opendocument:xmlns:meta:1.0", "page-count") != null) {
                try {
                    info.put("pages", Integer.parseInt(a.getValue("urn:oasis:names:tc:opendocument:xmlns:meta:1.0", "page-count").strip()));
                } catch (NumberFormatException e) {
                    // not stated as a number: left out
                }
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (value.length() < 1_000) {
                value.append(ch, start, Math.min(length, 1_000 - value.length()));
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            String v = value.toString().strip();
            if (v.isEmpty()) {
                return;
            }
            switch (localName) {
                case "title" -> info.putIfAbsent("title", v);
                case "initial-creator" -> info.put("author", v);
                case "creator" -> info.putIfAbsent("last_modified_by", v);
                case "creation-date" -> info.put("created", v);
                case "date" -> info.putIfAbsent("modified", v);
                case "subject" -> info.putIfAbsent("subject", v);
                default -> {
                }
            }
        }
    }
}
