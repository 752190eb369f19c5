package io.attachkit.processors.office;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.processors.OcrEngine;
import java.util.Map;
import org.apache.poi.hslf.usermodel.HSLFSlideShow;

/**
 * Extracts the text of legacy PowerPoint presentations (ppt) slide by slide with Apache POI's HSLF, with the
 * same result keys as {@link PptxProcessor} ({@code slides}, {@code slide_spans}, {@code pictures},
 * {@code picture_only_slides}, {@code info}, ...). Password-protected files are refused as encrypted.
 * Thread-safe.
 */
public final class PptProcessor extends OcrEngineProcessor {
    static final String MIME = "application/vnd.ms-powerpoint";
    private static final String KIND = "PowerPoint 97-2003 presentation";

    /** Creates the processor, with its own OCR engine for picture-only slides (closed by {@link #close()}). */
    public PptProcessor() {
        super("ppt", MIME);
    }

    /**
     * @param ocr the OCR engine that reads slides holding only pictures; the caller closes it
     */
    public PptProcessor(OcrEngine ocr) {
        super(ocr, "ppt", MIME);
    }

    @Override
    public String version() {
        return "2"; // picture-only slides are OCR'd
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        String name = input.filename();
        return Ole2Files.read(input, ".ppt", KIND, fs -> {
            try (HSLFSlideShow show = new HSLFSlideShow(fs)) {
                Map<String, Object> info = XlsProcessor.info(show.getSummaryInformation());
                return PptxProcessor.extract(KIND, name, show, info, input, limits, ocr());
            }
        });
    }
}
