package io.attachkit.processors;

import java.awt.geom.Point2D;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.util.Matrix;

/**
 * The share of a page's crop box that raster images are drawn over, measured as the union of the images'
 * bounding boxes on a coarse grid, so overlapping or repeated images are not counted twice. Works from the
 * transformation matrix an image is drawn with: no image is decoded and nothing is rendered. Clipping paths
 * are ignored (an image clipped to a small window counts at its full size). Not thread-safe: one per page pass.
 */
final class ImageCoverage {
    /** Cells per side: the grid resolves about 3% of the page width, enough to tell a logo from a scan. */
    private static final int GRID = 32;

    private final boolean[] cells = new boolean[GRID * GRID];
    private int covered;
    private double left;
    private double bottom;
    private double width;
    private double height;

    /** Starts a new page, measured against its crop box. */
    void reset(PDRectangle cropBox) {
        java.util.Arrays.fill(cells, false);
        covered = 0;
        left = cropBox.getLowerLeftX();
        bottom = cropBox.getLowerLeftY();
        width = cropBox.getWidth();
        height = cropBox.getHeight();
    }

    /** Records an image drawn with this current transformation matrix (it maps the unit square onto the page). */
    void add(Matrix ctm) {
        if (covered == cells.length || !(width > 0) || !(height > 0)) {
            return;
        }
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int corner = 0; corner < 4; corner++) {
            Point2D.Float p = ctm.transformPoint(corner & 1, corner >> 1);
            if (!Float.isFinite(p.x) || !Float.isFinite(p.y)) {
                return;
            }
            minX = Math.min(minX, p.x);
            maxX = Math.max(maxX, p.x);
            minY = Math.min(minY, p.y);
            maxY = Math.max(maxY, p.y);
        }
        // a cell counts when its centre lies inside the image's bounding box
        int c0 = firstCell((minX - left) / width);
        int c1 = lastCell((maxX - left) / width);
        int r0 = firstCell((minY - bottom) / height);
        int r1 = lastCell((maxY - bottom) / height);
        for (int r = r0; r <= r1; r++) {
            for (int c = c0; c <= c1; c++) {
                int i = r * GRID + c;
                if (!cells[i]) {
                    cells[i] = true;
                    covered++;
                }
            }
        }
    }

    /** @return the covered share of the crop box, 0 to 1 */
    double fraction() {
        return (double) covered / cells.length;
    }

    private static int firstCell(double share) {
        return (int) Math.max(0, Math.ceil(share * GRID - 0.5));
    }

    private static int lastCell(double share) {
        return (int) Math.min(GRID - 1, Math.floor(share * GRID - 0.5));
    }
}
