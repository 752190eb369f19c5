package io.attachkit.processors;

import io.attachkit.processors.internal.TempCopy;
import io.attachkit.processors.internal.Texts;
import io.attachkit.ContentProcessor;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.NodeList;

/**
 * Describes images and reads the text in them: PNG, JPEG, TIFF (every page), GIF, BMP, and any other
 * format an ImageIO reader on the classpath can decode (WebP with a WebP plugin).
 *
 * <p>Result keys: {@code type} = {@code image}; {@code format}; {@code width}; {@code height};
 * {@code frames}; {@code color_model} ({@code RGB}, {@code gray}, {@code CMYK}, {@code indexed}, ...);
 * {@code bits_per_pixel}; {@code alpha}; {@code dpi} (when the file records it); {@code exif}
 * ({@code camera}, {@code orientation}, {@code orientation_text}, {@code captured}, {@code has_gps}, when
 * present); {@code text} and {@code ocr_mean_confidence} (from Tesseract; the image is turned upright by
 * its EXIF orientation first); {@code truncated}; {@code warnings}; and {@code overview}, written by the
 * {@link ImageDescriber}.
 *
 * <p>Each frame's width and height are read from the header and checked against
 * {@link ProcessingLimits#maxImagePixels()} before anything is decoded, so a small file that declares a
 * huge image (a decompression bomb) is refused cheaply with a {@link ProcessingException}. When Tesseract
 * is not installed the result has no text and a warning that says how to install it. Thread-safe.
 */
