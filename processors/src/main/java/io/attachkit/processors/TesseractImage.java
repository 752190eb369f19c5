package io.attachkit.processors;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.attachkit.ProcessingException;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.WritableRaster;
import java.nio.ByteBuffer;
import net.sourceforge.tess4j.ITessAPI.TessBaseAPI;
import net.sourceforge.tess4j.TessAPI;
import net.sourceforge.tess4j.util.LoadLibs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands an 8-bit gray image to Tesseract, inverted when its background is darker than its text.
 *
 * <p>The pixels go straight into a Leptonica image (a {@code Pix}, found through libtesseract, which links
 * Leptonica) that Tesseract copies with one memcpy. Tesseract's raw-bytes {@code SetImage} instead needs a native
 * copy of the bytes and then moves them into its own image one pixel at a time: about 0.1 s of CPU for an A4
 * page at 300 DPI, a few percent of its recognition. When the Leptonica functions cannot be found, that raw
 * path is used.
 */
final class TesseractImage {
    private static final Logger LOG = LoggerFactory.getLogger(TesseractImage.class);
    /** A page is inverted when more than this share of it is on the dark side of its gray-level threshold. */
    static final double DARK_PAGE_SHARE = 0.6;

    private final TessAPI api;
    private final Function pixCreateNoInit;
    private final Function pixGetData;
    private final Function pixGetWpl;
    private final Function pixDestroy;
    private final Function setImage2;

    private TesseractImage(TessAPI api, NativeLibrary tesseract) {
        this.api = api;
        this.pixCreateNoInit = tesseract.getFunction("pixCreateNoInit");
        this.pixGetData = tesseract.getFunction("pixGetData");
        this.pixGetWpl = tesseract.getFunction("pixGetWpl");
        this.pixDestroy = tesseract.getFunction("pixDestroy");
        this.setImage2 = tesseract.getFunction("TessBaseAPISetImage2");
    }

    /** @return the hand-off for this Tesseract library, using Leptonica images when their functions are found */
    static TesseractImage of(TessAPI api) {
        try {
            return new TesseractImage(api, NativeLibrary.getInstance(LoadLibs.getTesseractLibName()));
        } catch (UnsatisfiedLinkError e) {
            LOG.debug("Leptonica functions not found through libtesseract ({}); images go through Tesseract's raw SetImage", e.getMessage());
            return new TesseractImage(api);
        }
    }

    private TesseractImage(TessAPI api) {
        this.api = api;
        this.pixCreateNoInit = null;
        this.pixGetData = null;
        this.pixGetWpl = null;
        this.pixDestroy = null;
        this.setImage2 = null;
    }

    /** @return whether images go to Tesseract as Leptonica images (else through its raw-bytes SetImage) */
    boolean handsOverLeptonicaImages() {
        return setImage2 != null;
    }

    /**
     * Sets the image Tesseract reads next.
     *
     * @param handle the Tesseract instance
     * @param gray an 8-bit gray image with a {@link ComponentSampleModel} (see {@link OcrEngine#toGray})
     * @param invert whether to hand over the negative of the image
     */
    void set(TessBaseAPI handle, BufferedImage gray, boolean invert) {
        Pixels px = Pixels.of(gray);
        if (setImage2 == null) {
            setRaw(handle, px, invert);
            return;
        }
        Pointer pix = pixCreateNoInit.invokePointer(new Object[] {px.width, px.height, 8});
        if (pix == null) {
            throw new ProcessingException("Leptonica could not allocate a " + px.width + "x" + px.height + " image for OCR");
        }
        try {
            Pointer data = pixGetData.invokePointer(new Object[] {pix});
            int wpl = pixGetWpl.invokeInt(new Object[] {pix});
            int[] row = new int[wpl];
            int flip = invert ? 0xFF : 0;
            for (int y = 0; y < px.height; y++) {
                int at = px.offset + y * px.stride;
                int x = 0;
                int word = 0;
                // Leptonica keeps 8-bit pixels four to a 32-bit word, the leftmost in the most significant byte
                for (; x + 4 <= px.width; x += 4, word++) {
                    row[word] = ((px.data[at + x] ^ flip) & 0xFF) << 24 | ((px.data[at + x + 1] ^ flip) & 0xFF) << 16
                            | ((px.data[at + x + 2] ^ flip) & 0xFF) << 8 | ((px.data[at + x + 3] ^ flip) & 0xFF);
                }
                if (x < px.width) {
                    int last = 0;
                    for (int shift = 24; x < px.width; x++, shift -= 8) {
                        last |= ((px.data[at + x] ^ flip) & 0xFF) << shift;
                    }
                    row[word] = last;
                }
                data.write((long) y * wpl * Integer.BYTES, row, 0, wpl);
            }
            setImage2.invokeVoid(new Object[] {handle, pix}); // Tesseract keeps its own copy
        } finally {
            pixDestroy.invokeVoid(new Object[] {new PointerByReference(pix)});
        }
    }

