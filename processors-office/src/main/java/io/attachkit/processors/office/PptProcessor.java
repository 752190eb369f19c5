package io.attachkit.processors.office;

import io.attachkit.ContentProcessor;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.processors.OcrEngine;
import io.attachkit.processors.internal.TempCopy;
import java.io.IOException;
import java.util.Map;
import org.apache.poi.EncryptedDocumentException;
import org.apache.poi.hslf.usermodel.HSLFSlideShow;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * Extracts the text of legacy PowerPoint presentations (ppt) slide by slide with Apache POI's HSLF, with the
 * same result keys as {@link PptxProcessor} ({@code slides}, {@code slide_spans}, {@code pictures},
 * {@code picture_only_slides}, {@code info}, ...). Password-protected files are refused as encrypted.
 * Thread-safe.
 */
public final class PptProcessor implements ContentProcessor {
    static final String MIME = "application/vnd.ms-powerpoint";
    private static final String KIND = "PowerPoint 97-2003 presentation";

    private final OcrEngine ocr;
    private final boolean ownsOcr;

    /** Creates the processor, with its own OCR engine for picture-only slides (closed by {@link #close()}). */
    public PptProcessor() {
        this(OcrEngine.builder().build(), true);
    }

    /**
     * @param ocr the OCR engine that reads slides holding only pictures; the caller closes it
     */
    public PptProcessor(OcrEngine ocr) {
        this(java.util.Objects.requireNonNull(ocr, "ocr"), false);
    }

    private PptProcessor(OcrEngine ocr, boolean ownsOcr) {
        this.ocr = ocr;
        this.ownsOcr = ownsOcr;
    }

    @Override
    public String version() {
        return "2"; // picture-only slides are OCR'd
    }

    @Override
    public void close() {
        if (ownsOcr) {
            ocr.close();
        }
    }

    @Override
    public String name() {
        return "ppt";
    }

    @Override
    public boolean supports(String mimeType) {
        return MIME.equals(mimeType);
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        String name = input.filename();
        try (TempCopy copy = TempCopy.of(input, ".ppt");
             POIFSFileSystem fs = new POIFSFileSystem(copy.path().toFile(), true);
             HSLFSlideShow show = new HSLFSlideShow(fs)) {
            Map<String, Object> info = XlsProcessor.info(show.getSummaryInformation());
            return PptxProcessor.extract("PowerPoint 97-2003 presentation", name, show, info, input, limits, ocr);
        } catch (EncryptedDocumentException e) {
            throw new ProcessingException("'" + name + "' is an encrypted (password-protected) " + KIND
                    + "; its content cannot be read without the password", e);
        } catch (ProcessingException e) {
            throw e;
        } catch (IOException | RuntimeException | LinkageError e) {
            throw OoxmlFiles.failure(name, KIND, e);
        }
    }
}
