package io.attachkit.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingLimits;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageProcessorTest {
    private static final OcrEngine OCR = OcrEngine.builder().maxInstances(1).build();
    private static final List<String> LINES = List.of(
            "Attachments are stored durably and served back",
            "Every scanned receipt becomes searchable text");
    private final ImageProcessor images = new ImageProcessor(OCR, ImageDescriber.deterministic());

    @AfterAll
    static void closeOcr() {
        OCR.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"png, image/png, RGB", "jpeg, image/jpeg, RGB", "gif, image/gif, indexed", "bmp, image/bmp, RGB", "tiff, image/tiff, RGB"})
    void imageWithKnownText_isDescribedAndOcrd(String format, String mime, String colorModel) {
        BufferedImage img = Fixtures.textImage(LINES, 1400, 300, 36, BufferedImage.TYPE_INT_RGB);
        byte[] bytes = Fixtures.encode(img, format);

        ProcessedContent pc = images.process(Fixtures.input("text." + format, mime, bytes), ProcessingLimits.defaults());

        assertThat(pc.type()).isEqualTo("image");
        assertThat(pc.get("format")).isEqualTo(format);
        assertThat(pc.get("width")).isEqualTo(1400);
        assertThat(pc.get("height")).isEqualTo(300);
        assertThat(pc.get("color_model")).isEqualTo(colorModel);
        assertThat(pc.get("alpha")).isEqualTo(false);
        assertThat(Fixtures.wordAccuracy(String.join(" ", LINES), pc.text())).as(pc.text()).isGreaterThanOrEqualTo(0.95);
        assertThat((Integer) pc.get("ocr_mean_confidence")).isBetween(70, 100);
        assertThat(pc.overview()).startsWith("A 1400x300 " + format.toUpperCase() + " image (" + colorModel)
                .contains("it contains the text: \"Attachments are stored");
    }

    @Test
    void ocrWordAccuracy_onCleanGeneratedPage_isAtLeast95Percent() {
        List<String> paragraph = List.of(
                "Tyler keeps every attachment as a file with a stable identifier,",
                "a storage path and a processed content map that a language model",
                "can read. Scanned pages are rendered at three hundred dots per inch",
                "and recognised locally, so nothing leaves the machine. The results",
                "are cached by digest, processor name and version for later calls.");
        BufferedImage page = Fixtures.textImage(paragraph, 2480, 1200, 42, BufferedImage.TYPE_BYTE_GRAY);

        ProcessedContent pc = images.process(Fixtures.input("page.png", "image/png", Fixtures.encode(page, "png")), ProcessingLimits.defaults());

        assertThat(Fixtures.wordAccuracy(String.join(" ", paragraph), pc.text())).as(pc.text()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void multiPageTiff_ocrsEveryPageInOrder() {
        BufferedImage one = Fixtures.textImage(List.of("First page of the fax"), 1000, 200, 40, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage two = Fixtures.textImage(List.of("Second page of the fax"), 1000, 200, 40, BufferedImage.TYPE_BYTE_GRAY);
        byte[] tiff = Fixtures.multiPageTiff(List.of(one, two));

        ProcessedContent pc = images.process(Fixtures.input("fax.tiff", "image/tiff", tiff), ProcessingLimits.defaults());

        assertThat(pc.get("frames")).isEqualTo(2);
        assertThat(pc.get("color_model")).isEqualTo("gray");
        assertThat(pc.text()).containsSubsequence("First page of the fax", "Second page of the fax");
        assertThat(pc.overview()).contains("with 2 pages");
    }

    @Test
    void exifTaggedRotatedJpeg_reportsCameraOrientationCaptureTime_andIsOcrdUpright() {
        // the camera stored the picture sideways (text runs top to bottom) and says so with orientation 6
        BufferedImage upright = Fixtures.textImage(List.of("Meeting notes for Monday"), 1100, 160, 44, BufferedImage.TYPE_INT_RGB);
        BufferedImage sideways = rotateCounterClockwise(upright);
        byte[] jpeg = Fixtures.withExif(Fixtures.encode(sideways, "jpeg"), "Canon", "Canon EOS 5D Mark IV", 6, "2024:05:01 10:30:00");

        ProcessedContent pc = images.process(Fixtures.input("photo.jpg", "image/jpeg", jpeg), ProcessingLimits.defaults());

        @SuppressWarnings("unchecked")
        Map<String, Object> exif = (Map<String, Object>) pc.get("exif");
        assertThat(exif).containsEntry("camera", "Canon EOS 5D Mark IV").containsEntry("orientation", 6)
                .containsEntry("captured", "2024-05-01T10:30:00");
        assertThat((String) exif.get("orientation_text")).contains("90");
        assertThat(pc.get("width")).isEqualTo(1100);
        assertThat(pc.get("height")).isEqualTo(160);
        assertThat(pc.text()).contains("Meeting notes for Monday");
        assertThat(pc.overview()).contains("taken with Canon EOS 5D Mark IV on 2024-05-01T10:30:00");
    }

    @Test
    void pngWithAlphaAndDpi_reportsThem_andTransparentBackgroundReadsAsWhite() {
        BufferedImage img = new BufferedImage(900, 150, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLACK);
        g.setFont(Fixtures.font(40));
        g.drawString("Transparent label text", 30, 90);
        g.dispose();
        byte[] png = Fixtures.withPngDpi(Fixtures.encode(img, "png"), 300);

        ProcessedContent pc = images.process(Fixtures.input("label.png", "image/png", png), ProcessingLimits.defaults());

        assertThat(pc.get("alpha")).isEqualTo(true);
        assertThat(pc.get("dpi")).isEqualTo(300);
        assertThat(pc.get("color_model")).isEqualTo("RGB");
        assertThat(pc.text()).isEqualTo("Transparent label text");
        assertThat(pc.overview()).contains("(RGB with transparency, 300 DPI)");
    }

    @Test
    void decompressionBombPng_isRefusedFromTheHeaderWithoutDecoding() {
        byte[] bomb = Fixtures.pngDeclaring(100_000, 100_000);
        assertThat(bomb.length).isLessThan(100);

        assertThatThrownBy(() -> images.process(Fixtures.input("bomb.png", "image/png", bomb), ProcessingLimits.defaults()))
                .isInstanceOf(ProcessingException.class)
                .hasMessageContaining("'bomb.png' declares a 100000x100000 image (10000 megapixels), over the limit of 100 megapixels");
    }

    @Test
    void pixelLimit_isConfigurable() {
        byte[] png = Fixtures.encode(Fixtures.textImage(List.of("x"), 2000, 1000, 20, BufferedImage.TYPE_BYTE_GRAY), "png");
        assertThatThrownBy(() -> images.process(Fixtures.input("big.png", "image/png", png),
                ProcessingLimits.builder().maxImagePixels(1_000_000).build()))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("2000x1000");
    }

    @Test
    void truncatedImage_isAProcessingError() {
        byte[] png = Fixtures.encode(Fixtures.textImage(LINES, 800, 200, 30, BufferedImage.TYPE_INT_RGB), "png");
        byte[] cut = java.util.Arrays.copyOf(png, png.length / 3);
        assertThatThrownBy(() -> images.process(Fixtures.input("cut.png", "image/png", cut), ProcessingLimits.defaults()))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("'cut.png' is a corrupt or unreadable image");
    }

    @Test
    void tesseractNotInstalled_givesFactsWithoutTextAndAnInstallWarning(@TempDir Path dir) {
        ImageProcessor noOcr = new ImageProcessor(OcrEngine.builder(Map.of()).tessdataDir(dir.resolve("nothing-here")).build(),
                ImageDescriber.deterministic());
        byte[] png = Fixtures.encode(Fixtures.textImage(LINES, 800, 200, 30, BufferedImage.TYPE_INT_RGB), "png");

        ProcessedContent pc = noOcr.process(Fixtures.input("a.png", "image/png", png), ProcessingLimits.defaults());

        assertThat(pc.get("width")).isEqualTo(800);
        assertThat(pc.text()).isEmpty();
        assertThat(pc.warnings()).singleElement().asString().contains("does not exist").contains("apt-get install tesseract-ocr");
        assertThat(pc.overview()).contains("no text was recognised");
    }

    @Test
    void missingOcrLanguage_isAClearProcessingException_notAJvmAbort() {
        OcrEngine klingon = OcrEngine.builder().languages("eng+tlh").build();
        ImageProcessor p = new ImageProcessor(klingon, ImageDescriber.deterministic());
        byte[] png = Fixtures.encode(Fixtures.textImage(LINES, 800, 200, 30, BufferedImage.TYPE_INT_RGB), "png");

        assertThatThrownBy(() -> p.process(Fixtures.input("a.png", "image/png", png), ProcessingLimits.defaults()))
                .isInstanceOf(ProcessingException.class)
                .hasMessageContaining("OCR language 'tlh' is not installed").hasMessageContaining("tlh.traineddata does not exist");
    }

    @Test
    void imageDescriberHook_writesTheOverview() {
        ImageDescriber vision = (image, facts) -> "A " + image.getWidth() + " px wide picture; text: " + facts.text();
        ImageProcessor p = new ImageProcessor(OCR, vision);
        byte[] png = Fixtures.encode(Fixtures.textImage(List.of("Hello vision"), 600, 150, 40, BufferedImage.TYPE_INT_RGB), "png");

        ProcessedContent pc = p.process(Fixtures.input("v.png", "image/png", png), ProcessingLimits.defaults());

        assertThat(pc.overview()).isEqualTo("A 600 px wide picture; text: Hello vision");
    }

    private static BufferedImage rotateCounterClockwise(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getHeight(), src.getWidth(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                out.setRGB(y, src.getWidth() - 1 - x, src.getRGB(x, y));
            }
        }
        return out;
    }
}
