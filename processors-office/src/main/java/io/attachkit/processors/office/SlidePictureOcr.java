package io.attachkit.processors.office;

import io.attachkit.ProcessingLimits;
import io.attachkit.processors.OcrEngine;
import io.attachkit.processors.OcrResult;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.poi.sl.usermodel.PictureData;
import org.apache.poi.sl.usermodel.PictureShape;

/**
 * Reads the text in the pictures of slides that hold only pictures (a scanned handout, a screenshot deck) with the
 * processors module's {@link OcrEngine}, within the limits: at most {@code maxPages} pictures per file, none with
 * more than {@code maxImagePixels} pixels (its size is read from its header before it is decoded), and the file's
 * timeout (the engine is interruptible between pictures). Not thread-safe: one per file.
 */
final class SlidePictureOcr {
    private final OcrEngine engine;
    private final ProcessingLimits limits;
    private final List<String> warnings;
    private int recognized;

    SlidePictureOcr(OcrEngine engine, ProcessingLimits limits, List<String> warnings) {
        this.engine = engine;
        this.limits = limits;
        this.warnings = warnings;
    }

    /** @return whether OCR can run at all (Tesseract installed); says why not in the warnings once */
    boolean available() {
        if (engine == null) {
            return false;
        }
        if (!engine.isInstalled()) {
            String why = "no OCR of picture-only slides: " + engine.notInstalledReason().orElse("OCR is not installed") + "; "
                    + OcrEngine.installHint();
            if (!warnings.contains(why)) {
                warnings.add(why);
            }
            return false;
        }
        return true;
    }

    /** @return the text of the slide's pictures, blank when none could be read */
    String read(String filename, List<PictureShape<?, ?>> pictures) {
        StringBuilder out = new StringBuilder();
        for (PictureShape<?, ?> picture : pictures) {
            if (recognized >= limits.maxPages()) {
                warnings.add("only the first " + limits.maxPages() + " slide pictures were read by OCR (maxPages)");
                break;
            }
            io.attachkit.processors.internal.Texts.checkInterrupted(filename);
            PictureData data = picture.getPictureData();
            byte[] bytes = data == null ? null : data.getData();
            if (bytes == null || bytes.length == 0) {
                continue;
            }
            BufferedImage image = decode(bytes);
            if (image == null) {
                continue;
            }
            recognized++;
            OcrResult r = engine.recognize(image, 0);
            if (!r.text().isBlank()) {
                out.append(out.length() > 0 ? "\n" : "").append(r.text().strip());
            }
        }
        return out.toString();
    }

    /** Decodes a picture when its header shows a size within the pixel limit; {@code null} for other formats or sizes. */
    private BufferedImage decode(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return null; // EMF/WMF and other vector formats: nothing to OCR here
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > limits.maxImagePixels()) {
                    warnings.add("a slide picture of " + pixels + " pixels was not read by OCR (maxImagePixels " + limits.maxImagePixels() + ")");
                    return null;
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            warnings.add("a slide picture could not be decoded for OCR: " + e.getMessage());
            return null;
        }
    }
}
