package io.attachkit.server.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds the hostile files of {@link HostileInputTest}: bombs, spoofed types and raw multipart bodies. */
final class HostileBytes {
    private HostileBytes() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A valid PNG whose header declares {@code width x height} pixels, with a tiny (wrong) image body. */
    static byte[] pngBomb(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat)) {
            z.write(new byte[64]);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = ascii(type);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A zip of one entry of {@code inflatedBytes} zeros: a few hundred KiB that inflate a thousandfold. */
    static byte[] zipBomb(long inflatedBytes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            zip.putNextEntry(new ZipEntry("zeros.bin"));
            byte[] zeros = new byte[1 << 20];
            for (long left = inflatedBytes; left > 0; left -= zeros.length) {
                zip.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
            zip.closeEntry();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** A PDF from object bodies (object n is {@code objects.get(n - 1)}), with a correct xref table. */
    static byte[] pdf(List<String> objects) {
        StringBuilder s = new StringBuilder("%PDF-1.4\n");
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(s.length());
            s.append(i + 1).append(" 0 obj\n").append(objects.get(i)).append("\nendobj\n");
        }
        int xref = s.length();
        s.append("xref\n0 ").append(objects.size() + 1).append("\n0000000000 65535 f \n");
        for (int off : offsets) {
            s.append(String.format("%010d 00000 n \n", off));
        }
        s.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A page tree whose root lists itself among its kids. */
    static byte[] pdfPageTreeLoop() {
        return pdf(List.of("<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"));
    }

    /** One real page under a root that claims two billion pages. */
    static byte[] pdfHugePageCount() {
        return pdf(List.of("<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"));
    }

    /** A chain of {@code depth} nested page-tree nodes above one page. */
    static byte[] pdfDeepPageTree(int depth) {
        List<String> objs = new ArrayList<>();
        objs.add("<< /Type /Catalog /Pages 2 0 R >>");
        for (int i = 0; i < depth; i++) {
            int self = i + 2;
            String parent = i == 0 ? "" : " /Parent " + (self - 1) + " 0 R";
            objs.add("<< /Type /Pages /Kids [" + (self + 1) + " 0 R] /Count 1" + parent + " >>");
        }
        objs.add("<< /Type /Page /Parent " + (depth + 1) + " 0 R /MediaBox [0 0 200 200] >>");
        return pdf(objs);
    }

    /**
     * {@code pages} A4 pages in one flat page tree, each drawing only the short line {@code page text here} in
     * Helvetica: a real text layer and no image on any page.
     */
    static byte[] pdfShortLinePages(int pages) {
        String line = "BT /F1 12 Tf 72 770 Td (page text here) Tj ET";
        List<String> objs = new ArrayList<>();
        objs.add("<< /Type /Catalog /Pages 2 0 R >>");
        StringBuilder kids = new StringBuilder();
        for (int i = 0; i < pages; i++) {
            kids.append(4 + 2 * i).append(" 0 R ");
        }
        objs.add("<< /Type /Pages /Kids [" + kids + "] /Count " + pages + " >>");
        objs.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
        for (int i = 0; i < pages; i++) {
            objs.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents "
                    + (5 + 2 * i) + " 0 R >>");
            objs.add("<< /Length " + line.length() + " >>\nstream\n" + line + "\nendstream");
        }
        return pdf(objs);
    }

    /** An endless stream of the given byte (never buffered: produced as it is read). */
    static InputStream endless(byte fill) {
        return new InputStream() {
            @Override
            public int read() {
                return fill & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, fill);
                return len;
            }
        };
    }

    /** A stream that yields {@code good} bytes and then fails, like a client that disconnects. */
    static InputStream failingAfter(byte[] good) {
        return new InputStream() {
            int pos;

            @Override
            public int read() throws IOException {
                if (pos < good.length) {
                    return good[pos++] & 0xff;
                }
                throw new IOException("connection reset by peer (simulated)");
            }
        };
    }

    /** A multipart/form-data body built part by part, with full control over boundaries and headers. */
    static final class Multipart {
        final String boundary;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Multipart(String boundary) {
            this.boundary = boundary;
        }

        Multipart() {
            this("hostile-boundary-42");
        }

        Multipart field(String name, String value) {
            out.writeBytes(ascii("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n"));
            return this;
        }

        Multipart file(String filename, String contentType, byte[] content) {
            return part("Content-Disposition: form-data; name=\"files\"; filename=\"" + filename + "\"\r\nContent-Type: " + contentType, content);
        }

        Multipart part(String headers, byte[] content) {
            out.writeBytes(ascii("--" + boundary + "\r\n" + headers + "\r\n\r\n"));
            out.writeBytes(content);
            out.writeBytes(ascii("\r\n"));
            return this;
        }

        /** @return the body so far, without the closing boundary */
        byte[] unterminated() {
            return out.toByteArray();
        }

        byte[] build() {
            out.writeBytes(ascii("--" + boundary + "--\r\n"));
            return out.toByteArray();
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }
    }

    // ------------------------------------------------------------------ office (processors-office), smallest forms

    static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /** A zip of the given (name, content) pairs, each entry deflated. */
    static byte[] zipOf(String... namesAndContents) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                z.putNextEntry(new ZipEntry(namesAndContents[i]));
                z.write(ascii(namesAndContents[i + 1]));
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** A minimal hand-written docx whose document part is {@code documentXml} (for hostile XML). */
    static byte[] handmadeDocx(String documentXml) {
        return zipOf("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                        + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                        + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                        + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                        + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
                        + "</Types>",
                "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
                        + "</Relationships>",
                "word/document.xml", documentXml);
    }

    static String wordXml(String body) {
        return "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>" + body
                + "</w:body></w:document>";
    }

    /** A docx of one paragraph, written by POI. */
    static byte[] docx(String text) {
        try (org.apache.poi.xwpf.usermodel.XWPFDocument doc = new org.apache.poi.xwpf.usermodel.XWPFDocument()) {
            doc.createParagraph().createRun().setText(text);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The OOXML package encrypted with a password (agile encryption), as Office writes it: an OLE2 file. */
    static byte[] encrypted(byte[] ooxml, String password) {
        try (org.apache.poi.poifs.filesystem.POIFSFileSystem fs = new org.apache.poi.poifs.filesystem.POIFSFileSystem()) {
            org.apache.poi.poifs.crypt.Encryptor encryptor = new org.apache.poi.poifs.crypt.EncryptionInfo(
                    org.apache.poi.poifs.crypt.EncryptionMode.agile).getEncryptor();
            encryptor.confirmPassword(password);
            try (org.apache.poi.openxml4j.opc.OPCPackage opc = org.apache.poi.openxml4j.opc.OPCPackage.open(new java.io.ByteArrayInputStream(ooxml));
                 java.io.OutputStream os = encryptor.getDataStream(fs)) {
                opc.save(os);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fs.writeFilesystem(out);
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A minimal xlsx whose one sheet part inflates to {@code megabytes} MB of one repeated letter inside a cell. */
    static byte[] xlsxSheetBomb(int megabytes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String[] parts = {
            "[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
                + "</Types>",
            "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
                + "</Relationships>",
            "xl/workbook.xml", "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                + "<sheets><sheet name=\"Bomb\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
            "xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                + "</Relationships>"};
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.setLevel(Deflater.BEST_COMPRESSION);
            for (int i = 0; i < parts.length; i += 2) {
                z.putNextEntry(new ZipEntry(parts[i]));
                z.write(ascii(parts[i + 1]));
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
            z.write(ascii("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                    + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>"));
            byte[] a = new byte[1 << 20];
            java.util.Arrays.fill(a, (byte) 'a');
            for (int i = 0; i < megabytes; i++) {
                z.write(a);
            }
            z.write(ascii("</t></is></c></row></sheetData></worksheet>"));
            z.closeEntry();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** An email of {@code parts} one-byte attachments in one multipart/mixed body. */
    static byte[] emlWithParts(int parts) {
        StringBuilder s = new StringBuilder("From: a@example.com\r\nSubject: many\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n");
        for (int i = 0; i < parts; i++) {
            s.append("--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"f")
                    .append(i).append(".bin\"\r\n\r\nx\r\n");
        }
        return ascii(s.append("--b--\r\n").toString());
    }

    /**
     * A presentation of {@code slides} slides, each a title placeholder with one word, zipped by hand (POI's own
     * writer takes quadratic time to add that many slides): the parts the package format needs and nothing else.
     */
    static byte[] pptxWithSlides(int slides) {
        String p = "xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\" "
                + "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
                + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
        StringBuilder types = new StringBuilder("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/ppt/presentation.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml\"/>");
        StringBuilder ids = new StringBuilder();
        StringBuilder rels = new StringBuilder("<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
        for (int i = 1; i <= slides; i++) {
            types.append("<Override PartName=\"/ppt/slides/slide").append(i)
                    .append(".xml\" ContentType=\"application/vnd.openxmlformats-officedocument.presentationml.slide+xml\"/>");
            ids.append("<p:sldId id=\"").append(255 + i).append("\" r:id=\"rId").append(i).append("\"/>");
            rels.append("<Relationship Id=\"rId").append(i).append("\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide\" Target=\"slides/slide")
                    .append(i).append(".xml\"/>");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            String[][] fixed = {
                    {"[Content_Types].xml", types.append("</Types>").toString()},
                    {"_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                            + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"ppt/presentation.xml\"/></Relationships>"},
                    {"ppt/presentation.xml", "<?xml version=\"1.0\"?><p:presentation " + p + "><p:sldIdLst>" + ids + "</p:sldIdLst>"
                            + "<p:sldSz cx=\"9144000\" cy=\"6858000\"/><p:notesSz cx=\"6858000\" cy=\"9144000\"/></p:presentation>"},
                    {"ppt/_rels/presentation.xml.rels", rels.append("</Relationships>").toString()},
            };
            for (String[] f : fixed) {
                z.putNextEntry(new ZipEntry(f[0]));
                z.write(f[1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
            for (int i = 1; i <= slides; i++) {
                z.putNextEntry(new ZipEntry("ppt/slides/slide" + i + ".xml"));
                z.write(("<?xml version=\"1.0\"?><p:sld " + p + "><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/>"
                        + "</p:nvGrpSpPr><p:grpSpPr/><p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Title\"/><p:cNvSpPr/><p:nvPr><p:ph type=\"title\"/></p:nvPr>"
                        + "</p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:p><a:r><a:t>S" + i + "</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>")
                        .getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * An email that attaches itself, as far as bytes can: each level attaches the whole previous message as a
     * {@code message/rfc822} part, {@code depth} levels deep, the innermost carrying a text file.
     */
    static byte[] emlAttachingItself(int depth) {
        String message = "From: loop@example.com\r\nSubject: level 0\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\ninnermost\r\n";
        for (int level = 1; level <= depth; level++) {
            String b = "b" + level;
            message = "From: loop@example.com\r\nSubject: level " + level + "\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: multipart/mixed; boundary=\"" + b + "\"\r\n\r\n--" + b + "\r\nContent-Type: text/plain\r\n\r\n"
                    + "see attached\r\n--" + b + "\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"Fwd.eml\"\r\n\r\n"
                    + message + "\r\n--" + b + "--\r\n";
        }
        return ascii(message);
    }

    /** A workbook with one sheet of secrets, encrypted with a password (RC4, as Excel 97-2003 does). */
    static byte[] encryptedXls(String password) {
        org.apache.poi.hssf.record.crypto.Biff8EncryptionKey.setCurrentUserPassword(password);
        try (org.apache.poi.hssf.usermodel.HSSFWorkbook wb = new org.apache.poi.hssf.usermodel.HSSFWorkbook()) {
            wb.createSheet("Secrets").createRow(0).createCell(0).setCellValue("top secret");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            wb.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            org.apache.poi.hssf.record.crypto.Biff8EncryptionKey.setCurrentUserPassword(null);
        }
    }

    /** An Outlook message (the [MS-OXMSG] streams: subject, body, properties) of about 20 KB, written with POIFS. */
    static byte[] msg() {
        try (org.apache.poi.poifs.filesystem.POIFSFileSystem fs = new org.apache.poi.poifs.filesystem.POIFSFileSystem()) {
            var root = fs.getRoot();
            root.createDocument("__substg1.0_0037001F", new java.io.ByteArrayInputStream("Quarterly".getBytes(StandardCharsets.UTF_16LE)));
            root.createDocument("__substg1.0_1000001F", new java.io.ByteArrayInputStream(
                    "body line\r\n".repeat(800).getBytes(StandardCharsets.UTF_16LE)));
            root.createDocument("__properties_version1.0", new java.io.ByteArrayInputStream(new byte[32]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fs.writeFilesystem(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
