package io.attachkit.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.util.Matrix;
import org.junit.jupiter.api.Test;

/** The share of a crop box images are drawn over ({@link ImageCoverage}), from their placement matrices. */
class ImageCoverageTest {
    private static final PDRectangle A4 = PDRectangle.A4;

    @Test
    void fullPageImage_coversAll_andNothingCoversNothing() {
        ImageCoverage c = onA4();
        assertThat(c.fraction()).isZero();
        c.add(new Matrix(A4.getWidth(), 0, 0, A4.getHeight(), 0, 0));
        assertThat(c.fraction()).isEqualTo(1.0);
    }

    @Test
    void sameImageDrawnTwice_countsOnce_andDisjointImagesAdd() {
        ImageCoverage c = onA4();
        Matrix leftQuarter = new Matrix(A4.getWidth() / 2, 0, 0, A4.getHeight() / 2, 0, 0);
        c.add(leftQuarter);
        c.add(leftQuarter);
        assertThat(c.fraction()).isCloseTo(0.25, within(0.01));
        c.add(new Matrix(A4.getWidth() / 2, 0, 0, A4.getHeight() / 2, A4.getWidth() / 2, A4.getHeight() / 2));
        assertThat(c.fraction()).isCloseTo(0.5, within(0.01));
    }

    @Test
    void imageOffThePage_isClippedToTheCropBox() {
        ImageCoverage c = onA4();
        c.add(new Matrix(10_000, 0, 0, 10_000, -5_000, A4.getHeight() / 2));
        assertThat(c.fraction()).isCloseTo(0.5, within(0.02));
        ImageCoverage outside = onA4();
        outside.add(new Matrix(100, 0, 0, 100, -500, -500));
        assertThat(outside.fraction()).isZero();
    }

    @Test
    void flippedAndRotatedPlacements_countTheirBoundingBox() {
        ImageCoverage flipped = onA4();
        flipped.add(new Matrix(A4.getWidth(), 0, 0, -A4.getHeight(), 0, A4.getHeight()));
        assertThat(flipped.fraction()).isEqualTo(1.0);
        ImageCoverage rotated = onA4();
        rotated.add(new Matrix(0, A4.getHeight(), -A4.getWidth(), 0, A4.getWidth(), 0));
        assertThat(rotated.fraction()).isEqualTo(1.0);
    }

    @Test
    void cropBoxAwayFromTheOrigin_isMeasuredInItsOwnCoordinates() {
        ImageCoverage c = new ImageCoverage();
        c.reset(new PDRectangle(1000, 2000, 100, 100));
        c.add(new Matrix(100, 0, 0, 50, 1000, 2000));
        assertThat(c.fraction()).isCloseTo(0.5, within(0.02));
    }

    @Test
    void degenerateMatrices_andEmptyCropBoxes_countNothing() {
        ImageCoverage c = onA4();
        c.add(new Matrix(Float.NaN, 0, 0, 1, 0, 0));
        c.add(new Matrix(Float.POSITIVE_INFINITY, 0, 0, 1, 0, 0));
        c.add(new Matrix(0, 0, 0, 0, 100, 100));
        assertThat(c.fraction()).isLessThanOrEqualTo(1.0 / (32 * 32));
        ImageCoverage empty = new ImageCoverage();
        empty.reset(new PDRectangle(0, 0, 0, 0));
        empty.add(new Matrix(100, 0, 0, 100, 0, 0));
        assertThat(empty.fraction()).isZero();
    }

    @Test
    void reset_startsANewPage() {
        ImageCoverage c = onA4();
        c.add(new Matrix(A4.getWidth(), 0, 0, A4.getHeight(), 0, 0));
        c.reset(A4);
        assertThat(c.fraction()).isZero();
    }

    private static ImageCoverage onA4() {
        ImageCoverage c = new ImageCoverage();
        c.reset(A4);
        return c;
    }
}
