package io.attachkit.processors.office;

import io.attachkit.processors.OcrEngine;
import java.util.Objects;

/**
 * An {@link OfficeProcessor} that reads pictures with an {@link OcrEngine} it either owns (a default engine of its
 * own, closed by {@link #close()}) or borrows (the caller's, which the caller closes).
 */
abstract class OcrEngineProcessor extends OfficeProcessor {
    private final OcrEngine ocr;
    private final boolean ownsOcr;

    /** With an OCR engine of its own, closed by {@link #close()}. */
    OcrEngineProcessor(String name, String... mimeTypes) {
        this(OcrEngine.builder().build(), true, name, mimeTypes);
    }

    /** With the caller's OCR engine, left open by {@link #close()}. */
    OcrEngineProcessor(OcrEngine ocr, String name, String... mimeTypes) {
        this(Objects.requireNonNull(ocr, "ocr"), false, name, mimeTypes);
    }

    private OcrEngineProcessor(OcrEngine ocr, boolean ownsOcr, String name, String... mimeTypes) {
        super(name, mimeTypes);
        this.ocr = ocr;
        this.ownsOcr = ownsOcr;
    }

    /** @return the engine, owned or borrowed */
    final OcrEngine ocr() {
        return ocr;
    }

    @Override
    public void close() {
        if (ownsOcr) {
            ocr.close();
        }
    }
}
