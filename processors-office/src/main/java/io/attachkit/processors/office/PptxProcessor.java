package io.attachkit.processors.office;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.processors.OcrEngine;
import io.attachkit.processors.internal.Texts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.sl.usermodel.GroupShape;
import org.apache.poi.sl.usermodel.Notes;
import org.apache.poi.sl.usermodel.PictureShape;
import org.apache.poi.sl.usermodel.Placeholder;
import org.apache.poi.sl.usermodel.Shape;
import org.apache.poi.sl.usermodel.SimpleShape;
import org.apache.poi.sl.usermodel.Slide;
import org.apache.poi.sl.usermodel.SlideShow;
import org.apache.poi.sl.usermodel.TableShape;
import org.apache.poi.sl.usermodel.TextShape;
import org.apache.poi.xslf.usermodel.XMLSlideShow;

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
public final class PptxProcessor extends OcrEngineProcessor {
    static final String MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    private static final String SHOW = "application/vnd.openxmlformats-officedocument.presentationml.slideshow";
    private static final String KIND = "PowerPoint presentation";

    /** Creates the processor, with its own OCR engine for picture-only slides (closed by {@link #close()}). */
    public PptxProcessor() {
        super("pptx", MIME, SHOW);
    }

    /**
     * @param ocr the OCR engine that reads slides holding only pictures; the caller closes it
     */
    public PptxProcessor(OcrEngine ocr) {
        super(ocr, "pptx", MIME, SHOW);
    }

    @Override
    public String version() {
        return "2"; // picture-only slides are OCR'd
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        String name = input.filename();
        return OoxmlFiles.read(input, ".pptx", KIND, pkg -> {
            try (XMLSlideShow show = new XMLSlideShow(pkg)) {
                return extract(name, show, input, limits);
            }
        });
    }

    private ProcessedContent extract(String name, XMLSlideShow show, ProcessingInput input, ProcessingLimits limits) {
        Map<String, Object> info = OoxmlFiles.info(show.getProperties());
        info.remove("pages");
        return extract("PowerPoint presentation", name, show, info, input, limits, ocr());
    }

    /** The result keys of any POI slide show (pptx or ppt), through POI's common {@code sl.usermodel} API. */
    static ProcessedContent extract(String label, String name, SlideShow<?, ?> show, Map<String, Object> info,
                                    ProcessingInput input, ProcessingLimits limits, OcrEngine ocrEngine) {
        List<? extends Slide<?, ?>> all = show.getSlides();
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
        SlidePictureOcr ocr = new SlidePictureOcr(ocrEngine, limits, warnings);
        List<Integer> ocrSlides = new ArrayList<>();
        for (int i = 0; i < toRead; i++) {
            Texts.checkInterrupted(name);
            Slide<?, ?> slide = all.get(i);
            String title = slide.getTitle() == null ? "" : slide.getTitle().strip().replaceAll("\\s+", " ");
            SlideContent content = new SlideContent(title);
            content.shapes(slide.getShapes());
            String notes = notes(slide.getNotes());
            text.block();
            int start = text.length();
            text.append("## Slide " + (i + 1) + (title.isEmpty() ? "" : ": " + title));
            if (!content.body.isEmpty()) {
                text.append("\n").append(String.join("\n", content.body));
            }
            boolean pictureOnlySlide = content.pictures > 0 && content.body.isEmpty() && title.isEmpty();
            if (pictureOnlySlide && ocr.available()) {
                String seen = ocr.read(name, content.pictureShapes);
                if (!seen.isEmpty()) {
                    text.append("\n[Picture text] ").append(seen);
                    ocrSlides.add(i + 1);
                }
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
        long words = Texts.countWords(text.toString());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "presentation");
        out.put("text", text.toString());
        out.put("overview", overview(label, info, all.size(), slides, words, pictures, text.truncated()));
        out.put("slide_count", all.size());
        out.put("slides", slides);
        out.put("slide_spans", spans);
        out.put("pictures", pictures);
        out.put("picture_only_slides", pictureOnly);
        out.put("ocr_slides", ocrSlides);
        if (!info.isEmpty()) {
            out.put("info", info);
        }
        out.put("words", words);
        out.put("truncated", text.truncated() || toRead < all.size());
        if (pictureOnly.size() > ocrSlides.size()) {
            warnings.add((pictureOnly.size() - ocrSlides.size()) + " slide(s) hold only pictures with no text OCR could read");
        }
        if (!warnings.isEmpty()) {
            out.put("warnings", warnings);
        }
        return ProcessedContent.of(out);
    }

    private static String notes(Notes<?, ?> notes) {
        if (notes == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (Shape<?, ?> shape : notes.getShapes()) {
            if (shape instanceof TextShape<?, ?> t && placeholder(t) == Placeholder.BODY) {
                String s = t.getText() == null ? "" : t.getText().strip();
                if (!s.isEmpty()) {
                    parts.add(s);
                }
            }
        }
        return String.join("\n", parts);
    }

    private static Placeholder placeholder(Shape<?, ?> shape) {
        return shape instanceof SimpleShape<?, ?> s ? s.getPlaceholder() : null;
    }

    private static String overview(String label, Map<String, Object> info, int slideCount, List<Map<String, Object>> slides,
                                   long words, int pictures, boolean truncated) {
        StringBuilder s = new StringBuilder(label);
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
        final String title;
        int pictures;
        final List<PictureShape<?, ?>> pictureShapes = new ArrayList<>();

        SlideContent(String title) {
            this.title = title;
        }

        void shapes(Iterable<? extends Shape<?, ?>> shapes) {
            for (Shape<?, ?> shape : shapes) {
                if (shape instanceof GroupShape<?, ?> g) {
                    shapes(g.getShapes());
                } else if (shape instanceof PictureShape<?, ?> picture) {
                    pictures++;
                    pictureShapes.add(picture);
                } else if (shape instanceof TableShape<?, ?> table) {
                    for (int r = 0; r < table.getNumberOfRows(); r++) {
                        List<String> cells = new ArrayList<>();
                        for (int c = 0; c < table.getNumberOfColumns(); c++) {
                            var cell = table.getCell(r, c);
                            String t = cell == null || cell.getText() == null ? "" : cell.getText();
                            cells.add(t.strip().replaceAll("\\s*\\n\\s*", " / "));
                        }
                        body.add(String.join(" | ", cells));
                    }
                } else if (shape instanceof TextShape<?, ?> t) {
                    Placeholder p = placeholder(t);
                    if (p == Placeholder.TITLE || p == Placeholder.CENTERED_TITLE || p == Placeholder.SLIDE_NUMBER
                            || p == Placeholder.FOOTER || p == Placeholder.DATETIME) {
                        continue;
                    }
                    String s = t.getText() == null ? "" : t.getText().strip();
                    // legacy ppt keeps the title in an ordinary text box as well: do not repeat it
                    if (!s.isEmpty() && !s.replaceAll("\\s+", " ").equals(title)) {
                        body.add(s);
                    }
                }
            }
        }
    }
}
