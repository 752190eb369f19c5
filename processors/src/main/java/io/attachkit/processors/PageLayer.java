package io.attachkit.processors;

/**
 * What one pass over a PDF page's content stream found: its text layer and how much of its crop box raster
 * images cover.
 *
 * @param text the page's text layer (may be empty)
 * @param imageCoverage the share of the crop box under image XObjects and inline images, 0 to 1
 */
record PageLayer(String text, double imageCoverage) {
    /** A page without a content stream: no text, no images. */
    static final PageLayer EMPTY = new PageLayer("", 0);
}
