package io.attachkit.processors;

import io.attachkit.ProcessedContent;
import java.awt.image.BufferedImage;

/**
 * Writes the {@code overview} sentence of an image result: the hook for plugging in a vision model.
 *
 * <p>The default, {@link #deterministic()}, is offline and always gives the same sentence for the same
 * facts ("A 1200x800 PNG image (RGB, 72 DPI) taken with Canon EOS 5D on 2024-05-01T10:00:00; it contains
 * the text: ..."). A vision-model describer may return a richer description; it should stay within the
 * processing timeout and fall back to the deterministic sentence when the model is unavailable.
 *
 * <pre>{@code
 * ImageDescriber vision = (image, facts) -> myModel.describe(image);
 * new ImageProcessor(OcrEngine.builder().build(), vision);
 * }</pre>
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface ImageDescriber {

    /**
     * @param image the decoded first frame, upright
     * @param facts what the processor found: {@code width}, {@code height}, {@code format},
     *     {@code color_model}, {@code alpha}, {@code dpi}, {@code exif}, {@code text}, ...
     * @return the overview sentence
     */
    String describe(BufferedImage image, ProcessedContent facts);

    /** @return the default describer: a sentence built only from the facts, offline and deterministic */
    static ImageDescriber deterministic() {
        return DeterministicImageDescriber.INSTANCE;
    }
}
