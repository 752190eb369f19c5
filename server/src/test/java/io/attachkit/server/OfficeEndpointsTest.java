package io.attachkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The office processors the server ships (processors-office, a runtime dependency), end to end: a DOCX, an
 * XLSX, an HTML page and an EML written here, sent through {@code POST /attachments} (multipart and base64 JSON)
 * and {@code POST /query}, and their processed content read back from the answer.
 */
class OfficeEndpointsTest {
    static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    static final String EML = "From: Ada Lovelace <ada@example.org>\r\nTo: Bob <bob@example.com>\r\n"
            + "Subject: Engine notes\r\nDate: Mon, 4 Mar 2024 05:06:07 +0000\r\nMessage-ID: <n1@example.org>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nThe engine weaves algebraic patterns.\r\n";
    static final String HTML = "<html lang=\"en\"><head><title>Engine page</title><script>var secret = 1;</script></head>"
            + "<body><h1>Overview</h1><p>The analytical engine.</p><h2>Details</h2><p>It has a <a href=\"https://example.com/mill\">mill</a>.</p>"
            + "</body></html>";

    @TempDir
    Path dir;
    ServerFixture fx;

    @BeforeEach
    void start() {
        fx = new ServerFixture(dir.resolve("store"));
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    static byte[] docx() throws IOException {
        try (XWPFDocument doc = new XWPFDocument()) {
            doc.getProperties().getCoreProperties().setTitle("Engine Report");
            paragraph(doc, "Heading1", "Introduction");
            paragraph(doc, null, "The engine computes Bernoulli numbers.");
            paragraph(doc, "Heading1", "Results");
            paragraph(doc, null, "Forty two cards were punched.");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.write(out);
            return out.toByteArray();
        }
    }

    private static void paragraph(XWPFDocument doc, String style, String text) {
        var p = doc.createParagraph();
        if (style != null) {
            p.setStyle(style);
        }
        p.createRun().setText(text);
    }

    static byte[] xlsx() throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            var sales = wb.createSheet("Sales");
            Object[][] rows = {{"Region", "Units"}, {"North", 10}, {"South", 20}, {"West", 30}};
            for (int r = 0; r < rows.length; r++) {
                var row = sales.createRow(r);
                if (rows[r][1] instanceof String h) {
                    row.createCell(0).setCellValue((String) rows[r][0]);
                    row.createCell(1).setCellValue(h);
                } else {
                    row.createCell(0).setCellValue((String) rows[r][0]);
                    row.createCell(1).setCellValue(((Number) rows[r][1]).doubleValue());
                }
            }
            var notes = wb.createSheet("Notes");
            notes.createRow(0).createCell(0).setCellValue("draft");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            wb.write(out);
            return out.toByteArray();
        }
    }

    private Map<String, Object> uploadMultipart(String name, String mime, byte[] bytes) throws Exception {
        Multipart mp = new Multipart().file("files", name, mime, bytes);
        HttpResponse<String> r = fx.post("/attachments?wait=30", mp.contentType(), mp.build());
        return onlyAttachment(r);
    }

    private Map<String, Object> uploadBase64(String name, String mime, byte[] bytes) throws Exception {
        String body = "{\"conversation_id\":\"c-1\",\"mode\":\"base64\",\"attachments\":[{\"filename\":\"" + name
                + "\",\"mime_type\":\"" + mime + "\",\"data\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"}]}";
        return onlyAttachment(fx.post("/attachments?wait=30", "application/json", body.getBytes(StandardCharsets.UTF_8)));
    }

    private Map<String, Object> onlyAttachment(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<Map<String, Object>> items = list(ServerFixture.json(r.body()).get("items"));
        assertThat(items).hasSize(1);
        assertThat(items.get(0)).as(r.body()).containsEntry("success", true);
        Map<String, Object> a = map(items.get(0).get("attachment"));
        assertThat(a).containsEntry("status", "stored").containsEntry("processing_status", "done");
        return a;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    /** @return the text each span covers, keyed by the span's {@code key} value, in order */
    private static List<String> spanTexts(Map<String, Object> pc, String spans) {
        String text = (String) pc.get("text");
        return list(pc.get(spans)).stream()
                .map(s -> text.substring((Integer) s.get("start"), (Integer) s.get("end")).strip()).toList();
    }

    private static void assertDocx(Map<String, Object> a) {
        assertThat(a).containsEntry("mime_type", DOCX);
        Map<String, Object> pc = map(a.get("processed_content"));
        assertThat(pc).doesNotContainKey("error").containsEntry("type", "document").containsEntry("truncated", false);
        assertThat(pc.get("text")).isEqualTo("Introduction\n\nThe engine computes Bernoulli numbers.\n\nResults\n\n"
                + "Forty two cards were punched.");
        assertThat(list(pc.get("section_spans"))).extracting(s -> s.get("heading")).containsExactly("Introduction", "Results");
        assertThat(spanTexts(pc, "section_spans")).containsExactly("Introduction\n\nThe engine computes Bernoulli numbers.",
                "Results\n\nForty two cards were punched.");
        assertThat(map(pc.get("info"))).containsEntry("title", "Engine Report");
    }

    private static void assertXlsx(Map<String, Object> a) {
        Map<String, Object> pc = map(a.get("processed_content"));
        assertThat(pc).doesNotContainKey("error").containsEntry("type", "spreadsheet").containsEntry("sheet_count", 2);
        List<Map<String, Object>> sheets = list(pc.get("sheets"));
        assertThat(sheets).extracting(s -> s.get("name")).containsExactly("Sales", "Notes");
        assertThat(sheets.get(0)).containsEntry("used_range", "A1:B4").containsEntry("header", true)
                .containsEntry("columns", List.of("Region", "Units")).containsEntry("row_count", 3);
        assertThat(map(map(sheets.get(0).get("numeric_columns")).get("Units"))).containsEntry("count", 3)
                .containsEntry("sum", 60).containsEntry("min", 10).containsEntry("max", 30).containsEntry("mean", 20.0);
        assertThat(list(pc.get("sheet_spans"))).extracting(s -> s.get("sheet")).containsExactly("Sales", "Notes");
        List<String> perSheet = spanTexts(pc, "sheet_spans");
        assertThat(perSheet.get(0)).contains("Region,Units").contains("North,10").contains("West,30");
        assertThat(perSheet.get(1)).contains("draft").doesNotContain("North");
    }

    private static void assertHtml(Map<String, Object> a) {
        Map<String, Object> pc = map(a.get("processed_content"));
        assertThat(pc).doesNotContainKey("error").containsEntry("type", "document").containsEntry("title", "Engine page")
                .containsEntry("lang", "en").containsEntry("link_count", 1);
        assertThat((String) pc.get("text")).contains("The analytical engine.").contains("mill").doesNotContain("secret");
        assertThat(list(pc.get("section_spans"))).extracting(s -> s.get("heading")).containsExactly("Overview", "Details");
        assertThat(spanTexts(pc, "section_spans").get(0)).contains("Overview").contains("The analytical engine.")
                .doesNotContain("Details");
    }

    private static void assertEml(Map<String, Object> a) {
        Map<String, Object> pc = map(a.get("processed_content"));
        assertThat(pc).doesNotContainKey("error").containsEntry("type", "email")
                .containsEntry("from", List.of("Ada Lovelace <ada@example.org>")).containsEntry("to", List.of("Bob <bob@example.com>"))
                .containsEntry("subject", "Engine notes").containsEntry("date", "2024-03-04T05:06:07Z")
                .containsEntry("message_id", "<n1@example.org>").containsEntry("body_type", "text/plain");
        assertThat((String) pc.get("text")).contains("Subject: Engine notes").endsWith("The engine weaves algebraic patterns.");
    }

    @Test
    void multipartUpload_ofDocxXlsxHtmlAndEml_answersTheirProcessedContent() throws Exception {
        assertDocx(uploadMultipart("report.docx", DOCX, docx()));
        assertXlsx(uploadMultipart("sales.xlsx", XLSX, xlsx()));
        assertHtml(uploadMultipart("page.html", "text/html", HTML.getBytes(StandardCharsets.UTF_8)));
        assertEml(uploadMultipart("notes.eml", "message/rfc822", EML.getBytes(StandardCharsets.UTF_8)));
        assertThat(fx.storedFileCount()).isEqualTo(4);
    }

    @Test
    void base64JsonUpload_ofDocxXlsxHtmlAndEml_answersTheirProcessedContent() throws Exception {
        assertDocx(uploadBase64("report.docx", DOCX, docx()));
        assertXlsx(uploadBase64("sales.xlsx", XLSX, xlsx()));
        assertHtml(uploadBase64("page.html", "text/html", HTML.getBytes(StandardCharsets.UTF_8)));
        assertEml(uploadBase64("notes.eml", "message/rfc822", EML.getBytes(StandardCharsets.UTF_8)));
        assertThat(fx.storedFileCount()).isEqualTo(4);
    }

    @Test
    void query_withDocxXlsxHtmlAndEmlParts_answersEachProcessed_inOrder() throws Exception {
        Base64.Encoder b64 = Base64.getEncoder();
        String body = "{\"parts\":["
                + "{\"type\":\"file\",\"name\":\"report.docx\",\"base64\":\"" + b64.encodeToString(docx()) + "\"},"
                + "{\"type\":\"file\",\"name\":\"sales.xlsx\",\"base64\":\"" + b64.encodeToString(xlsx()) + "\"},"
                + "{\"type\":\"file\",\"name\":\"page.html\",\"base64\":\"" + b64.encodeToString(HTML.getBytes(StandardCharsets.UTF_8)) + "\"},"
                + "{\"type\":\"file\",\"name\":\"notes.eml\",\"base64\":\"" + b64.encodeToString(EML.getBytes(StandardCharsets.UTF_8)) + "\"},"
                + "{\"type\":\"text\",\"text\":\"summarise these\"}]}";
        HttpResponse<String> r = fx.post("/query", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<Map<String, Object>> context = list(ServerFixture.json(r.body()).get("context"));
        assertThat(context).extracting(m -> m.get("type")).containsExactly("file", "file", "file", "file", "text");
        assertDocx(map(context.get(0).get("attachment")));
        assertXlsx(map(context.get(1).get("attachment")));
        assertHtml(map(context.get(2).get("attachment")));
        assertEml(map(context.get(3).get("attachment")));
        assertThat(fx.storedFileCount()).isEqualTo(4);
    }
}