    private void setRaw(TessBaseAPI handle, Pixels px, boolean invert) {
        int length = (px.height - 1) * px.stride + px.width; // a sub-image's last row may end before its stride
        ByteBuffer buffer = ByteBuffer.allocateDirect(length);
        if (invert) {
            for (int i = 0; i < length; i++) {
                buffer.put((byte) ~px.data[px.offset + i]);
            }
        } else {
            buffer.put(px.data, px.offset, length);
        }
        buffer.flip();
        api.TessBaseAPISetImage(handle, buffer, px.width, px.height, 1, px.stride);
    }

    /**
     * Whether the image is light text on a dark background: its gray levels are split in two at their Otsu
     * threshold (from a sample of every fourth pixel of every fourth row), and the dark side is the larger by
     * more than {@link #DARK_PAGE_SHARE}. About a millisecond for an A4 page at 300 DPI.
     *
     * @param gray an 8-bit gray image with a {@link ComponentSampleModel}
     * @return whether Tesseract should get the negative
     */
    static boolean isDarkPage(BufferedImage gray) {
        Pixels px = Pixels.of(gray);
        long[] histogram = new long[256];
        long samples = 0;
        for (int y = 0; y < px.height; y += 4) {
            int at = px.offset + y * px.stride;
            for (int x = 0; x < px.width; x += 4) {
                histogram[px.data[at + x] & 0xFF]++;
                samples++;
            }
        }
        int threshold = otsuThreshold(histogram, samples);
        long dark = 0;
        for (int v = 0; v <= threshold; v++) {
            dark += histogram[v];
        }
        return dark > DARK_PAGE_SHARE * samples;
    }

    /** @return the gray level that best separates the histogram into two classes (levels up to it are the dark one) */
    static int otsuThreshold(long[] histogram, long total) {
        double sumAll = 0;
        for (int v = 0; v < 256; v++) {
            sumAll += (double) v * histogram[v];
        }
        double sumDark = 0;
        long dark = 0;
        double best = -1;
        int threshold = 127;
        for (int v = 0; v < 255; v++) {
            dark += histogram[v];
            sumDark += (double) v * histogram[v];
            long light = total - dark;
            if (dark == 0 || light == 0) {
                continue;
            }
            double meanDark = sumDark / dark;
            double meanLight = (sumAll - sumDark) / light;
            double between = (double) dark * light * (meanDark - meanLight) * (meanDark - meanLight);
            if (between > best) {
                best = between;
                threshold = v;
            }
        }
        return threshold;
    }

    /** The bytes of an 8-bit gray image: the first pixel's index and the distance between rows. */
    private record Pixels(byte[] data, int offset, int stride, int width, int height) {
        static Pixels of(BufferedImage gray) {
            WritableRaster raster = gray.getRaster();
            ComponentSampleModel model = (ComponentSampleModel) raster.getSampleModel();
            DataBufferByte buffer = (DataBufferByte) raster.getDataBuffer();
            // a sub-image shares its parent's bytes: its first pixel is not at index 0
            int offset = buffer.getOffset() + model.getOffset(-raster.getSampleModelTranslateX(), -raster.getSampleModelTranslateY());
            return new Pixels(buffer.getData(), offset, model.getScanlineStride(), gray.getWidth(), gray.getHeight());
        }
    }
}
