package io.attachkit.processors.office;

import io.attachkit.ContentProcessor;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.processors.internal.TempCopy;
import io.attachkit.processors.internal.Texts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.sl.usermodel.Placeholder;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFGraphicFrame;
import org.apache.poi.xslf.usermodel.XSLFGroupShape;
import org.apache.poi.xslf.usermodel.XSLFNotes;
import org.apache.poi.xslf.usermodel.XSLFPictureShape;
import org.apache.poi.xslf.usermodel.XSLFShape;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTable;
import org.apache.poi.xslf.usermodel.XSLFTableCell;
import org.apache.poi.xslf.usermodel.XSLFTableRow;
import org.apache.poi.xslf.usermodel.XSLFTextShape;

/**
 * Extracts the text of PowerPoint presentations (pptx) slide by slide with Apache POI's XSLF.
 *
 * <p>Result keys: {@code type} = {@code presentation}; {@code text}: per slide a {@code ## Slide n: title}
 * line, the body text (text boxes and placeholders in shape order, tables row by row as {@code a | b}) and
 * the speaker notes ({@code [Notes] ...}); {@code slides}, per slide {@code {slide, title, pictures,
 * has_notes}}; {@code slide_spans}, {@code {slide, title, start, end}} where {@code text.substring(start, end)}
 * is that slide; {@code slide_count}; {@code pictures} (in all); {@code picture_only_slides} (1-based: slides
 * with pictures and no text, whose content is in the images); {@code info}; {@code words};
 * {@code truncated}; {@code warnings}; {@code overview}.
 *
 * <p>At most {@code maxPages} slides are read; text stops at {@code maxOutputChars}. Encrypted files, zip
 * bombs, XML with DOCTYPEs and truncated files are refused with a {@link ProcessingException}. Thread-safe.
 */
public final class PptxProcessor implements ContentProcessor {
    static final String MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    private static final String SHOW = "application/vnd.openxmlformats-officedocument.presentationml.slideshow";
    private static final String KIND = "PowerPoint presentation";

    /** Creates the processor. */
    public PptxProcessor() {
    }

    @Override
    public String name() {
        return "pptx";
    }

    @Override
    public boolean supports(String mimeType) {
        return MIME.equals(mimeType) || SHOW.equals(mimeType);
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        String name = input.filename();
        try (TempCopy copy = TempCopy.of(input, ".pptx")) {
            OPCPackage pkg = OoxmlFiles.open(name, copy.path(), KIND);
            try (XMLSlideShow show = new XMLSlideShow(pkg)) {
                return extract(name, show, input, limits);
            } catch (ProcessingException e) {
                throw e;
            } catch (Exception e) {
                throw OoxmlFiles.failure(name, KIND, e);
            } finally {
                pkg.revert();
            }
        }
    }

