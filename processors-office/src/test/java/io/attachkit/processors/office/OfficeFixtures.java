package io.attachkit.processors.office;

import io.attachkit.ProcessingInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.wp.usermodel.HeaderFooterType;
import org.apache.poi.xwpf.usermodel.XWPFComment;
import org.apache.poi.xwpf.usermodel.XWPFComments;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFFootnote;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFTable;

/** Real office files the tests make themselves with Apache POI, and hostile ones made by hand. */
final class OfficeFixtures {
    static final String DOCX = DocxProcessor.MIME;
    static final String XLSX = XlsxProcessor.MIME;
    static final String PPTX = PptxProcessor.MIME;

    private OfficeFixtures() {
    }

    static ProcessingInput input(String filename, String mime, byte[] bytes) {
        return new ProcessingInput(filename, mime, bytes.length, null, () -> new ByteArrayInputStream(bytes), null);
    }

    /**
     * A report: title and author, a header and a footer, two headings with body text, a 3x2 table, a
     * footnote, a comment, and tracked changes (an insertion and a deletion).
     */
    static byte[] reportDocx() {
        try (XWPFDocument doc = new XWPFDocument()) {
            var core = doc.getProperties().getCoreProperties();
            core.setTitle("Quarterly Report");
            core.setCreator("Ada Lovelace");
            core.setCreated("2024-01-02T03:04:05Z");
            core.setModified("2024-02-03T04:05:06Z");
            doc.getProperties().getExtendedProperties().getUnderlyingProperties().setPages(3);
            doc.createHeader(HeaderFooterType.DEFAULT).createParagraph().createRun().setText("ACME Confidential");
            doc.createFooter(HeaderFooterType.DEFAULT).createParagraph().createRun().setText("Page footer");

            paragraph(doc, "Heading1", "Introduction");
            XWPFParagraph intro = paragraph(doc, null, "Sales grew in every region.");
            XWPFFootnote note = doc.createFootnote();
            note.createParagraph().createRun().setText("Unaudited figures.");
            intro.getCTP().addNewR().addNewFootnoteReference().setId(note.getId());

            XWPFParagraph changed = paragraph(doc, null, "The outlook is ");
            var ins = changed.getCTP().addNewIns();
            ins.setId(BigInteger.valueOf(101));
            ins.setAuthor("Bob");
            ins.addNewR().addNewT().setStringValue("bright");
            var del = changed.getCTP().addNewDel();
            del.setId(BigInteger.valueOf(102));
            del.setAuthor("Bob");
            del.addNewR().addNewDelText().setStringValue("gloomy");

            paragraph(doc, "Heading2", "Figures");
            XWPFTable table = doc.createTable(3, 2);
            String[][] cells = {{"Region", "Sales"}, {"North", "120"}, {"South", "80"}};
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 2; c++) {
                    table.getRow(r).getCell(c).setText(cells[r][c]);
                }
            }
            paragraph(doc, null, "End of figures.");

