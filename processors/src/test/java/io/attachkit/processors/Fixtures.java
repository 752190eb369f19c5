package io.attachkit.processors;

import io.attachkit.ProcessingInput;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/** Real test files, generated: PDFs with PDFBox, images with Java2D and ImageIO. */
final class Fixtures {
    private static final String FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";

    private Fixtures() {
    }

    static ProcessingInput input(String filename, String mime, byte[] bytes) {
        return new ProcessingInput(filename, mime, bytes.length, null, () -> new ByteArrayInputStream(bytes), null);
    }

    /** One PDF page per entry; each entry's lines are drawn as a real text layer in Liberation Sans (Unicode). */
    static byte[] textPdf(String title, List<List<String>> pages) {
        try (PDDocument doc = new PDDocument(); InputStream font = Fixtures.class.getResourceAsStream(FONT)) {
            PDType0Font f = PDType0Font.load(doc, font);
            doc.getDocumentInformation().setTitle(title);
            doc.getDocumentInformation().setAuthor("Ada Lovelace");
            for (List<String> lines : pages) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(f, 12);
                    cs.setLeading(16);
                    cs.newLineAtOffset(60, 780);
                    for (String line : lines) {
                        cs.showText(line);
                        cs.newLine();
                    }
                    cs.endText();
                }
            }
            return save(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pages are either text (drawn as a text layer) or, when scanned is true for that page, an image of the text. */
    static byte[] mixedPdf(List<List<String>> pages, List<Boolean> scanned) {
        try (PDDocument doc = new PDDocument(); InputStream font = Fixtures.class.getResourceAsStream(FONT)) {
            PDType0Font f = PDType0Font.load(doc, font);
            for (int p = 0; p < pages.size(); p++) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    if (scanned.get(p)) {
                        // a 200 DPI "scan" of the page, drawn over the whole page
                        BufferedImage scan = textImage(pages.get(p), 1654, 2339, 44, BufferedImage.TYPE_BYTE_GRAY);
                        PDImageXObject img = LosslessFactory.createFromImage(doc, scan);
                        cs.drawImage(img, 0, 0, PDRectangle.A4.getWidth(), PDRectangle.A4.getHeight());
                    } else {
                        cs.beginText();
                        cs.setFont(f, 12);
                        cs.setLeading(16);
                        cs.newLineAtOffset(60, 780);
                        for (String line : pages.get(p)) {
                            cs.showText(line);
                            cs.newLine();
                        }
                        cs.endText();
                    }
                }
            }
            return save(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One page whose content stream is {@code content}, verbatim, with resources {@code /F1} (Helvetica,
     * WinAnsi: codes it does not map come out of a text stripper as control characters) and, when
     * {@code image} is given, {@code /Im1} (that image, lossless). Content that no PDFBox API writes: garbage
     * text layers, inline images, raw placements.
     */
    static byte[] rawPage(String content, BufferedImage image) {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            PDResources resources = new PDResources();
            resources.put(COSName.getPDFName("F1"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
            if (image != null) {
                resources.put(COSName.getPDFName("Im1"), LosslessFactory.createFromImage(doc, image));
            }
            page.setResources(resources);
            page.setContents(new PDStream(doc, new ByteArrayInputStream(content.getBytes(StandardCharsets.ISO_8859_1))));
            doc.addPage(page);
            return save(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 200 DPI "scan" of an A4 page with these lines, for {@link #rawPage} drawn with {@code 595 0 0 842 0 0 cm /Im1 Do}. */
    static BufferedImage a4Scan(List<String> lines) {
        return textImage(lines, 1654, 2339, 44, BufferedImage.TYPE_BYTE_GRAY);
    }

    /** Content-stream text of an inline gray image (uncompressed, 8 bits per pixel), for {@link #rawPage}. */
    static String inlineImage(BufferedImage gray) {
        StringBuilder s = new StringBuilder("BI /W ").append(gray.getWidth()).append(" /H ").append(gray.getHeight())
                .append(" /BPC 8 /CS /G ID ");
        byte[] pixels = ((java.awt.image.DataBufferByte) gray.getRaster().getDataBuffer()).getData();
        for (byte b : pixels) {
            s.append((char) (b & 0xff));
        }
        return s.append(" EI").toString();
    }

    static byte[] save(PDDocument doc) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        doc.save(out);
        return out.toByteArray();
    }

    static Font font(float size) {
        try (InputStream in = Fixtures.class.getResourceAsStream(FONT)) {
            return Font.createFont(Font.TRUETYPE_FONT, in).deriveFont(size);
        } catch (IOException | FontFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Black text on white, one line per entry, starting near the top left. */
    static BufferedImage textImage(List<String> lines, int width, int height, float fontSize, int type) {
        BufferedImage img = new BufferedImage(width, height, type);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(font(fontSize));
            int y = (int) (fontSize * 2);
            for (String line : lines) {
                g.drawString(line, (int) fontSize, y);
                y += (int) (fontSize * 1.6f);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A multi-page TIFF, one image per page. */
    static byte[] multiPageTiff(List<BufferedImage> pages) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.prepareWriteSequence(null);
                for (BufferedImage page : pages) {
                    writer.writeToSequence(new IIOImage(page, null, null), null);
                }
                writer.endWriteSequence();
            } finally {
                writer.dispose();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 64-byte-ish PNG whose header declares width x height, with a tiny (wrong) image data chunk. */
    static byte[] pngDeclaring(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** Inserts a pHYs chunk (the resolution) after a PNG's IHDR chunk. */
    static byte[] withPngDpi(byte[] png, int dpi) {
        int ppm = (int) Math.round(dpi / 0.0254);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int ihdrEnd = 8 + 4 + 4 + 13 + 4;
        out.write(png, 0, ihdrEnd);
        chunk(out, "pHYs", ByteBuffer.allocate(9).putInt(ppm).putInt(ppm).put((byte) 1).array());
        out.write(png, ihdrEnd, png.length - ihdrEnd);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * Inserts an EXIF APP1 segment (big-endian TIFF structure) after a JPEG's SOI and JFIF markers, with
     * Make, Model, Orientation in IFD0 and DateTimeOriginal in the EXIF sub-IFD.
     */
    static byte[] withExif(byte[] jpeg, String make, String model, int orientation, String dateTimeOriginal) {
        byte[] makeB = ascii(make);
        byte[] modelB = ascii(model);
        byte[] dateB = ascii(dateTimeOriginal);
        int ifd0Entries = 4;
        int ifd0Size = 2 + ifd0Entries * 12 + 4;
        int exifIfdSize = 2 + 12 + 4;
        int ifd0Offset = 8;
        int exifIfdOffset = ifd0Offset + ifd0Size;
        int dataOffset = exifIfdOffset + exifIfdSize;
        int makeOffset = dataOffset;
        int modelOffset = makeOffset + makeB.length;
        int dateOffset = modelOffset + modelB.length;
        ByteBuffer tiff = ByteBuffer.allocate(dateOffset + dateB.length);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(ifd0Offset);
        tiff.putShort((short) ifd0Entries);
        entry(tiff, 0x010F, 2, makeB.length, makeOffset);               // Make
        entry(tiff, 0x0110, 2, modelB.length, modelOffset);             // Model
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0); // Orientation
        entry(tiff, 0x8769, 4, 1, exifIfdOffset);                       // ExifIFD pointer
        tiff.putInt(0);
        tiff.putShort((short) 1);
        entry(tiff, 0x9003, 2, dateB.length, dateOffset);               // DateTimeOriginal
        tiff.putInt(0);
        tiff.put(makeB).put(modelB).put(dateB);
        byte[] payload = tiff.array();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // after SOI and the JFIF APP0 segment, as cameras and editors that write both do
        int app0End = 2;
        if ((jpeg[2] & 0xff) == 0xFF && (jpeg[3] & 0xff) == 0xE0) {
            app0End = 4 + (((jpeg[4] & 0xff) << 8) | (jpeg[5] & 0xff));
        }
        out.write(jpeg, 0, app0End);
        out.write(0xFF);
        out.write(0xE1);
        int len = 2 + 6 + payload.length;
        out.write(len >> 8);
        out.write(len & 0xff);
        out.writeBytes("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        out.write(jpeg, app0End, jpeg.length - app0End);
        return out.toByteArray();
    }

    private static void entry(ByteBuffer b, int tag, int type, int count, int offset) {
        b.putShort((short) tag).putShort((short) type).putInt(count).putInt(offset);
    }

    private static byte[] ascii(String s) {
        return (s + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    /** Word accuracy: the share of expected words found, in order-insensitive multiset comparison. */
    static double wordAccuracy(String expected, String actual) {
        java.util.Map<String, Integer> found = new java.util.HashMap<>();
        for (String w : normalizeWords(actual)) {
            found.merge(w, 1, Integer::sum);
        }
        List<String> want = normalizeWords(expected);
        int hits = 0;
        for (String w : want) {
            Integer n = found.get(w);
            if (n != null && n > 0) {
                hits++;
                found.put(w, n - 1);
            }
        }
        return want.isEmpty() ? 1.0 : (double) hits / want.size();
    }

    private static List<String> normalizeWords(String s) {
        return java.util.Arrays.stream(s.toLowerCase().split("\\s+"))
                .map(w -> w.replaceAll("[^\\p{L}\\p{N}]", ""))
                .filter(w -> !w.isEmpty()).toList();
    }
}