    private ProcessedContent extract(String name, XMLSlideShow show, ProcessingInput input, ProcessingLimits limits) {
        List<XSLFSlide> all = show.getSlides();
        int toRead = Math.min(all.size(), limits.maxPages());
        List<String> warnings = new ArrayList<>();
        if (toRead < all.size()) {
            warnings.add("only the first " + toRead + " of " + all.size() + " slides were read (maxPages)");
        }
        CappedText text = new CappedText(limits.maxOutputChars());
        List<Map<String, Object>> slides = new ArrayList<>();
        List<Map<String, Object>> spans = new ArrayList<>();
        List<Integer> pictureOnly = new ArrayList<>();
        int pictures = 0;
        for (int i = 0; i < toRead; i++) {
            Texts.checkInterrupted(name);
            XSLFSlide slide = all.get(i);
            String title = slide.getTitle() == null ? "" : slide.getTitle().strip().replaceAll("\\s+", " ");
            SlideContent content = new SlideContent();
            content.shapes(slide.getShapes());
            String notes = notes(slide.getNotes());
            text.block();
            int start = text.length();
            text.append("## Slide " + (i + 1) + (title.isEmpty() ? "" : ": " + title));
            if (!content.body.isEmpty()) {
                text.append("\n").append(String.join("\n", content.body));
            }
            if (!notes.isEmpty()) {
                text.append("\n[Notes] ").append(notes);
            }
            spans.add(Spans.span(start, text.length(), "slide", i + 1, "title", title.isEmpty() ? null : title));
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("slide", i + 1);
            s.put("title", title.isEmpty() ? null : title);
            s.put("pictures", content.pictures);
            s.put("has_notes", !notes.isEmpty());
            slides.add(s);
            pictures += content.pictures;
            if (content.pictures > 0 && content.body.isEmpty() && title.isEmpty()) {
                pictureOnly.add(i + 1);
            }
            input.listener().progress(name, "slides", i + 1, toRead);
        }
        Map<String, Object> info = OoxmlFiles.info(show.getProperties());
        info.remove("pages");
        long words = Texts.countWords(text.toString());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "presentation");
        out.put("text", text.toString());
        out.put("overview", overview(info, all.size(), slides, words, pictures, text.truncated()));
        out.put("slide_count", all.size());
        out.put("slides", slides);
        out.put("slide_spans", spans);
        out.put("pictures", pictures);
        out.put("picture_only_slides", pictureOnly);
        if (!info.isEmpty()) {
            out.put("info", info);
        }
        out.put("words", words);
        out.put("truncated", text.truncated() || toRead < all.size());
        if (!pictureOnly.isEmpty()) {
            warnings.add(pictureOnly.size() + " slide(s) hold only pictures; their text, if any, is in the images");
        }
        if (!warnings.isEmpty()) {
            out.put("warnings", warnings);
        }
        return ProcessedContent.of(out);
    }

    private static String notes(XSLFNotes notes) {
        if (notes == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (XSLFShape shape : notes.getShapes()) {
            if (shape instanceof XSLFTextShape t && t.getTextType() == Placeholder.BODY) {
                String s = t.getText().strip();
                if (!s.isEmpty()) {
                    parts.add(s);
                }
            }
        }
        return String.join("\n", parts);
    }

    private static String overview(Map<String, Object> info, int slideCount, List<Map<String, Object>> slides, long words,
                                   int pictures, boolean truncated) {
        StringBuilder s = new StringBuilder("PowerPoint presentation");
        if (info.containsKey("title")) {
            s.append(" \"").append(info.get("title")).append('"');
        }
        if (info.containsKey("author")) {
            s.append(" by ").append(info.get("author"));
        }
        s.append(", ").append(Texts.plural(slideCount, "slide")).append(", ").append(Texts.plural(words, "word"))
                .append(", ").append(Texts.plural(pictures, "picture"));
        List<String> titles = new ArrayList<>();
        for (Map<String, Object> slide : slides) {
            if (slide.get("title") != null && titles.size() < 10) {
                titles.add((String) slide.get("title"));
            }
        }
        if (!titles.isEmpty()) {
            s.append("; slide titles: ").append(String.join("; ", titles));
        }
        if (truncated) {
            s.append(" (truncated)");
        }
        return s.append('.').toString();
    }

    /** A slide's body text (everything but the title) and picture count, through groups. */
    private static final class SlideContent {
        final List<String> body = new ArrayList<>();
        int pictures;

        void shapes(List<XSLFShape> shapes) {
            for (XSLFShape shape : shapes) {
                if (shape instanceof XSLFGroupShape g) {
                    shapes(g.getShapes());
                } else if (shape instanceof XSLFPictureShape) {
                    pictures++;
                } else if (shape instanceof XSLFTextShape t) {
                    Placeholder p = t.getTextType();
                    if (p == Placeholder.TITLE || p == Placeholder.CENTERED_TITLE || p == Placeholder.SLIDE_NUMBER
                            || p == Placeholder.FOOTER || p == Placeholder.DATETIME) {
                        continue;
                    }
                    String s = t.getText().strip();
                    if (!s.isEmpty()) {
                        body.add(s);
                    }
                } else if (shape instanceof XSLFTable table) {
                    for (XSLFTableRow row : table.getRows()) {
                        List<String> cells = new ArrayList<>();
                        for (XSLFTableCell cell : row.getCells()) {
                            cells.add(cell.getText().strip().replaceAll("\\s*\\n\\s*", " / "));
                        }
                        body.add(String.join(" | ", cells));
                    }
                } else if (shape instanceof XSLFGraphicFrame) {
                    // charts and diagrams: their text lives in other parts; not read
                    continue;
                }
            }
        }
    }
}