            XWPFComments comments = doc.createComments();
            XWPFComment comment = comments.createComment(BigInteger.ONE);
            comment.setAuthor("Grace");
            comment.createParagraph().createRun().setText("Check the South number.");
            return write(doc);
        } catch (IOException | org.apache.poi.openxml4j.exceptions.InvalidFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A docx of {@code paragraphs} paragraphs of about 60 characters each, a heading every 100. */
    static byte[] largeDocx(int paragraphs) {
        try (XWPFDocument doc = new XWPFDocument()) {
            for (int i = 0; i < paragraphs; i++) {
                if (i % 100 == 0) {
                    paragraph(doc, "Heading1", "Chapter " + (i / 100 + 1));
                }
                paragraph(doc, null, "Paragraph " + i + " says something about the quarterly numbers.");
            }
            return write(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static XWPFParagraph paragraph(XWPFDocument doc, String style, String text) {
        XWPFParagraph p = doc.createParagraph();
        if (style != null) {
            p.setStyle(style);
        }
        p.createRun().setText(text);
        return p;
    }

    static byte[] write(XWPFDocument doc) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        doc.write(out);
        return out.toByteArray();
    }

    /** The OOXML package encrypted with a password (agile encryption), as Office writes it: an OLE2 file. */
    static byte[] encrypt(byte[] ooxml, String password) {
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            Encryptor encryptor = new EncryptionInfo(EncryptionMode.agile).getEncryptor();
            encryptor.confirmPassword(password);
            try (OPCPackage opc = OPCPackage.open(new ByteArrayInputStream(ooxml)); OutputStream os = encryptor.getDataStream(fs)) {
                opc.save(os);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fs.writeFilesystem(out);
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A minimal docx whose document part is {@code documentXml}, written by hand (for hostile XML). */
    static byte[] handmadeDocx(String documentXml) {
        return zip("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
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

    static byte[] zip(String... namesAndContents) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                z.putNextEntry(new ZipEntry(namesAndContents[i]));
                z.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A docx whose document part inflates from about 20 KB to {@code megabytes} MB of one repeated letter. */
    static byte[] zipBombDocx(int megabytes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] handmade = handmadeDocx(wordXml("<w:p><w:r><w:t>x</w:t></w:r></w:p>"));
        try (ZipOutputStream z = new ZipOutputStream(bytes);
             java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new ByteArrayInputStream(handmade))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                z.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals("word/document.xml")) {
                    z.write(("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>")
                            .getBytes(StandardCharsets.UTF_8));
                    byte[] a = new byte[1 << 20];
                    java.util.Arrays.fill(a, (byte) 'a');
                    for (int i = 0; i < megabytes; i++) {
                        z.write(a);
                    }
                    z.write("</w:t></w:r></w:p></w:body></w:document>".getBytes(StandardCharsets.UTF_8));
                } else {
                    in.transferTo(z);
                }
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Sheet "Sales": header Region, Units, Price, Day; three rows; a total row whose formula cell caches 60;
     * a cell whose formula says 1+1 but whose cached value is 5 (so evaluation would show). Sheet "Secret",
     * hidden. Sheet "Raw": numbers only (no header).
     */
    static byte[] salesXlsx() {
        try (org.apache.poi.xssf.usermodel.XSSFWorkbook wb = new org.apache.poi.xssf.usermodel.XSSFWorkbook()) {
            wb.getProperties().getCoreProperties().setTitle("Sales 2024");
            wb.getProperties().getCoreProperties().setCreator("Ada Lovelace");
            var sales = wb.createSheet("Sales");
            var dateStyle = wb.createCellStyle();
            dateStyle.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
            Object[][] rows = {{"Region", "Units", "Price", "Day"}, {"North", 10, 2.5, java.time.LocalDate.of(2024, 1, 2)},
                    {"South, East", 20, 3.25, java.time.LocalDate.of(2024, 1, 3)}, {"West", 30, 0.1, java.time.LocalDate.of(2024, 1, 4)}};
            for (int r = 0; r < rows.length; r++) {
                var row = sales.createRow(r);
                for (int c = 0; c < rows[r].length; c++) {
                    var cell = row.createCell(c);
                    if (rows[r][c] instanceof String v) {
                        cell.setCellValue(v);
                    } else if (rows[r][c] instanceof java.time.LocalDate d) {
                        cell.setCellValue(d);
                        cell.setCellStyle(dateStyle);
                    } else {
                        cell.setCellValue(((Number) rows[r][c]).doubleValue());
                    }
                }
            }
            var total = sales.createRow(4);
            total.createCell(0).setCellValue("Total");
            total.createCell(1).setCellFormula("SUM(B2:B4)");
            wb.getCreationHelper().createFormulaEvaluator().evaluateFormulaCell(total.getCell(1));
            var trap = total.createCell(2);
            trap.setCellFormula("1+1");
            trap.setCellValue(5);
            var secret = wb.createSheet("Secret");
            secret.createRow(0).createCell(0).setCellValue("password");
            secret.createRow(1).createCell(0).setCellValue("hunter2");
            wb.setSheetHidden(1, true);
            var raw = wb.createSheet("Raw");
            for (int r = 0; r < 3; r++) {
                raw.createRow(r).createCell(0).setCellValue(r + 1);
                raw.getRow(r).createCell(1).setCellValue((r + 1) * 1.5);
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            wb.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One sheet of {@code rows} data rows (id, amount = id * 0.5, label) under a header, written with POI's
     * streaming SXSSF writer (so the test itself does not hold the sheet either), to {@code file}.
     */
    static void largeXlsx(java.nio.file.Path file, int rows) {
        try (org.apache.poi.xssf.streaming.SXSSFWorkbook wb = new org.apache.poi.xssf.streaming.SXSSFWorkbook(100);
             OutputStream out = java.nio.file.Files.newOutputStream(file)) {
            wb.setCompressTempFiles(true);
            var sheet = wb.createSheet("Big");
            var header = sheet.createRow(0);
            header.createCell(0).setCellValue("id");
            header.createCell(1).setCellValue("amount");
            header.createCell(2).setCellValue("label");
            for (int r = 1; r <= rows; r++) {
                var row = sheet.createRow(r);
                row.createCell(0).setCellValue(r);
                row.createCell(1).setCellValue(r * 0.5);
                row.createCell(2).setCellValue("row " + (r % 1000));
            }
            wb.write(out);
            wb.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Slide 1: title "Roadmap", two bullet lines, notes "Mention the budget". Slide 2: title "Numbers", a 2x2
     * table. Slide 3: only a picture. Then {@code extra} more slides titled "Extra n".
     */
    static byte[] roadmapPptx(int extra) {
        try (org.apache.poi.xslf.usermodel.XMLSlideShow show = new org.apache.poi.xslf.usermodel.XMLSlideShow()) {
            show.getProperties().getCoreProperties().setTitle("Roadmap 2025");
            var layout = show.getSlideMasters().get(0).getLayout(org.apache.poi.xslf.usermodel.SlideLayout.TITLE_AND_CONTENT);
            var titleOnly = show.getSlideMasters().get(0).getLayout(org.apache.poi.xslf.usermodel.SlideLayout.TITLE_ONLY);
            var first = show.createSlide(layout);
            first.getPlaceholder(0).setText("Roadmap");
            first.getPlaceholder(1).setText("Ship the parser\nHire two engineers");
            var notes = show.getNotesSlide(first);
            for (var ph : notes.getPlaceholders()) {
                if (ph.getTextType() == org.apache.poi.sl.usermodel.Placeholder.BODY) {
                    ph.setText("Mention the budget");
                }
            }
            var second = show.createSlide(titleOnly);
            second.getPlaceholder(0).setText("Numbers");
            var table = second.createTable();
            String[][] cells = {{"Quarter", "Revenue"}, {"Q1", "10"}};
            for (String[] r : cells) {
                var row = table.addRow();
                for (String c : r) {
                    row.addCell().setText(c);
                }
            }
            var third = show.createSlide();
            var picture = show.addPicture(png(), org.apache.poi.sl.usermodel.PictureData.PictureType.PNG);
            third.createPicture(picture);
            for (int i = 1; i <= extra; i++) {
                show.createSlide(titleOnly).getPlaceholder(0).setText("Extra " + i);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            show.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] png() throws IOException {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