public final class ImageProcessor implements ContentProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(ImageProcessor.class);

    private final OcrEngine ocr;
    private final ImageDescriber describer;
    /** Whether {@link #close()} frees the engine: only one this processor created itself. */
    private final boolean ownsOcr;

    /** Creates the processor with OCR configured from the environment and the deterministic describer (for ServiceLoader). */
    public ImageProcessor() {
        this(OcrEngine.builder().build(), ImageDescriber.deterministic(), true);
    }

    /**
     * @param ocr the OCR engine; the caller closes it
     * @param describer writes the overview
     */
    public ImageProcessor(OcrEngine ocr, ImageDescriber describer) {
        this(ocr, describer, false);
    }

    private ImageProcessor(OcrEngine ocr, ImageDescriber describer, boolean ownsOcr) {
        this.ocr = Objects.requireNonNull(ocr, "ocr");
        this.describer = Objects.requireNonNull(describer, "describer");
        this.ownsOcr = ownsOcr;
    }

    /** Frees the OCR engine if this processor created it. */
    @Override
    public void close() {
        if (ownsOcr) {
            ocr.close();
        }
    }

    @Override
    public String name() {
        return "image";
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public boolean supports(String mimeType) {
        return mimeType != null && mimeType.startsWith("image/") && !"image/svg+xml".equals(mimeType);
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        String name = input.filename();
        try (TempCopy copy = TempCopy.of(input, ".img");
             ImageInputStream iis = ImageIO.createImageInputStream(copy.path().toFile())) {
            Iterator<ImageReader> readers = iis == null ? null : ImageIO.getImageReaders(iis);
            if (readers == null || !readers.hasNext()) {
                return undecodable(input, copy);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(iis, false, false);
                return describe(input, limits, copy, reader);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ProcessingException pe) {
                throw pe;
            }
            throw new ProcessingException("'" + name + "' is a corrupt or unreadable image: " + e.getMessage(), e);
        }
    }

    private ProcessedContent describe(ProcessingInput input, ProcessingLimits limits, TempCopy copy, ImageReader reader) throws IOException {
        String name = input.filename();
        String format = formatName(reader.getFormatName());
        boolean multiPage = "tiff".equals(format);
        int frames = multiPage ? countPages(reader, limits.maxPages() + 1) : Math.max(1, reader.getNumImages(false));
        int toRead = multiPage ? Math.min(frames, limits.maxPages()) : 1;
        List<String> warnings = new ArrayList<>();
        if (toRead < frames && multiPage) {
            warnings.add("only the first " + toRead + " pages were read (maxPages); the file has more");
        }
        // the header check, before any pixel is decoded
        for (int i = 0; i < toRead; i++) {
            long pixels = (long) reader.getWidth(i) * reader.getHeight(i);
            if (pixels > limits.maxImagePixels()) {
                throw new ProcessingException("'" + name + "' declares a " + reader.getWidth(i) + "x" + reader.getHeight(i)
                        + " image (" + pixels / 1_000_000 + " megapixels), over the limit of " + limits.maxImagePixels() / 1_000_000
                        + " megapixels; it was not decoded");
            }
        }
        Map<String, Object> exif = format.equals("jpeg") || format.equals("tiff") || format.equals("png") || format.equals("webp")
                ? ExifFacts.read(copy.path()) : Map.of();
        int orientation = exif.get("orientation") instanceof Integer o ? o : 1;
        Integer dpi = dpi(reader, name);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "image");
        out.put("format", format);
        boolean ocrInstalled = ocr.isInstalled();
        if (!ocrInstalled) {
            warnings.add("no OCR text: " + ocr.notInstalledReason().orElse("OCR is not installed") + "; " + OcrEngine.installHint());
        }
        StringBuilder text = new StringBuilder();
        int confidenceSum = 0;
        int ocrFrames = 0;
        BufferedImage first = null;
        boolean truncated = false;
        for (int i = 0; i < toRead; i++) {
            Texts.checkInterrupted(name);
            BufferedImage image = Orientation.upright(reader.read(i), orientation);
            if (i == 0) {
                first = image;
                putFrameFacts(out, image, frames, exif, dpi);
            }
            if (ocrInstalled) {
                OcrResult r = ocr.recognize(image, dpi == null ? 0 : dpi);
                if (!r.text().isEmpty()) {
                    if (text.length() > 0) {
                        text.append("\n\n");
                    }
                    text.append(r.text());
                    confidenceSum += r.meanConfidence();
                    ocrFrames++;
                }
                input.listener().progress(name, "ocr", i + 1, toRead);
            }
            if (i > 0) {
                image.flush();
            }
            if (text.length() >= limits.maxOutputChars()) {
                truncated = text.length() > limits.maxOutputChars() || i + 1 < toRead;
                break;
            }
        }
        if (text.length() > limits.maxOutputChars()) {
            text.setLength(limits.maxOutputChars());
        }
        out.put("text", text.toString());
        if (ocrFrames > 0) {
            out.put("ocr_mean_confidence", confidenceSum / ocrFrames);
        }
        out.put("truncated", truncated);
        if (!warnings.isEmpty()) {
            out.put("warnings", warnings);
        }
        ProcessedContent facts = ProcessedContent.of(out);
        String overview = describer.describe(first, facts);
        LOG.debug("Described '{}': {}", name, overview);
        return facts.with("overview", overview);
    }

    /**
     * Counts a TIFF's pages, stopping at {@code cap}. The JDK reader's {@code getNumImages(true)} follows the IFD
     * chain to its end, and a chain that loops back on itself never ends (found by fuzzing: a 1 KB file hung the
     * worker); locating page {@code i} walks at most {@code i} links.
     */
    static int countPages(ImageReader reader, int cap) throws IOException {
        int pages = 0;
        while (pages < cap) {
            try {
                reader.getWidth(pages);
            } catch (IndexOutOfBoundsException e) {
                break;
            }
            pages++;
        }
        return pages;
    }

    private static void putFrameFacts(Map<String, Object> out, BufferedImage image, int frames, Map<String, Object> exif, Integer dpi) {
        ColorModel cm = image.getColorModel();
        out.put("width", image.getWidth());
        out.put("height", image.getHeight());
        out.put("frames", frames);
        out.put("color_model", colorModelName(cm));
        out.put("bits_per_pixel", cm.getPixelSize());
        out.put("alpha", cm.hasAlpha());
        if (dpi != null) {
            out.put("dpi", dpi);
        }
        if (!exif.isEmpty()) {
            out.put("exif", exif);
        }
    }

    private ProcessedContent undecodable(ProcessingInput input, TempCopy copy) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "image");
        String mime = input.mimeType() == null ? "image" : input.mimeType();
        out.put("format", mime.substring(mime.indexOf('/') + 1));
        Map<String, Object> exif = ExifFacts.read(copy.path());
        if (!exif.isEmpty()) {
            out.put("exif", exif);
        }
        out.put("size", copy.size());
        out.put("warnings", List.of("no image decoder for " + mime + " is installed (for WebP add an ImageIO WebP plugin);"
                + " the image was not decoded or OCR'd"));
        out.put("overview", "A " + mime + " image of " + Texts.bytes(copy.size()) + " that could not be decoded here.");
        return ProcessedContent.of(out);
    }

    private static String formatName(String readerFormat) {
        String f = readerFormat.toLowerCase(Locale.ROOT);
        return switch (f) {
            case "tif" -> "tiff";
            case "jpg" -> "jpeg";
            default -> f;
        };
    }

    private static String colorModelName(ColorModel cm) {
        if (cm instanceof IndexColorModel) {
            return "indexed";
        }
        return switch (cm.getColorSpace().getType()) {
            case ColorSpace.TYPE_RGB -> "RGB";
            case ColorSpace.TYPE_GRAY -> "gray";
            case ColorSpace.TYPE_CMYK -> "CMYK";
            case ColorSpace.TYPE_YCbCr -> "YCbCr";
            default -> "other";
        };
    }

    /** @return the horizontal resolution recorded in the file, from ImageIO's format-neutral metadata */
    static Integer dpi(ImageReader reader, String name) {
        IIOMetadata metadata;
        try {
            metadata = reader.getImageMetadata(0);
        } catch (IOException | RuntimeException e) {
            // unusual but harmless marker orders (EXIF before JFIF) upset the JDK's JPEG metadata reader
            LOG.debug("No resolution for '{}': {}", name, e.toString());
            return null;
        }
        if (metadata == null || !metadata.isStandardMetadataFormatSupported()) {
            return null;
        }
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree("javax_imageio_1.0");
        NodeList sizes = root.getElementsByTagName("HorizontalPixelSize");
        if (sizes.getLength() == 0) {
            return null;
        }
        try {
            double mmPerPixel = Double.parseDouble(((IIOMetadataNode) sizes.item(0)).getAttribute("value"));
            if (mmPerPixel <= 0) {
                return null;
            }
            long dpi = Math.round(25.4 / mmPerPixel);
            return dpi >= 1 && dpi <= 100_000 ? (int) dpi : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
