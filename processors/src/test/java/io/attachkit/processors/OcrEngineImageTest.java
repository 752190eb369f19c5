package io.attachkit.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How the OCR engine hands pages to Tesseract: dark pages inverted, sub-images and odd widths read as drawn. */
class OcrEngineImageTest {
    private static final List<String> LINES = List.of(
            "Invoices arrive as scanned pages and phone photos,",
            "some of them printed light on a dark background.");
    private static OcrEngine ocr;

    @BeforeAll
    static void engine() {
        ocr = OcrEngine.builder().maxInstances(1).build();
    }

    @AfterAll
    static void close() {
        ocr.close();
    }

    @Test
    void whiteOnBlackPage_isReadWithTheDefaultPageInversion() {
        assumeTrue(ocr.isInstalled(), "Tesseract is not installed");
        assertThat(ocr.invertedText()).isEqualTo(OcrEngine.InvertedText.PAGES_AND_LINES);
        BufferedImage dark = negative(Fixtures.textImage(LINES, 1800, 300, 40f, BufferedImage.TYPE_BYTE_GRAY));

        OcrResult r = ocr.recognize(dark, 300);

        assertThat(Fixtures.wordAccuracy(String.join(" ", LINES), r.text())).as(r.text()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void darkPageDetection_invertsOnlyPagesWhoseBackgroundIsDarkerThanTheirText() {
        BufferedImage page = Fixtures.textImage(LINES, 1800, 300, 40f, BufferedImage.TYPE_BYTE_GRAY);
        assertThat(TesseractImage.isDarkPage(page)).isFalse();
        assertThat(TesseractImage.isDarkPage(negative(page))).isTrue();
        // dim, noisy paper with dark ink (a photo in poor light) is still dark text on a lighter background
        assertThat(TesseractImage.isDarkPage(dimPhoto(page))).isFalse();
        // a mostly-black page with black text on a white strip is not inverted: most of it is dark, but not 60%
        BufferedImage half = Fixtures.textImage(LINES, 1800, 600, 40f, BufferedImage.TYPE_BYTE_GRAY);
        fill(half, 0, 330, 1800, 270, Color.BLACK);
        assertThat(TesseractImage.isDarkPage(half)).isFalse();
    }

    @Test
    void lightTextInADarkBoxOnALightPage_isReadByDefault_asTheTesseractCommandReadsIt() {
        BufferedImage page = Fixtures.textImage(List.of("Ordinary dark text on white paper comes first."), 1800, 500, 40f,
                BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage banner = negative(Fixtures.textImage(List.of("Warning printed white on black"), 1600, 130, 40f,
                BufferedImage.TYPE_BYTE_GRAY));
        Graphics2D g = page.createGraphics();
        g.drawImage(banner, 100, 300, null);
        g.dispose();
        assumeTrue(ocr.isInstalled(), "Tesseract is not installed");

        OcrResult r = ocr.recognize(page, 300);

        assertThat(r.text()).contains("Ordinary dark text").contains("Warning printed white on black");
    }

    @Test
    void subImage_isReadFromItsOwnPixels_notFromItsParentsFirstRows() {
        assumeTrue(ocr.isInstalled(), "Tesseract is not installed");
        BufferedImage sheet = Fixtures.textImage(List.of("Top half says apples and pears"), 1800, 400, 40f, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage bottom = Fixtures.textImage(List.of("Bottom half says invoices paid"), 1600, 200, 40f, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = sheet.createGraphics();
        g.drawImage(bottom, 200, 200, null);
        g.dispose();

        OcrResult r = ocr.recognize(sheet.getSubimage(200, 200, 1600, 200), 300);

        assertThat(r.text()).contains("Bottom half says invoices paid").doesNotContain("apples");
    }

    @Test
    void widthThatIsNotAMultipleOfFour_isReadAsDrawn() {
        assumeTrue(ocr.isInstalled(), "Tesseract is not installed");
        BufferedImage odd = Fixtures.textImage(LINES, 1803, 301, 40f, BufferedImage.TYPE_BYTE_GRAY);

        OcrResult plain = ocr.recognize(odd, 300);
        OcrResult dark = ocr.recognize(negative(odd), 300);

        assertThat(Fixtures.wordAccuracy(String.join(" ", LINES), plain.text())).as(plain.text()).isGreaterThanOrEqualTo(0.95);
        assertThat(dark.text()).isEqualTo(plain.text());
    }

    @Test
    void pixelsGoToTesseractAsALeptonicaImage_whereTesseractIsInstalled() {
        assumeTrue(ocr.isInstalled(), "Tesseract is not installed");
        assertThat(TesseractImage.of(net.sourceforge.tess4j.TessAPI.INSTANCE).handsOverLeptonicaImages()).isTrue();
    }

    @Test
    void otsuThreshold_separatesTwoLevels() {
        long[] histogram = new long[256];
        histogram[30] = 700;
        histogram[220] = 300;
        int t = TesseractImage.otsuThreshold(histogram, 1000);
        assertThat(t).isBetween(30, 219);
    }

    private static BufferedImage negative(BufferedImage gray) {
        BufferedImage out = new BufferedImage(gray.getWidth(), gray.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] src = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
        byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < src.length; i++) {
            dst[i] = (byte) ~src[i];
        }
        return out;
    }

    private static BufferedImage dimPhoto(BufferedImage gray) {
        BufferedImage out = new BufferedImage(gray.getWidth(), gray.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] src = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
        byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        Random noise = new Random(7);
        for (int i = 0; i < src.length; i++) {
            double v = 40 + (130 - 40) * (src[i] & 0xff) / 255.0 + noise.nextGaussian() * 10; // paper at 130, ink at 40
            dst[i] = (byte) Math.max(0, Math.min(255, (int) v));
        }
        return out;
    }

    private static void fill(BufferedImage img, int x, int y, int w, int h, Color c) {
        Graphics2D g = img.createGraphics();
        g.setColor(c);
        g.fillRect(x, y, w, h);
        g.dispose();
    }
}
