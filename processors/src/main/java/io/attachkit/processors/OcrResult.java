package io.attachkit.processors;

import java.util.Objects;

/**
 * The text Tesseract read from one image, with its mean word confidence (0 to 100). Immutable.
 */
public final class OcrResult {
    private final String text;
    private final int meanConfidence;

    /**
     * @param text the recognised text (never {@code null})
     * @param meanConfidence the mean word confidence, 0 to 100
     */
    public OcrResult(String text, int meanConfidence) {
        this.text = Objects.requireNonNull(text, "text");
        this.meanConfidence = meanConfidence;
    }

    /** @return the recognised text, trimmed; empty when nothing was read */
    public String text() {
        return text;
    }

    /** @return Tesseract's mean word confidence, 0 to 100 */
    public int meanConfidence() {
        return meanConfidence;
    }

    @Override
    public String toString() {
        return "OcrResult{confidence=" + meanConfidence + ", text=" + text.length() + " chars}";
    }
}
