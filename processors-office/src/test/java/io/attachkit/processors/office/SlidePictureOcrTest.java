package io.attachkit.processors.office;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingLimits;
import io.attachkit.processors.OcrEngine;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.poi.sl.usermodel.PictureData;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slides that hold only pictures are read by Tesseract through the processors module's {@link OcrEngine}, within
 * the pixel and page limits. Tesseract must be installed (test.sh installs it): the test fails, not skips, without it.
 */
class SlidePictureOcrTest {
    private static OcrEngine ocr;

    @BeforeAll
    static void engine() {
        ocr = OcrEngine.builder().build();
        assertThat(ocr.isInstalled()).as("Tesseract (apt-get install tesseract-ocr tesseract-ocr-eng)").isTrue();
    }

    @AfterAll
    static void closeEngine() {
        ocr.close();
    }

    static byte[] textPicture(String text) throws IOException {
        BufferedImage image = new BufferedImage(1400, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 96));
        g.drawString(text, 60, 190);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    static byte[] scannedDeck() throws IOException {
        try (XMLSlideShow show = new XMLSlideShow()) {
            var titled = show.createSlide(show.getSlideMasters().get(0).getLayout(org.apache.poi.xslf.usermodel.SlideLayout.TITLE_ONLY));
            titled.getPlaceholder(0).setText("Agenda");
            show.createSlide().createPicture(show.addPicture(textPicture("QUARTERLY RESULTS"), PictureData.PictureType.PNG));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            show.write(out);
            return out.toByteArray();
        }
    }

    private static ProcessedContent process(byte[] pptx, ProcessingLimits limits) {
        return new PptxProcessor(ocr).process(OfficeFixtures.input("scan.pptx", OfficeFixtures.PPTX, pptx), limits);
    }

    @Test
    void pictureOnlySlide_isReadByOcr_intoItsSlideText() throws IOException {
        ProcessedContent c = process(scannedDeck(), ProcessingLimits.defaults());
        assertThat(c.get("picture_only_slides")).isEqualTo(List.of(2));
        assertThat(c.get("ocr_slides")).isEqualTo(List.of(2));
        assertThat(c.text()).startsWith("## Slide 1: Agenda\n\n## Slide 2\n[Picture text] ").contains("QUARTERLY RESULTS");
    }

    @Test
    void pictureOverThePixelLimit_isNotDecoded_andSaysSo() throws IOException {
        ProcessedContent c = process(scannedDeck(), ProcessingLimits.builder().maxImagePixels(100_000).build());
        assertThat(c.get("ocr_slides")).isEqualTo(List.of());
        assertThat(c.text()).doesNotContain("QUARTERLY");
        assertThat(c.get("warnings")).asString().contains("420000 pixels was not read by OCR (maxImagePixels 100000)");
    }
}
