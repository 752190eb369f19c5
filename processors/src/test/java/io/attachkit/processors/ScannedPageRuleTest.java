package io.attachkit.processors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a page's text layer and image coverage make it a scan to OCR ({@link ScannedPageRule}). */
class ScannedPageRuleTest {
    @Test
    void noTextLayer_isOcrdOnlyWithMeaningfulImageCoverage() {
        assertThat(ScannedPageRule.needsOcr("", 0)).as("blank page").isFalse();
        assertThat(ScannedPageRule.needsOcr(" \n\t\u00a0", 0.05)).as("whitespace and a small logo").isFalse();
        assertThat(ScannedPageRule.needsOcr("", 0.10)).isTrue();
        assertThat(ScannedPageRule.needsOcr("\n", 1.0)).isTrue();
    }

    @Test
    void shortUsableText_isKept_unlessAScanCoversHalfThePage() {
        assertThat(ScannedPageRule.needsOcr("page text here", 0)).isFalse();
        assertThat(ScannedPageRule.needsOcr("Results", 0.49)).as("a title over a chart").isFalse();
        assertThat(ScannedPageRule.needsOcr("Page 1 of 3", 0.50)).as("a stamp over a scan").isTrue();
    }

    @Test
    void longUsableText_isKept_overAnyImage() {
        assertThat(ScannedPageRule.needsOcr("Invoice number 4711 due in thirty days", 1.0)).isFalse();
        assertThat(ScannedPageRule.needsOcr("sixteen chars ok", 1.0)).as("exactly 14 visible: short").isTrue();
        assertThat(ScannedPageRule.needsOcr("sixteen-chars-ok", 1.0)).as("16 visible").isFalse();
    }

    @Test
    void garbageTextLayer_countsAsNoText() {
        String controls = "\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017";
        String replacement = "\ufffd".repeat(30);
        String privateUse = "\ue000\ue001\uf0b7".repeat(10);
        for (String garbage : new String[] {controls, replacement, privateUse, "ab" + replacement}) {
            assertThat(ScannedPageRule.needsOcr(garbage, 1.0)).as("garbage over a scan").isTrue();
            assertThat(ScannedPageRule.needsOcr(garbage, 0.0)).as("garbage without images").isFalse();
        }
    }

    @Test
    void aFewSymbolGlyphs_inRealText_keepItUsable() {
        // Wingdings-style bullets map to the private use area; a real page has a few among its words
        String text = "\uf0b7 first point of the agenda \uf0b7 second point of the agenda";
        assertThat(ScannedPageRule.needsOcr(text, 1.0)).isFalse();
    }
}
