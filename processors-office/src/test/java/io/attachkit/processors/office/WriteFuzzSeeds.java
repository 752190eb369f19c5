package io.attachkit.processors.office;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the fuzz seeds (small valid and nearly valid files): {@code java ... WriteFuzzSeeds <dir>}; not a test. */
final class WriteFuzzSeeds {
    private WriteFuzzSeeds() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        byte[] docx = OfficeFixtures.reportDocx();
        write(root.resolve("docx/report.docx"), docx);
        write(root.resolve("docx/truncated.docx"), java.util.Arrays.copyOf(docx, docx.length / 2));
        write(root.resolve("docx/doctype.docx"), OfficeFixtures.handmadeDocx("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]>"
                + OfficeFixtures.wordXml("<w:p><w:r><w:t>&a;</w:t></w:r></w:p>")));
        write(root.resolve("docx/handmade.docx"), OfficeFixtures.handmadeDocx(OfficeFixtures.wordXml(
                "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>H</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p></w:tc></w:tr></w:tbl>")));
        byte[] xlsx = OfficeFixtures.salesXlsx();
        write(root.resolve("xlsx/sales.xlsx"), xlsx);
        write(root.resolve("xlsx/truncated.xlsx"), java.util.Arrays.copyOf(xlsx, xlsx.length - 100));
        byte[] pptx = OfficeFixtures.roadmapPptx(0);
        write(root.resolve("pptx/roadmap.pptx"), pptx);
        write(root.resolve("pptx/truncated.pptx"), java.util.Arrays.copyOf(pptx, pptx.length / 2));
        write(root.resolve("html/page.html"), ("<!DOCTYPE html><html lang=en><head><title>T</title><meta name=description content=d>"
                + "<meta charset=iso-8859-1></head><body><h1>A</h1><p>x<br>y</p><ul><li><a href=/l>l</a></ul>"
                + "<table><tr><td>1<td>2</table><script>s</script><div hidden>h</div><pre> p </pre></body></html>").getBytes(StandardCharsets.ISO_8859_1));
        write(root.resolve("html/deep.html"), ("<div>".repeat(600) + "x").getBytes(StandardCharsets.US_ASCII));
        write(root.resolve("eml/invoice.eml"), EmlProcessorTest.invoiceEmail());
        write(root.resolve("odt/notes.odt"), OdtProcessorTest.odt("<text:h text:outline-level=\"1\">H</text:h><text:p>a<text:s/>b</text:p>"
                + "<table:table><table:table-row><table:table-cell><text:p>c</text:p></table:table-cell></table:table-row></table:table>", ""));
        write(root.resolve("eml/nested.eml"), ("From: a@b.c\r\nSubject: =?UTF-8?B?w6TDtsO8?=\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n"
                + "--x\r\nContent-Type: multipart/alternative; boundary=y\r\n\r\n--y\r\nContent-Type: text/html; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n<p>h=C3=A9</p>\r\n--y--\r\n--x\r\nContent-Type: message/rfc822\r\n\r\n"
                + "From: d@e.f\r\n\r\ninner\r\n--x--\r\n").getBytes(StandardCharsets.US_ASCII));
        writeLegacyAndOdfSeeds(root);
    }

    /** The seeds of the doc, xls, ppt, ods, odp and msg targets. */
    static void writeLegacyAndOdfSeeds(Path root) throws Exception {
        byte[] doc = DocProcessorTest.reportDoc();
        write(root.resolve("doc/report.doc"), doc);
        write(root.resolve("doc/truncated.doc"), java.util.Arrays.copyOf(doc, doc.length / 2));
        write(root.resolve("xls/sales.xls"), LegacyOfficeProcessorsTest.salesXls(null));
        write(root.resolve("ppt/roadmap.ppt"), LegacyOfficeProcessorsTest.roadmapPpt());
        write(root.resolve("ods/sales.ods"), OdsOdpProcessorTest.salesOds());
        write(root.resolve("odp/roadmap.odp"), OdsOdpProcessorTest.roadmapOdp());
        byte[] msg = MsgFixtures.memo();
        write(root.resolve("msg/memo.msg"), msg);
        write(root.resolve("msg/truncated.msg"), java.util.Arrays.copyOf(msg, msg.length / 2));
    }

    private static void write(Path file, byte[] bytes) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }
}
