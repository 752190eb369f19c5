package io.attachkit.processors;

/**
 * Decides, from what one pass over a page's content stream found, whether a PDF page is a scan to OCR: only
 * when raster images cover a meaningful part of it and its text layer cannot stand for the page. Nothing is
 * rendered to decide.
 *
 * <ul>
 *   <li>No text layer, or a garbage one (mostly U+FFFD, private-use, unassigned or control characters: glyphs
 *       without a Unicode mapping), and images over at least {@link #MIN_IMAGE_COVERAGE} of the crop box:
 *       OCR. Without such images the page is blank or vector drawing, and keeps its (empty) text layer.</li>
 *   <li>A usable text layer of at least {@link #MIN_TEXT_CHARS} characters: kept, whatever images lie under
 *       it (a scan with a searchable OCR layer, a report with figures).</li>
 *   <li>A usable but short text layer (a page number, a Bates stamp) over images that cover at least
 *       {@link #SCAN_COVERAGE} of the page: OCR, because the page's content is the scan, not the stamp. The
 *       same short line on a page without such images (a title page) is kept as text.</li>
 * </ul>
 *
 * <p>Invisible text (render mode 3, as OCR tools write it) counts as a text layer like any other.
 */
final class ScannedPageRule {
    /** A usable text layer with fewer letters, digits and symbols than this is "short". */
    static final int MIN_TEXT_CHARS = 16;
    /** Images over less of the page than this (a logo, an icon) never make a page worth OCR. */
    static final double MIN_IMAGE_COVERAGE = 0.10;
    /** Images over this much of the page make it a scan, which a short text layer cannot stand for. */
    static final double SCAN_COVERAGE = 0.50;
    /** A text layer with a larger share of garbage characters than this is unusable. */
    static final double MAX_GARBAGE_SHARE = 0.25;

    private ScannedPageRule() {
    }

    /**
     * @param text the page's text layer as the stripper read it
     * @param imageCoverage the share of the crop box that raster images cover, 0 to 1
     * @return whether the page should be rendered and OCR'd
     */
    static boolean needsOcr(String text, double imageCoverage) {
        int visible = 0;
        int garbage = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                continue;
            }
            visible++;
            if (isGarbage(cp)) {
                garbage++;
            }
        }
        if (visible == 0 || garbage > visible * MAX_GARBAGE_SHARE) {
            return imageCoverage >= MIN_IMAGE_COVERAGE;
        }
        return visible - garbage < MIN_TEXT_CHARS && imageCoverage >= SCAN_COVERAGE;
    }

    /** @return whether a code point is what an unmapped glyph turns into, not text */
    static boolean isGarbage(int cp) {
        if (cp == 0xFFFD) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.PRIVATE_USE, Character.UNASSIGNED, Character.CONTROL, Character.SURROGATE -> true;
            default -> false;
        };
    }
}
