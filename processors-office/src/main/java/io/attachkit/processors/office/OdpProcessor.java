package io.attachkit.processors.office;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.processors.internal.Texts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Extracts OpenDocument presentations (odp) slide by slide by streaming their {@code content.xml} with SAX, with the
 * same result keys as {@link PptxProcessor}: {@code text} (per slide a {@code ## Slide n: title} line, the body text
 * of its frames, then {@code [Notes] ...}), {@code slides} ({@code {slide, title, pictures, has_notes}}),
 * {@code slide_spans}, {@code slide_count}, {@code pictures}, {@code picture_only_slides}, {@code info},
 * {@code words}, {@code truncated}, {@code overview}. At most {@code maxPages} slides are read. Thread-safe.
 */
public final class OdpProcessor extends OfficeProcessor {
    static final String MIME = "application/vnd.oasis.opendocument.presentation";
    private static final String KIND = "OpenDocument presentation";
    private static final String DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0";
    private static final String PRESENTATION = "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0";
    private static final String TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";

    /** Creates the processor. */
    public OdpProcessor() {
        super("odp", MIME);
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        String name = input.filename();
        Slides slides = new Slides(name, new CappedText(limits.maxOutputChars()), limits.maxPages());
        return OdfPackage.read(input, ".odp", KIND, slides, info -> {
            long words = Texts.countWords(slides.text.toString());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("type", "presentation");
            out.put("text", slides.text.toString());
            StringBuilder overview = new StringBuilder(KIND);
            if (info.containsKey("title")) {
                overview.append(" \"").append(info.get("title")).append('"');
            }
            overview.append(", ").append(Texts.plural(slides.count, "slide")).append(", ").append(Texts.plural(words, "word"));
            if (slides.pictures > 0) {
                overview.append(", ").append(Texts.plural(slides.pictures, "picture"));
            }
            out.put("overview", overview.append(slides.text.truncated() ? " (truncated)." : ".").toString());
            out.put("slide_count", slides.count);
            out.put("slides", slides.slides);
            out.put("slide_spans", slides.spans);
            out.put("pictures", slides.pictures);
            out.put("picture_only_slides", slides.pictureOnly);
            if (!info.isEmpty()) {
                out.put("info", info);
            }
            out.put("words", words);
            out.put("truncated", slides.text.truncated() || slides.count > limits.maxPages());
            if (slides.count > limits.maxPages()) {
                out.put("warnings", List.of("only the first " + limits.maxPages() + " of " + slides.count + " slides were read (maxPages)"));
            }
            return ProcessedContent.of(out);
        });
    }

    /** The SAX handler: one {@code draw:page} per slide, its frames' paragraphs, its notes. */
    private static final class Slides extends DefaultHandler {
        final String filename;
        final CappedText text;
        final int maxSlides;
        final List<Map<String, Object>> slides = new ArrayList<>();
        final List<Map<String, Object>> spans = new ArrayList<>();
        final List<Integer> pictureOnly = new ArrayList<>();
        int count;
        int pictures;
        private boolean inSlide;
        private int inNotes;
        private int titleFrame; // depth counter: inside a presentation:class="title" frame
        private int frameDepth;
        private final StringBuilder title = new StringBuilder();
        private final List<String> body = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final StringBuilder paragraph = new StringBuilder();
        private int paragraphDepth;
        private int slidePictures;

        Slides(String filename, CappedText text, int maxSlides) {
            this.filename = filename;
            this.text = text;
            this.maxSlides = maxSlides;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes a) {
            if (DRAW.equals(uri) && "page".equals(localName)) {
                count++;
                inSlide = count <= maxSlides;
                title.setLength(0);
                body.clear();
                notes.clear();
                slidePictures = 0;
                Texts.checkInterrupted(filename);
            } else if (!inSlide) {
                return;
            } else if (PRESENTATION.equals(uri) && "notes".equals(localName)) {
                inNotes++;
            } else if (DRAW.equals(uri) && "frame".equals(localName)) {
                frameDepth++;
                if (inNotes == 0 && "title".equals(a.getValue(PRESENTATION, "class"))) {
                    titleFrame = frameDepth;
                }
            } else if (DRAW.equals(uri) && "image".equals(localName) && inNotes == 0) {
                slidePictures++;
            } else if (TEXT.equals(uri) && ("p".equals(localName) || "h".equals(localName))) {
                if (paragraphDepth++ == 0) {
                    paragraph.setLength(0);
                }
            } else if (TEXT.equals(uri) && "line-break".equals(localName)) {
                paragraph.append('\n');
            } else if (TEXT.equals(uri) && "s".equals(localName)) {
                paragraph.append(' ');
            } else if (TEXT.equals(uri) && "tab".equals(localName)) {
                paragraph.append('\t');
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (inSlide && paragraphDepth > 0 && paragraph.length() < 100_000) {
                paragraph.append(ch, start, length);
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            if (!inSlide) {
                return;
            }
            if (TEXT.equals(uri) && ("p".equals(localName) || "h".equals(localName)) && --paragraphDepth == 0) {
                String p = paragraph.toString().strip();
                if (p.isEmpty()) {
                    return;
                }
                if (inNotes > 0) {
                    notes.add(p);
                } else if (titleFrame > 0) {
                    title.append(title.length() > 0 ? " " : "").append(p);
                } else {
                    body.add(p);
                }
            } else if (DRAW.equals(uri) && "frame".equals(localName)) {
                if (titleFrame == frameDepth) {
                    titleFrame = 0;
                }
                frameDepth--;
            } else if (PRESENTATION.equals(uri) && "notes".equals(localName)) {
                inNotes--;
            } else if (DRAW.equals(uri) && "page".equals(localName)) {
                endSlide();
                inSlide = false;
            }
        }

        private void endSlide() {
            text.block();
            int start = text.length();
            String t = title.toString().strip();
            text.append("## Slide " + count + (t.isEmpty() ? "" : ": " + t));
            for (String b : body) {
                text.line().append(b);
            }
            if (!notes.isEmpty()) {
                text.line().append("[Notes] " + String.join("\n", notes));
            }
            spans.add(Spans.span(start, text.length(), "slide", count, "title", t.isEmpty() ? null : t));
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("slide", count);
            s.put("title", t.isEmpty() ? null : t);
            s.put("pictures", slidePictures);
            s.put("has_notes", !notes.isEmpty());
            slides.add(s);
            pictures += slidePictures;
            if (slidePictures > 0 && t.isEmpty() && body.isEmpty()) {
                pictureOnly.add(count);
            }
        }
    }
}
