package io.attachkit.processors;

import java.util.Arrays;

/**
 * PDFTextStripper's duplicate-overlap suppression (the same glyph drawn again at nearly the same place, as
 * fake-bold text does, is read once) with the same answers, found in a hash grid instead of PDFBox's
 * per-character {@code TreeMap<Float, TreeSet<Float>>}: those boxed tree walks took about 40% of the text
 * extraction time of a plain text PDF.
 *
 * <p>A glyph with text {@code u} at {@code (x, y)} and width {@code w} is a duplicate when a glyph kept before
 * on the same page has the same text and lies in {@code [x - t, x + t) x [y - t, y + t)}, where
 * {@code t = w / u.length() / 3}, with the bounds computed in {@code float} and compared in
 * {@link Float#compare} order, exactly as PDFBox's {@code subMap}/{@code subSet} do; it throws the same
 * {@link IllegalArgumentException} where their bounds are reversed. Tolerances wider than a few grid cells and
 * non-finite coordinates take a linear scan of the page's glyphs. Not thread-safe: one per text stripper.
 */
final class DuplicateGlyphFilter {
    /** Grid cell side in user-space units; a power of two, so {@code x / CELL} is exact. */
    private static final float CELL = 8f;
    /** A query over more cells than this per axis (a tolerance for glyphs above ~30 pt) scans instead. */
    private static final int MAX_CELLS_PER_AXIS = 4;

    private String[] texts = new String[256];
    private float[] xs = new float[256];
    private float[] ys = new float[256];
    private int[] hashes = new int[256];
    /** The next glyph in the same hash bucket, or -1. */
    private int[] next = new int[256];
    private int size;
    /** First glyph of each bucket, or -1; its length is a power of two. */
    private int[] buckets = emptyBuckets(512);

    /** Forgets the glyphs kept so far (PDFBox starts each page afresh). */
    void clear() {
        if (size > 0) {
            size = 0;
            Arrays.fill(texts, null);
            Arrays.fill(buckets, -1);
        }
    }

    /**
     * @param text the glyph's Unicode text
     * @param x its x as {@code TextPosition.getX()}
     * @param y its y as {@code TextPosition.getY()}
     * @param width its width as {@code TextPosition.getWidth()}
     * @return whether the glyph repeats one kept before on this page (drop it); when not, it is kept
     * @throws IllegalArgumentException where PDFBox's range lookup throws it (reversed bounds)
     */
    boolean isDuplicate(String text, float x, float y, float width) {
        float tolerance = width / text.length() / 3.0f;
        float xLow = x - tolerance;
        float xHigh = x + tolerance;
        float yLow = y - tolerance;
        float yHigh = y + tolerance;
        if (Float.compare(xLow, xHigh) > 0) {
            throw new IllegalArgumentException("fromKey > toKey");
        }
        boolean duplicate;
        if (Float.isFinite(xLow) && Float.isFinite(xHigh) && Float.isFinite(yLow) && Float.isFinite(yHigh)
                && Float.compare(yLow, yHigh) <= 0
                && (long) cell(xHigh) - cell(xLow) < MAX_CELLS_PER_AXIS && (long) cell(yHigh) - cell(yLow) < MAX_CELLS_PER_AXIS) {
            duplicate = inGrid(text, xLow, xHigh, yLow, yHigh);
        } else {
            duplicate = byScan(text, xLow, xHigh, yLow, yHigh);
        }
        if (!duplicate) {
            keep(text, x, y);
        }
        return duplicate;
    }

    private boolean inGrid(String text, float xLow, float xHigh, float yLow, float yHigh) {
        int textHash = text.hashCode();
        int mask = buckets.length - 1;
        for (int cx = cell(xLow), cxEnd = cell(xHigh); cx <= cxEnd; cx++) {
            for (int cy = cell(yLow), cyEnd = cell(yHigh); cy <= cyEnd; cy++) {
                int hash = hash(textHash, cx, cy);
                for (int i = buckets[hash & mask]; i >= 0; i = next[i]) {
                    if (hashes[i] == hash && within(xs[i], xLow, xHigh) && within(ys[i], yLow, yHigh) && text.equals(texts[i])) {
                        return true;
                    }
                }
                if (cy == Integer.MAX_VALUE) {
                    break;
                }
            }
            if (cx == Integer.MAX_VALUE) {
                break;
            }
        }
        return false;
    }

    /** PDFBox's lookup in full: reversed y bounds throw once some glyph matches in x, as its {@code subSet} does. */
    private boolean byScan(String text, float xLow, float xHigh, float yLow, float yHigh) {
        boolean xMatch = false;
        boolean found = false;
        for (int i = 0; i < size; i++) {
            if (within(xs[i], xLow, xHigh) && text.equals(texts[i])) {
                xMatch = true;
                found |= within(ys[i], yLow, yHigh);
            }
        }
        if (xMatch && Float.compare(yLow, yHigh) > 0) {
            throw new IllegalArgumentException("fromKey > toKey");
        }
        return found;
    }

    private void keep(String text, float x, float y) {
        if (size == texts.length) {
            int n = size * 2;
            texts = Arrays.copyOf(texts, n);
            xs = Arrays.copyOf(xs, n);
            ys = Arrays.copyOf(ys, n);
            hashes = Arrays.copyOf(hashes, n);
            next = Arrays.copyOf(next, n);
        }
        if (size * 2 >= buckets.length) {
            rehash(buckets.length * 2);
        }
        int hash = hash(text.hashCode(), cell(x), cell(y));
        int bucket = hash & (buckets.length - 1);
        texts[size] = text;
        xs[size] = x;
        ys[size] = y;
        hashes[size] = hash;
        next[size] = buckets[bucket];
        buckets[bucket] = size;
        size++;
    }

    private void rehash(int length) {
        buckets = emptyBuckets(length);
        int mask = length - 1;
        // in insertion order, so each chain keeps newest first as keep() builds it
        for (int i = 0; i < size; i++) {
            int bucket = hashes[i] & mask;
            next[i] = buckets[bucket];
            buckets[bucket] = i;
        }
    }

    /** @return whether {@code v} lies in {@code [low, high)} in {@link Float#compare} order, as a TreeMap range has it */
    private static boolean within(float v, float low, float high) {
        return Float.compare(v, low) >= 0 && Float.compare(v, high) < 0;
    }

    /** Monotonic in {@code v}, so a value between two bounds lies in a cell between theirs; NaN lands in cell 0. */
    private static int cell(float v) {
        return (int) Math.floor(v / CELL);
    }

    private static int hash(int textHash, int cx, int cy) {
        int h = (textHash * 31 + cx) * 0x9E3779B1 + cy;
        return h ^ (h >>> 16);
    }

    private static int[] emptyBuckets(int length) {
        int[] b = new int[length];
        Arrays.fill(b, -1);
        return b;
    }
}
