package io.attachkit.server.hostile;

import static io.attachkit.server.hostile.HostileBytes.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.attachkit.Attachment;
import io.attachkit.AttachmentException;
import io.attachkit.AttachmentStatus;
import io.attachkit.FileTooLargeException;
import io.attachkit.InvalidContentException;
import io.attachkit.StoredFileNotFoundException;
import io.attachkit.UnsafePathException;
import io.attachkit.UnsupportedFileTypeException;
import io.attachkit.server.hostile.HostileBytes.Multipart;
import io.attachkit.server.hostile.HostileEnv.Resp;
import io.attachkit.server.hostile.HostileEnv.Run;
import io.attachkit.server.hostile.HostileEnv.Snapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input against every entry point, one row per case: the library factories and builder, Tyler JSON,
 * the track-attachments request (JSON and multipart) and the query request over the real HTTP server, the
 * CLI in-process, {@code /files} paths and Range headers. Each row names its entry point, the input and the
 * expected outcome (a typed attachkit exception, a 4xx with a JSON error body, a per-item error, a non-zero
 * exit with a message, or a contained success). After every row: nothing changed outside the store (a canary
 * directory sits next to it), no stored file was lost, the store gained exactly the files the row expects,
 * each with its sidecar, and no temp file is left in the store or in {@code java.io.tmpdir}.
 *
 * <p>Runs in its own surefire execution with a small heap ({@code -Xmx256m}, see server/pom.xml), so an input
 * that were buffered instead of streamed (an endless upload, a zip bomb) would fail the run.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileInputTest {
    @TempDir
    static Path sandbox;
    static HostileEnv env;
    static final List<Case> RAN = new ArrayList<>();

    /** What a row expects; {@link #verify} asserts it. */
    interface Outcome {
        String describe();

        void verify(HostileEnv env) throws Exception;
    }

    /** A case whose own code asserts the outcome. */
    interface Check {
        void run(HostileEnv env) throws Exception;
    }

    /** A request against the running server. */
    interface Call {
        Resp send(HostileEnv env) throws Exception;
    }

    /** A library call that must fail. */
    interface Action {
        Object run(HostileEnv env) throws Exception;
    }

    /**
     * One row of the table.
     *
     * @param entry the entry point
     * @param input what is sent
     * @param outcome what must happen
     * @param stores how many files the store gains
     */
    record Case(String entry, String input, Outcome outcome, int stores) {
        @Override
        public String toString() {
            return entry + " | " + input + " -> " + outcome.describe();
        }
    }

    @BeforeAll
    static void start() throws IOException {
        env = new HostileEnv(sandbox);
    }

    @AfterAll
    static void stop() throws IOException {
        env.close();
        // the table as Markdown, for docs/security.md
        StringBuilder md = new StringBuilder("| entry point | input | expected |\n|---|---|---|\n");
        synchronized (RAN) {
            for (Case c : RAN) {
                md.append("| ").append(c.entry()).append(" | ").append(c.input().replace("|", "\\|")).append(" | ")
                        .append(c.outcome().describe().replace("|", "\\|")).append(" |\n");
            }
        }
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("hostile-input-cases.md"), md);
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void hostileInput_isRefusedOrContained_andNothingLeaksOrIsLeftHalfWritten(Case c) throws Exception {
        Snapshot before = env.snapshot();
        c.outcome().verify(env);
        Snapshot after = env.snapshot();
        assertThat(after.outsideStore()).as("nothing outside the store changed (canary directory included)")
                .isEqualTo(before.outsideStore());
        assertThat(after.ids()).as("no stored file was lost").containsAll(before.ids());
        assertThat(after.ids().size() - before.ids().size()).as("files the store gained").isEqualTo(c.stores());
        // processing results are kept as derived records: one file per processed content, with no sidecar
        assertThat(after.filesInStore()).as("every stored file has its sidecar, and derived records, nothing else")
                .isEqualTo(2L * after.ids().size() + after.derivedRecords());
        assertThat(after.tempFilesInStore()).as("temp files left in the store").isEmpty();
        assertThat(after.systemTempFiles()).as("temp files left in java.io.tmpdir").isEqualTo(before.systemTempFiles());
        synchronized (RAN) {
            RAN.add(c);
        }
    }

    // ================================================================== the table

    static Stream<Case> cases() {
        List<Case> t = new ArrayList<>();
        String longName = "a".repeat(10_000) + ".txt";
        String nfc = Normalizer.normalize("café.txt", Normalizer.Form.NFC);
        String nfd = Normalizer.normalize("café.txt", Normalizer.Form.NFD);
        String html = "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>";
        String svg = "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
                + "<script>alert(1)</script><rect width=\"10\" height=\"10\"/></svg>";
        byte[] png = HostileBytes.pngBomb(2, 2);
        // a type no store allows by default (HTML now is: it is stored and served only as a sandboxed download)
        byte[] exe = {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0};
        String b64 = Base64.getEncoder().encodeToString(ascii("hello, hostile world"));
        String deep = "[".repeat(100_000);

        // ---------------------------------------------------------- library factories and builder
        t.add(raises("Attachment.fromBase64", "'$' inside the base64", InvalidContentException.class,
                e -> Attachment.fromBase64("a.txt", "aGVs$bG8=", null)));
        t.add(raises("Attachment.fromBase64", "padding in the middle ('aGk=aGk=')", InvalidContentException.class,
                e -> Attachment.fromBase64("a.txt", "aGk=aGk=", null)));
        t.add(raises("Attachment.fromBase64", "impossible length (5 characters)", InvalidContentException.class,
                e -> Attachment.fromBase64("a.txt", "aGVsb", null)));
        t.add(raises("Attachment.fromBase64", "standard and URL-safe alphabets mixed", InvalidContentException.class,
                e -> Attachment.fromBase64("a.txt", "ab+/ab-_", null)));
        t.add(raises("Attachment.fromBase64", "data URI without a comma", InvalidContentException.class,
                e -> Attachment.fromBase64("a.txt", "data:text/plain;base64", null)));
        t.add(raises("Attachment.fromBase64", "data URI that is not base64 ('data:text/plain,hi')", InvalidContentException.class,
                e -> Attachment.fromBase64("a.txt", "data:text/plain,hi", null)));
        t.add(raises("Attachment.fromBase64", "data URI with a header-injecting type ('text/html\\r\\nX: y')", InvalidContentException.class,
                e -> Attachment.fromBase64("a.txt", "data:text/html\r\nX: y;base64," + b64, null)));
        t.add(raises("Attachment.fromBase64", "null content", InvalidContentException.class,
                e -> Attachment.fromBase64("a.txt", null, null)));
        t.add(raises("Attachment.fromBytes", "blank filename", InvalidContentException.class,
                e -> Attachment.fromBytes("   ", ascii("x"), null)));
        t.add(raises("Attachment.fromBytes", "missing (null) filename", InvalidContentException.class,
                e -> Attachment.fromBytes(null, ascii("x"), null)));
        t.add(raises("Attachment.fromBytes", "NUL in the filename ('a\\0.txt')", InvalidContentException.class,
                e -> Attachment.fromBytes("a\0.txt", ascii("x"), null)));
        t.add(raises("Attachment.fromBytes", "terminal escape in the filename ('\\u001b[2J.txt')", InvalidContentException.class,
                e -> Attachment.fromBytes("\u001b[2J.txt", ascii("x"), null)));
        t.add(raises("Attachment.fromBytes", "filename of 10,000 characters", InvalidContentException.class,
                e -> Attachment.fromBytes(longName, ascii("x"), null)));
        t.add(contained("Attachment.fromBytes", "filename '../../canary/pwned.txt'",
                "stored inside the store under its id; the name is only a display name", 1, e -> {
                    Attachment a = Attachment.fromBytes("../../canary/pwned.txt", ascii("traversal"), null).ensureStored(e.store);
                    assertThat(a.storagePath()).matches("[A-Za-z0-9]{2}/[A-Za-z0-9_-]+\\.txt");
                    assertThat(a.filename()).isEqualTo("../../canary/pwned.txt");
                }));
        t.add(contained("Attachment.fromBytes", "the same name in NFC and in NFD ('café.txt'), different bytes",
                "two distinct files, each name kept exactly, each read back with its own bytes", 2, e -> {
                    Attachment a = Attachment.fromBytes(nfc, ascii("composed"), null).ensureStored(e.store);
                    Attachment b = Attachment.fromBytes(nfd, ascii("decomposed"), null).ensureStored(e.store);
                    assertThat(a.fileId()).isNotEqualTo(b.fileId());
                    assertThat(e.store.stat(a.fileId()).filename()).isEqualTo(nfc);
                    assertThat(e.store.stat(b.fileId()).filename()).isEqualTo(nfd);
                    assertThat(e.store.get(a.fileId())).isEqualTo(ascii("composed"));
                    assertThat(e.store.get(b.fileId())).isEqualTo(ascii("decomposed"));
                }));
        t.add(raises("Attachment.fromBytes", "a Windows executable declared as image/png", UnsupportedFileTypeException.class,
                e -> Attachment.fromBytes("cat.png", exe, "image/png").ensureStored(e.store)));
        t.add(contained("Attachment.fromBytes", "a PNG named report.pdf and declared application/pdf",
                "stored and served as image/png; processed_content.mime_mismatch records the lie", 1, e -> {
                    Attachment a = Attachment.fromBytes("report.pdf", png, "application/pdf").ensureStored(e.store);
                    assertThat(a.mimeType()).isEqualTo("image/png");
                    assertThat(e.store.stat(a.fileId()).mimeType()).isEqualTo("image/png");
                    assertThat(e.get("/files/" + a.storagePath()).header("Content-Type")).isEqualTo("image/png");
                    assertThat(a.processedContent().get("mime_mismatch")).isNotNull();
                }));
        t.add(contained("Attachment.fromBytes", "declared type with a CRLF header injection",
                "the declaration is ignored: stored as the detected text/plain", 1, e -> {
                    Attachment a = Attachment.fromBytes("a.txt", ascii("plain words"), "text/plain\r\nX-Evil: 1").ensureStored(e.store);
                    assertThat(a.mimeType()).isEqualTo("text/plain");
                }));
        t.add(raises("Attachment.fromPath", "a directory", InvalidContentException.class,
                e -> Attachment.fromPath(e.inputs)));
        t.add(raises("Attachment.fromPath", "/dev/zero (endless, not a regular file)", InvalidContentException.class,
                e -> Attachment.fromPath(Path.of("/dev/zero"))));
        t.add(raises("Attachment.fromPath", "a named pipe nobody writes to (would block forever)", InvalidContentException.class,
                e -> Attachment.fromPath(fifo(e, "pipe-lib"))));
        t.add(raises("Attachment.fromStream", "an endless stream (a huge undeclared length)", FileTooLargeException.class,
                e -> Attachment.fromStream("endless.txt", HostileBytes.endless((byte) 'a'), "text/plain").ensureStored(e.store)));
        t.add(raises("Attachment.fromStream", "a stream that fails after 1 MiB (client disconnect)", AttachmentException.class,
                e -> Attachment.fromStream("cut.txt", HostileBytes.failingAfter(new byte[1 << 20]), null).ensureStored(e.store)));
        t.add(raises("Attachment.builder", "file_id '../../etc/passwd'", UnsafePathException.class,
                e -> Attachment.builder().filename("a.txt").fileId("../../etc/passwd").build()));
        t.add(raises("Attachment.builder", "storage_path 'ab/../../canary/canary.txt'", UnsafePathException.class,
                e -> Attachment.builder().filename("a.txt").storagePath("ab/../../canary/canary.txt").build()));
        t.add(raises("Attachment.builder", "storage_path of another file id", InvalidContentException.class,
                e -> Attachment.builder().filename("a.txt").fileId("abcdef123").storagePath("zz/zzzzzz.txt").build()));
        t.add(raises("Attachment.builder", "base64 given before the filename, invalid", InvalidContentException.class,
                e -> Attachment.builder().base64("not base64!").filename("a.txt").build()));
        t.add(contained("Attachments.storeAndProcess", "zip bomb: 256 KiB that inflate to 256 MiB",
                "stored as application/zip and never inflated (binary summary)", 1, e -> {
                    Attachment a = e.attachments.storeAndProcess(Attachment.fromBytes("bomb.zip", zipBomb(), null));
                    assertThat(a.mimeType()).isEqualTo("application/zip");
                    assertThat(a.processedContent().type()).isEqualTo("binary");
                    assertThat(a.size()).isLessThan(2L << 20);
                }));
        t.add(processedWithBoundedWork("Attachments.storeAndProcess", "PNG bomb: header declares 100000 x 100000 pixels",
                "png-bomb.png", HostileBytes.pngBomb(100_000, 100_000), "pixels"));
        t.add(processedWithBoundedWork("Attachments.storeAndProcess", "PDF whose page tree lists itself (a loop)",
                "loop.pdf", HostileBytes.pdfPageTreeLoop(), null));
        t.add(processedWithBoundedWork("Attachments.storeAndProcess", "PDF claiming 2,000,000,000 pages",
                "count.pdf", HostileBytes.pdfHugePageCount(), null));
        t.add(processedWithBoundedWork("Attachments.storeAndProcess", "PDF with a page tree nested 3,000 deep",
                "deep.pdf", HostileBytes.pdfDeepPageTree(3_000), null));

        // ---------------------------------------------------------- Tyler JSON
        t.add(raises("Attachment.fromJson", "100,000 nested arrays", InvalidContentException.class,
                e -> Attachment.fromJson("{\"filename\":\"a.txt\",\"x\":" + deep)));
        t.add(raises("Attachment.fromJson", "not JSON", InvalidContentException.class, e -> Attachment.fromJson("filename=a.txt")));
        t.add(raises("Attachment.fromJson", "a JSON array instead of an object", InvalidContentException.class,
                e -> Attachment.fromJson("[{\"filename\":\"a.txt\"}]")));
        t.add(raises("Attachment.fromJson", "no filename", InvalidContentException.class,
                e -> Attachment.fromJson("{\"content\":\"" + b64 + "\"}")));
        t.add(raises("Attachment.fromJson", "filename is a number", InvalidContentException.class,
                e -> Attachment.fromJson("{\"filename\":42,\"content\":\"" + b64 + "\"}")));
        t.add(raises("Attachment.fromJson", "file_id '../../../etc/passwd'", UnsafePathException.class,
                e -> Attachment.fromJson("{\"filename\":\"a.txt\",\"file_id\":\"../../../etc/passwd\"}")));
        t.add(raises("Attachment.fromJson", "storage_path '/etc/passwd'", UnsafePathException.class,
                e -> Attachment.fromJson("{\"filename\":\"a.txt\",\"storage_path\":\"/etc/passwd\"}")));
        t.add(raises("Attachment.fromJson", "storage_path 'ab/%2e%2e%2f%2e%2e%2fcanary'", UnsafePathException.class,
                e -> Attachment.fromJson("{\"filename\":\"a.txt\",\"storage_path\":\"ab/%2e%2e%2f%2e%2e%2fcanary\"}")));
        t.add(raises("Attachment.fromJson", "content that is not base64", InvalidContentException.class,
                e -> Attachment.fromJson("{\"filename\":\"a.txt\",\"content\":\"<script>\"}")));
        t.add(raises("Attachment.fromJson", "unknown status 'hacked'", InvalidContentException.class,
                e -> Attachment.fromJson("{\"filename\":\"a.txt\",\"status\":\"hacked\",\"content\":\"" + b64 + "\"}")));
        t.add(raises("Attachment.fromJson", "size of 10^30 (past 2^63)", InvalidContentException.class,
                e -> Attachment.fromJson("{\"filename\":\"a.txt\",\"size\":1000000000000000000000000000000,\"content\":\"" + b64 + "\"}")));
        t.add(raises("Attachment.fromJson", "negative size", InvalidContentException.class,
                e -> Attachment.fromJson("{\"filename\":\"a.txt\",\"size\":-5,\"content\":\"" + b64 + "\"}")));
        t.add(raises("Attachment.fromJson", "size as a string", InvalidContentException.class,
                e -> Attachment.fromJson("{\"filename\":\"a.txt\",\"size\":\"5\",\"content\":\"" + b64 + "\"}")));
        t.add(raises("Attachment.fromJson", "a well-formed file_id that is not stored, then opened", StoredFileNotFoundException.class,
                e -> Attachment.fromJson("{\"filename\":\"a.txt\",\"file_id\":\"0000deadbeef\"}").openContent(e.store)));

        // ---------------------------------------------------------- POST /attachments, JSON
        t.add(status("POST /attachments (JSON)", "100,000 nested arrays", 400,
                e -> e.post("/attachments", "application/json", ascii("{\"attachments\":" + deep))));
        t.add(status("POST /attachments (JSON)", "not JSON", 400, e -> e.post("/attachments", "application/json", ascii("hello"))));
        t.add(status("POST /attachments (JSON)", "empty body", 400, e -> e.post("/attachments", "application/json", new byte[0])));
        t.add(status("POST /attachments (JSON)", "'attachments' is a string", 400,
                e -> e.post("/attachments", "application/json", ascii("{\"attachments\":\"x\"}"))));
        t.add(status("POST /attachments (JSON)", "unknown mode 'ftp'", 400,
                e -> e.post("/attachments", "application/json", ascii("{\"mode\":\"ftp\",\"attachments\":[]}"))));
        t.add(status("POST /attachments (JSON)", "a 1,000-digit number", 400,
                e -> e.post("/attachments", "application/json", ascii("{\"n\":" + "9".repeat(1000) + ",\"attachments\":[]}"))));
        t.add(status("POST /attachments (JSON)", "11 attachments (limit 10)", 400,
                e -> e.post("/attachments", "application/json", ascii(trackJson(11, "{\"filename\":\"a%d.txt\",\"data\":\"" + b64 + "\"}")))));
        t.add(status("POST /attachments", "Content-Type text/html", 415,
                e -> e.post("/attachments", "text/html", ascii("<html></html>"))));
        t.add(itemError("POST /attachments (JSON)", "invalid base64 item", "base64",
                e -> e.post("/attachments", "application/json", ascii(trackJson(1, "{\"filename\":\"a.txt\",\"data\":\"@@@@\"}")))));
        t.add(itemError("POST /attachments (JSON)", "data URI that is not base64", "base64",
                e -> e.post("/attachments", "application/json", ascii(trackJson(1, "{\"filename\":\"a.txt\",\"data\":\"data:text/plain,hi\"}")))));
        t.add(itemError("POST /attachments (JSON)", "mode form_data with a base64 string (mode mismatch)", "",
                e -> e.post("/attachments", "application/json",
                        ascii("{\"mode\":\"form_data\",\"attachments\":[{\"filename\":\"a.txt\",\"data\":\"" + b64 + "\"}]}"))));
        t.add(itemError("POST /attachments (JSON)", "item without a filename", "filename",
                e -> e.post("/attachments", "application/json", ascii(trackJson(1, "{\"data\":\"" + b64 + "\"}")))));
        t.add(itemError("POST /attachments (JSON)", "item without data", "",
                e -> e.post("/attachments", "application/json", ascii(trackJson(1, "{\"filename\":\"a.txt\"}")))));
        t.add(itemError("POST /attachments (JSON)", "filename with CRLF ('a\\r\\nSet-Cookie: x')", "control character",
                e -> e.post("/attachments", "application/json", ascii(trackJson(1, "{\"filename\":\"a\\r\\nSet-Cookie: x\",\"data\":\"" + b64 + "\"}")))));
        t.add(itemError("POST /attachments (JSON)", "filename of 10,000 characters", "characters",
                e -> e.post("/attachments", "application/json", ascii(trackJson(1, "{\"filename\":\"" + longName + "\",\"data\":\"" + b64 + "\"}")))));
        t.add(stored("POST /attachments (JSON)", "filename '../../canary/pwned.txt'", 1,
                e -> e.post("/attachments", "application/json", ascii(trackJson(1, "{\"filename\":\"../../canary/pwned.txt\",\"data\":\"" + b64 + "\"}")))));
        t.add(status("POST /attachments (raw)", "Content-Length: 10^12 declared (nothing sent)", 413,
                e -> e.raw("POST /attachments HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 1000000000000\n",
                        InputStream.nullInputStream(), false)));
        t.add(refusedByEngine("POST /attachments (raw)", "Content-Length: 99999999999999999999 (past 2^63)",
                e -> e.raw("POST /attachments HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 99999999999999999999\n",
                        InputStream.nullInputStream(), false)));
        t.add(refusedByEngine("POST /attachments (raw)", "Content-Length: -5",
                e -> e.raw("POST /attachments HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: -5\n",
                        InputStream.nullInputStream(), false)));
        t.add(refusedByEngine("POST /attachments (raw)", "Content-Length and Transfer-Encoding together (request smuggling)",
                e -> e.raw("POST /attachments HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 1000000000000\nTransfer-Encoding: chunked\n",
                        new ByteArrayInputStream(ascii("{}")), true)));
        t.add(status("POST /attachments (raw)", "Content-Length larger than the body, then EOF", 400,
                e -> e.raw("POST /attachments HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 5000\n",
                        new ByteArrayInputStream(ascii(trackJson(1, "{\"filename\":\"a.txt\",\"data\":\"" + b64 + "\"}"))), false)));
        t.add(status("POST /attachments (raw)", "Content-Length smaller than the body (JSON cut short)", 400,
                e -> e.raw("POST /attachments HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 20\nConnection: close\n",
                        new ByteArrayInputStream(ascii(trackJson(1, "{\"filename\":\"a.txt\",\"data\":\"" + b64 + "\"}"))), false)));
        t.add(status("POST /attachments (raw)", "endless chunked JSON body", 413,
                e -> e.raw("POST /attachments HTTP/1.1\nHost: x\nContent-Type: application/json\nTransfer-Encoding: chunked\n",
                        new SequenceInputStream(new ByteArrayInputStream(ascii("{\"attachments\":[{\"filename\":\"a.txt\",\"data\":\"")),
                                HostileBytes.endless((byte) 'A')), true)));

        // ---------------------------------------------------------- POST /attachments, multipart
        t.add(status("POST /attachments (multipart)", "missing closing boundary", 400,
                e -> multipart(e, new Multipart().file("a.txt", "text/plain", ascii("unfinished")).unterminated())));
        t.add(status("POST /attachments (multipart)", "no boundary parameter", 400,
                e -> e.post("/attachments", "multipart/form-data", new Multipart().file("a.txt", "text/plain", ascii("x")).build())));
        t.add(status("POST /attachments (multipart)", "a 100,000-character boundary", 400, e -> {
            Multipart m = new Multipart("b".repeat(100_000));
            return e.post("/attachments", m.contentType(), m.file("a.txt", "text/plain", ascii("x")).build());
        }));
        t.add(status("POST /attachments (multipart)", "body that never starts a part (no boundary at all)", 400,
                e -> e.post("/attachments", new Multipart().contentType(), ascii("just some bytes, no parts"))));
        t.add(status("POST /attachments (multipart)", "part headers of 20,000 bytes", 400,
                e -> multipart(e, new Multipart().part("Content-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\nX-Pad: "
                        + "p".repeat(20_000), ascii("x")).build())));
        t.add(status("POST /attachments (multipart)", "metadata field that is not a JSON object", 400,
                e -> multipart(e, new Multipart().field("metadata", "[1,2]").file("a.txt", "text/plain", ascii("x")).build())));
        t.add(status("POST /attachments (multipart)", "11 file parts (limit 10): the 10 stored are undone", 400, e -> {
            Multipart m = new Multipart();
            for (int i = 0; i < 11; i++) {
                m.file("f" + i + ".txt", "text/plain", ascii("file number " + i));
            }
            return multipart(e, m.build());
        }));
        t.add(status("POST /attachments (raw multipart)", "endless chunked file part", 413,
                e -> e.raw("POST /attachments HTTP/1.1\nHost: x\nContent-Type: " + new Multipart().contentType() + "\nTransfer-Encoding: chunked\n",
                        new SequenceInputStream(new ByteArrayInputStream(new Multipart().part(
                                "Content-Disposition: form-data; name=\"files\"; filename=\"endless.txt\"\r\nContent-Type: text/plain", new byte[0])
                                .unterminated()), HostileBytes.endless((byte) 'z')), true)));
        t.add(itemError("POST /attachments (multipart)", "boundary string inside a part header (filename '--hostile-boundary-42')", "",
                e -> multipart(e, new Multipart().file("--hostile-boundary-42", "application/octet-stream", exe).build())));
        t.add(itemError("POST /attachments (multipart)", "NUL in the filename", "NUL character",
                e -> multipart(e, new Multipart().file("a\0.txt", "text/plain", ascii("x")).build())));
        t.add(itemError("POST /attachments (multipart)", "filename of 10,000 characters", "characters",
                e -> multipart(e, new Multipart().file(longName, "text/plain", ascii("x")).build())));
        t.add(itemError("POST /attachments (multipart)", "empty filename", "no filename",
                e -> multipart(e, new Multipart().file("", "text/plain", ascii("x")).build())));
        t.add(itemError("POST /attachments (multipart)", "mode base64 with a file part (mode mismatch)", "",
                e -> multipart(e, new Multipart().field("mode", "base64").file("a.txt", "text/plain", ascii("x")).build())));
        t.add(itemError("POST /attachments (multipart)", "a Windows executable declared as image/png", "type",
                e -> multipart(e, new Multipart().file("cat.png", "image/png", exe).build())));
        t.add(contained("POST /attachments (multipart) + GET /files", "HTML with a <script> declared as image/png",
                "stored as text/html (the bytes win, mime_mismatch says so); served only as a download under CSP sandbox and nosniff",
                1, e -> {
                    Map<String, Object> a = storedAttachment(multipart(e, new Multipart().file("cat.png", "image/png", ascii(html)).build()));
                    assertThat(a).containsEntry("mime_type", "text/html");
                    assertThat(a.get("processed_content").toString()).contains("mime_mismatch");
                    Resp served = e.get(url(a));
                    assertThat(served.status()).isEqualTo(200);
                    assertThat(served.header("Content-Type")).doesNotStartWith("image/");
                    assertThat(served.header("Content-Disposition")).startsWith("attachment");
                    assertThat(served.header("Content-Security-Policy")).contains("sandbox");
                    assertThat(served.header("X-Content-Type-Options")).isEqualTo("nosniff");
                }));
        t.add(itemError("POST /attachments (multipart)", "a 5 MiB part (store limit 4 MiB)", "",
                e -> multipart(e, new Multipart().file("big.txt", "text/plain", "x".repeat(5 << 20).getBytes(StandardCharsets.US_ASCII)).build())));
        t.add(stored("POST /attachments (multipart)", "filename '../../canary/pwned.txt'", 1,
                e -> multipart(e, new Multipart().file("../../canary/pwned.txt", "text/plain", ascii("traversal")).build())));
        t.add(stored("POST /attachments (multipart)", "part header claims Content-Length 10^15, sends 5 bytes", 1, e -> {
            Resp r = multipart(e, new Multipart().part("Content-Disposition: form-data; name=\"files\"; filename=\"liar.txt\"\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 1000000000000000", ascii("small")).build());
            assertThat(r.text()).contains("\"size\":5");
            return r;
        }));
        t.add(contained("POST /attachments (multipart) + GET /files", "SVG with a <script>",
                "stored; served only as a download under CSP sandbox and nosniff", 1, e -> {
                    Map<String, Object> a = storedAttachment(multipart(e, new Multipart().file("logo.svg", "image/svg+xml", ascii(svg)).build()));
                    Resp served = e.get(url(a));
                    assertThat(served.status()).isEqualTo(200);
                    assertThat(served.header("Content-Disposition")).startsWith("attachment");
                    assertThat(served.header("Content-Security-Policy")).contains("sandbox");
                    assertThat(served.header("X-Content-Type-Options")).isEqualTo("nosniff");
                }));
        t.add(contained("POST /attachments (multipart) + GET /files", "right-to-left override in the name ('invoice\\u202Efdp.txt')",
                "stored; Content-Disposition carries no raw U+202E (ASCII fallback + percent-encoded filename*)", 1, e -> {
                    Map<String, Object> a = storedAttachment(multipart(e, new Multipart().file("invoice\u202Efdp.txt", "text/plain", ascii("pay me")).build()));
                    Resp served = e.get(url(a));
                    assertThat(served.header("Content-Disposition")).doesNotContain("\u202E").matches("\\p{ASCII}*").contains("%E2%80%AE");
                }));
        t.add(contained("POST /attachments (multipart)", "PDF of 3,000 pages, each only one short line of real text ('page text here')",
                "200; the first 500 pages (maxPages) read from the text layer, none rendered or OCR'd; truncated", 1, e -> {
                    Map<String, Object> a = storedAttachment(multipart(e, new Multipart()
                            .file("short-lines.pdf", "application/pdf", HostileBytes.pdfShortLinePages(3_000)).build()));
                    Map<String, Object> pc = processedContent(a);
                    assertThat(pc).containsEntry("pages", 3_000).containsEntry("pages_read", 500).containsEntry("truncated", true)
                            .containsEntry("processing_method", "text").containsEntry("ocr_pages", List.of());
                    assertThat(spanSources(pc)).hasSize(500).containsOnly("text");
                    assertThat((String) pc.get("text")).startsWith("page text here\n\npage text here");
                    assertThat(String.valueOf(pc.get("warnings"))).contains("first 500 of 3000 pages");
                }));
        t.add(contained("POST /attachments (multipart)", "PNG bomb (100000 x 100000 declared)",
                "stored; processed_content.error names the pixel limit", 1, e -> {
                    Map<String, Object> a = storedAttachment(multipart(e, new Multipart().file("bomb.png", "image/png", HostileBytes.pngBomb(100_000, 100_000)).build()));
                    assertThat(String.valueOf(a.get("processed_content"))).contains("pixels");
                }));

        t.add(contained("POST /attachments (multipart)", "DOCX whose XML declares external entities (file:///etc/passwd, an http:// DTD on a local port)",
                "stored; processed_content.error (DOCTYPE refused) or text, never the file's content; no connection to the DTD's host", 1, e -> {
                    try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                        listener.setSoTimeout(300);
                        String xml = "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY file SYSTEM \"file:///etc/passwd\">"
                                + "<!ENTITY % dtd SYSTEM \"http://127.0.0.1:" + listener.getLocalPort() + "/evil.dtd\"> %dtd;]>"
                                + HostileBytes.wordXml("<w:p><w:r><w:t>&file;</w:t></w:r></w:p>");
                        Map<String, Object> a = storedAttachment(multipart(e, new Multipart()
                                .file("xxe.docx", HostileBytes.DOCX, HostileBytes.handmadeDocx(xml)).build()));
                        Map<String, Object> pc = processedContent(a);
                        assertThat(pc.get("error") != null || pc.get("text") != null).as("an error or text: %s", pc).isTrue();
                        assertThat(String.valueOf(pc)).doesNotContain("root:x:0:0");
                        assertThat(catchThrowable(listener::accept)).as("no connection to the DTD's host")
                                .isInstanceOf(java.net.SocketTimeoutException.class);
                    }
                }));
        t.add(contained("POST /attachments (multipart)", "XLSX whose sheet part inflates from ~200 KB to 200 MB (zip bomb)",
                "stored; processed_content.error says zip bomb; within the table's 256 MiB heap", 1, e -> {
                    byte[] bomb = HostileBytes.xlsxSheetBomb(200);
                    assertThat(bomb.length).isLessThan(1 << 20);
                    Map<String, Object> a = storedAttachment(multipart(e, new Multipart().file("bomb.xlsx", HostileBytes.XLSX, bomb).build()));
                    assertThat(String.valueOf(processedContent(a).get("error"))).contains("zip bomb");
                }));
        t.add(contained("POST /attachments (multipart)", "password-protected DOCX (agile encryption, an OLE2 file)",
                "stored; processed_content.error says encrypted", 1, e -> {
                    Map<String, Object> a = storedAttachment(multipart(e, new Multipart().file("secret.docx", HostileBytes.DOCX,
                            HostileBytes.encrypted(HostileBytes.docx("top secret"), "s3cret")).build()));
                    assertThat(String.valueOf(processedContent(a).get("error"))).contains("encrypted");
                    assertThat(String.valueOf(processedContent(a))).doesNotContain("top secret");
                }));
        t.add(contained("POST /attachments (multipart)", "DOCX cut in half",
                "stored; processed_content.error says truncated or corrupt", 1, e -> {
                    byte[] docx = HostileBytes.docx("whole sentence here");
                    Map<String, Object> a = storedAttachment(multipart(e, new Multipart().file("half.docx", HostileBytes.DOCX,
                            java.util.Arrays.copyOf(docx, docx.length / 2)).build()));
                    assertThat(String.valueOf(processedContent(a).get("error"))).contains("truncated or corrupt");
                }));
        t.add(contained("POST /attachments (multipart)", "HTML nested 100,000 <div>s deep",
                "stored; the innermost text read, no stack overflow", 1, e -> {
                    String deepHtml = "<html><body>" + "<div>".repeat(100_000) + "deep text" + "</div>".repeat(100_000) + "</body></html>";
                    Map<String, Object> a = storedAttachment(multipart(e, new Multipart().file("deep.html", "text/html", ascii(deepHtml)).build()));
                    assertThat(processedContent(a)).doesNotContainKey("error").containsEntry("text", "deep text");
                }));
        t.add(contained("POST /attachments (multipart)", "EML of 10,000 MIME parts",
                "stored; only the first 1000 parts read, truncated, with a warning", 1, e -> {
                    Map<String, Object> a = storedAttachment(multipart(e, new Multipart()
                            .file("many.eml", "message/rfc822", HostileBytes.emlWithParts(10_000)).build()));
                    Map<String, Object> pc = processedContent(a);
                    assertThat(pc).doesNotContainKey("error").containsEntry("type", "email").containsEntry("parts", 1001)
                            .containsEntry("truncated", true);
                    assertThat(String.valueOf(pc.get("warnings"))).contains("only the first 1000 parts");
                }));

        t.add(contained("POST /attachments (multipart)", "PPTX of 10,000 slides",
                "stored; processed_content.error: more zip entries than POI reads (1,000), not read; within the 256 MiB heap", 1, e -> {
                    Map<String, Object> a = storedAttachment(multipart(e, new Multipart().file("huge.pptx",
                            "application/vnd.openxmlformats-officedocument.presentationml.presentation", HostileBytes.pptxWithSlides(10_000)).build()));
                    Map<String, Object> pc = processedContent(a);
                    assertThat(String.valueOf(pc.get("error"))).contains("holds more zip entries than").contains("was not read");
                }));
        t.add(contained("POST /attachments (multipart)", "email attaching itself 30 levels deep (message/rfc822 in message/rfc822 ...)",
                "stored; attachments processed 3 levels deep, the 4th listed with the reason, no error", 1, e -> {
                    Map<String, Object> a = storedAttachment(multipart(e, new Multipart()
                            .file("loop.eml", "message/rfc822", HostileBytes.emlAttachingItself(30)).build()));
                    Map<String, Object> level = processedContent(a);
                    assertThat(level).doesNotContainKey("error");
                    for (int depth = 1; depth <= io.attachkit.Attachments.MAX_NESTING_DEPTH; depth++) {
                        level = nestedAttachment(level);
                        assertThat(level).as("level %d", depth).containsEntry("type", "email");
                    }
                    assertThat(String.valueOf(nestedAttachment(level).get("skipped"))).contains("nested deeper than 3 levels");
                }));
        t.add(contained("POST /attachments (multipart)", "password-protected XLS (RC4, Excel 97-2003)",
                "stored; processed_content.error says encrypted", 1, e -> {
                    Map<String, Object> a = storedAttachment(multipart(e, new Multipart().file("secret.xls", "application/vnd.ms-excel",
                            HostileBytes.encryptedXls("s3cret")).build()));
                    assertThat(String.valueOf(processedContent(a).get("error"))).contains("encrypted");
                    assertThat(String.valueOf(processedContent(a))).doesNotContain("top secret");
                }));
        t.add(contained("POST /attachments (multipart)", "Outlook MSG cut in half",
                "stored; processed_content.error says truncated or corrupt", 1, e -> {
                    byte[] msg = HostileBytes.msg();
                    Map<String, Object> a = storedAttachment(multipart(e, new Multipart().file("half.msg", "application/vnd.ms-outlook",
                            java.util.Arrays.copyOf(msg, msg.length / 2)).build()));
                    assertThat(String.valueOf(processedContent(a).get("error"))).contains("truncated or corrupt");
                }));

        // ---------------------------------------------------------- POST /query
        t.add(status("POST /query", "100,000 nested arrays in kwargs", 400,
                e -> e.post("/query", "application/json", ascii("{\"kwargs\":" + deep))));
        t.add(status("POST /query", "'parts' is an object", 400,
                e -> e.post("/query", "application/json", ascii("{\"parts\":{\"type\":\"text\"}}"))));
        t.add(status("POST /query", "part of unknown type 'exec'", 400,
                e -> e.post("/query", "application/json", ascii("{\"parts\":[{\"type\":\"exec\",\"text\":\"rm -rf /\"}]}"))));
        t.add(status("POST /query", "file part without a name", 400,
                e -> e.post("/query", "application/json", ascii("{\"parts\":[{\"type\":\"file\",\"base64\":\"" + b64 + "\"}]}"))));
        t.add(status("POST /query", "file part with invalid base64 (after a valid one: nothing stored)", 400,
                e -> e.post("/query", "application/json", ascii("{\"parts\":[{\"type\":\"file\",\"name\":\"ok.txt\",\"base64\":\"" + b64
                        + "\"},{\"type\":\"file\",\"name\":\"a.txt\",\"base64\":\"%%%\"}]}"))));
        t.add(status("POST /query", "file part with NUL in the name", 400,
                e -> e.post("/query", "application/json", ascii("{\"parts\":[{\"type\":\"file\",\"name\":\"a\\u0000.txt\",\"base64\":\"" + b64 + "\"}]}"))));
        t.add(status("POST /query", "Content-Type multipart/form-data", 415,
                e -> e.post("/query", new Multipart().contentType(), new Multipart().file("a.txt", "text/plain", ascii("x")).build())));
        t.add(contained("POST /query", "file part: a Windows executable declared as image/png",
                "200; the part is a failed attachment with its error, nothing stored", 0, e -> {
                    Resp r = e.post("/query", "application/json", ascii("{\"parts\":[{\"type\":\"file\",\"name\":\"cat.png\",\"mimeType\":\"image/png\",\"base64\":\""
                            + Base64.getEncoder().encodeToString(exe) + "\"}]}"));
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.text()).contains("\"status\":\"failed\"");
                }));
        t.add(stored("POST /query", "file part named '../../canary/pwned.txt'", 1,
                e -> e.post("/query", "application/json", ascii("{\"parts\":[{\"type\":\"file\",\"name\":\"../../canary/pwned.txt\",\"base64\":\"" + b64 + "\"}]}"))));
        t.add(stored("POST /query", "file part: PDF whose page tree is a loop", 1,
                e -> e.post("/query", "application/json", ascii("{\"parts\":[{\"type\":\"file\",\"name\":\"loop.pdf\",\"base64\":\""
                        + Base64.getEncoder().encodeToString(HostileBytes.pdfPageTreeLoop()) + "\"}]}"))));

        // ---------------------------------------------------------- GET /files paths
        t.add(status("GET /files", "'/files/%2e%2e/%2e%2e/canary/canary.txt'", 400, e -> e.get("/files/%2e%2e/%2e%2e/canary/canary.txt")));
        t.add(status("GET /files", "'/files/../../etc/passwd' (literal dots)", 400, e -> e.get("/files/../../etc/passwd")));
        t.add(status("GET /files", "'/files/..%2f..%2fcanary%2fcanary.txt'", 400, e -> e.get("/files/..%2f..%2fcanary%2fcanary.txt")));
        t.add(status("GET /files", "backslashes '/files/ab%5c..%5c..%5ccanary'", 400, e -> e.get("/files/ab%5c..%5c..%5ccanary")));
        t.add(status("GET /files", "absolute '/files//etc/passwd'", 400, e -> e.get("/files//etc/passwd")));
        t.add(status("GET /files", "NUL '/files/ab/cd%00.txt'", 400, e -> e.get("/files/ab/cd%00.txt")));
        t.add(status("GET /files", "fullwidth dots '/files/%ef%bc%8e%ef%bc%8e/x'", 400, e -> e.get("/files/%ef%bc%8e%ef%bc%8e/x")));
        t.add(status("GET /files", "a 10,000-character path", 400, e -> e.get("/files/ab/" + "c".repeat(10_000) + ".txt")));
        t.add(status("GET /files", "the stored id with another extension ('.html')", 404,
                e -> e.get(e.fixtureUrl().replace(".txt", ".html"))));
        t.add(status("DELETE /files", "the stored file's path", 405, e -> e.send("DELETE", e.fixtureUrl(), null, null)));
        t.add(status("GET /attachments/{id}", "'..%2f..%2fetc%2fpasswd'", 400, e -> e.get("/attachments/..%2f..%2fetc%2fpasswd")));

        // ---------------------------------------------------------- Range headers (file of 1,000 bytes)
        t.add(range("inverted 'bytes=500-100'", "bytes=500-100", 200, 0, 999));
        t.add(range("overlapping multiple 'bytes=0-99,50-149,900-'", "bytes=0-99,50-149,900-", 200, 0, 999));
        t.add(range("2,000 ranges 'bytes=0-0,0-0,...'", "bytes=" + "0-0,".repeat(1999) + "0-0", 200, 0, 999));
        t.add(range("start at 2^63-1 'bytes=9223372036854775807-'", "bytes=9223372036854775807-", 416, 0, 0));
        t.add(range("end past 2^63 'bytes=0-99999999999999999999'", "bytes=0-99999999999999999999", 200, 0, 999));
        t.add(range("start past 2^63 'bytes=99999999999999999999-'", "bytes=99999999999999999999-", 200, 0, 999));
        t.add(range("suffix past the size 'bytes=-9223372036854775807'", "bytes=-9223372036854775807", 206, 0, 999));
        t.add(range("empty suffix 'bytes=-0'", "bytes=-0", 416, 0, 0));
        t.add(range("start at the size 'bytes=1000-'", "bytes=1000-", 416, 0, 0));
        t.add(range("garbage 'bytes=abc-def'", "bytes=abc-def", 200, 0, 999));
        t.add(range("double dash 'bytes=--5' (invalid syntax: ignored)", "bytes=--5", 200, 0, 999));
        t.add(range("another unit 'items=0-10'", "items=0-10", 200, 0, 999));
        t.add(range("no spec 'bytes='", "bytes=", 200, 0, 999));
        t.add(range("end clamps 'bytes=990-5000'", "bytes=990-5000", 206, 990, 999));

        // ---------------------------------------------------------- CLI
        t.add(cli("get", "'../../etc/passwd'", 1, "get", "../../etc/passwd"));
        t.add(cli("get", "'/files/%2e%2e/x'", 1, "get", "/files/%2e%2e/x"));
        t.add(cli("get", "'/files/ab/../../canary/canary.txt'", 1, "get", "/files/ab/../../canary/canary.txt"));
        t.add(cli("get", "'/etc/passwd'", 1, "get", "/etc/passwd"));
        t.add(cli("get", "an id with NUL", 1, "get", "abc\0def"));
        t.add(cli("get --info", "an id of 10,000 characters", 1, "get", "--info", "a".repeat(10_000)));
        t.add(cli("rm", "'../../canary/canary.txt' and '/files/..%2fcanary' (traversal ids)", 1,
                "rm", "../../canary/canary.txt", "/files/..%2fcanary"));
        t.add(cli("rm", "'ab\\..\\..\\canary' (backslashes)", 1, "rm", "ab\\..\\..\\canary"));
        t.add(cliWith("store", "a named pipe nobody writes to", 1, e -> new String[] {"store", fifo(e, "pipe-cli").toString()}));
        t.add(cliWith("store", "/dev/zero", 1, e -> new String[] {"store", "/dev/zero"}));
        t.add(cliWith("store", "a file whose name has a terminal escape", 1,
                e -> new String[] {"store", e.input("esc\u001b[2J.txt", ascii("x")).toString()}));
        t.add(cliWith("gc --dry-run --referenced", "/dev/zero (endless)", 2,
                e -> new String[] {"gc", "--dry-run", "--referenced", "/dev/zero"}));
        t.add(cliWith("gc --dry-run --referenced", "a named pipe nobody writes to", 2,
                e -> new String[] {"gc", "--dry-run", "--referenced", fifo(e, "pipe-gc").toString()}));
        t.add(cliWith("gc --dry-run --referenced", "JSON nested 100,000 deep", 2,
                e -> new String[] {"gc", "--dry-run", "--referenced", e.input("deep.json", ascii(deep)).toString()}));
        t.add(cliWith("gc --dry-run --referenced", "invalid UTF-8", 2,
                e -> new String[] {"gc", "--dry-run", "--referenced", e.input("bad-utf8.txt", new byte[] {'a', (byte) 0xc3, (byte) 0x28}).toString()}));
        t.add(cliWith("gc --dry-run --referenced", "text lines with traversal ids", 2,
                e -> new String[] {"gc", "--dry-run", "--referenced", e.input("refs.txt", ascii("../../etc/passwd\n")).toString()}));
        t.add(cliRaw("ls --store", "'' (empty)", 2, e -> new String[] {"ls", "--store", ""}));
        t.add(cliRaw("ls --store", "'ftp://example.com/x' (no such backend)", 2, e -> new String[] {"ls", "--store", "ftp://example.com/x"}));
        t.add(cliRaw("ls --store", "'file://evil.example/share' (a remote host)", 2, e -> new String[] {"ls", "--store", "file://evil.example/share"}));
        t.add(cliRaw("ls --store", "'file:///tmp?x=1' (a query)", 2, e -> new String[] {"ls", "--store", "file:///tmp?x=1"}));
        t.add(cliRaw("ls --store", "a path with NUL", 2, e -> new String[] {"ls", "--store", "data\0dir"}));
        t.add(cliWith("get -o", "an existing directory (the canary directory)", 1,
                e -> new String[] {"get", e.fixture.fileId(), "-o", e.canary.toString()}));
        t.add(cliRaw("store --store", "the canary file itself (a file, not a directory)", 2,
                e -> new String[] {"store", "--store", e.canary.resolve("canary.txt").toString(), e.input("x.txt", ascii("x")).toString()}));
        return t.stream();
    }

    // ================================================================== row builders

    private static Case raises(String entry, String input, Class<? extends AttachmentException> type, Action action) {
        return new Case(entry, input, new Outcome() {
            @Override
            public String describe() {
                return type.getSimpleName();
            }

            @Override
            public void verify(HostileEnv env) {
                Throwable thrown = catchThrowable(() -> action.run(env));
                assertThat(thrown).as("a typed attachkit exception").isInstanceOf(type);
                assertThat(thrown.getMessage()).isNotBlank();
            }
        }, 0);
    }

    private static Case contained(String entry, String input, String expected, int stores, Check check) {
        return new Case(entry, input, new Outcome() {
            @Override
            public String describe() {
                return expected;
            }

            @Override
            public void verify(HostileEnv env) throws Exception {
                check.run(env);
            }
        }, stores);
    }

    private static Case processedWithBoundedWork(String entry, String input, String name, byte[] bytes, String errorPart) {
        String expected = "stored; processing ends within its limits" + (errorPart == null ? "" : " with an error naming the " + errorPart);
        return contained(entry, input, expected, 1, e -> {
            Attachment a = e.attachments.storeAndProcess(Attachment.fromBytes(name, bytes, null));
            assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
            assertThat(a.processedContent().isEmpty()).isFalse();
            if (errorPart != null) {
                assertThat(a.processedContent().error()).contains(errorPart);
            }
        });
    }

    private static Case status(String entry, String input, int status, Call call) {
        return new Case(entry, input, new Outcome() {
            @Override
            public String describe() {
                return status + " + JSON error";
            }

            @Override
            public void verify(HostileEnv env) throws Exception {
                Resp r = call.send(env);
                assertThat(r.status()).as("status; body: %s", abbreviate(r.text())).isEqualTo(status);
                assertJsonError(r, status);
            }
        }, 0);
    }

    /** Malformed HTTP framing that the HTTP engine refuses itself, before any attachkit code runs. */
    private static Case refusedByEngine(String entry, String input, Call call) {
        return new Case(entry, input, new Outcome() {
            @Override
            public String describe() {
                return "400 from the HTTP engine (Undertow) itself (its own body; never reaches attachkit)";
            }

            @Override
            public void verify(HostileEnv env) throws Exception {
                Resp r = call.send(env);
                assertThat(r.status()).as("status; body: %s", abbreviate(r.text())).isEqualTo(400);
            }
        }, 0);
    }

    private static Case itemError(String entry, String input, String messagePart, Call call) {
        return new Case(entry, input, new Outcome() {
            @Override
            public String describe() {
                return "200, item success:false with its error";
            }

            @Override
            public void verify(HostileEnv env) throws Exception {
                Resp r = call.send(env);
                assertThat(r.status()).as("status; body: %s", abbreviate(r.text())).isEqualTo(200);
                List<Map<String, Object>> items = items(r);
                assertThat(items).isNotEmpty().allSatisfy(item -> {
                    assertThat(item).containsEntry("success", false);
                    assertThat((String) item.get("error")).isNotBlank().containsIgnoringCase(messagePart);
                });
            }
        }, 0);
    }

    private static Case stored(String entry, String input, int stores, Call call) {
        return new Case(entry, input, new Outcome() {
            @Override
            public String describe() {
                return "200, stored inside the store under its id";
            }

            @Override
            public void verify(HostileEnv env) throws Exception {
                Resp r = call.send(env);
                assertThat(r.status()).as("status; body: %s", abbreviate(r.text())).isEqualTo(200);
                assertThat(r.text()).containsPattern("\"storage_path\":\"[A-Za-z0-9]{2}/[A-Za-z0-9_-]+(\\.[a-z0-9]+)*\"");
            }
        }, stores);
    }

    private static Case range(String input, String header, int status, long first, long last) {
        String expected = status == 206 ? "206 bytes " + first + "-" + last : status == 200 ? "200, the whole file (Range ignored)" : status + " + JSON error";
        return contained("GET /files Range", input, expected, 0, e -> {
            Resp r = e.get(e.fixtureUrl(), "Range", header);
            assertThat(r.status()).as("status; body: %s", abbreviate(r.text())).isEqualTo(status);
            if (status == 416) {
                assertJsonError(r, 416);
                assertThat(r.header("Content-Range")).isEqualTo("bytes */" + e.fixtureBytes.length);
            } else {
                assertThat(r.body()).isEqualTo(java.util.Arrays.copyOfRange(e.fixtureBytes, (int) first, (int) last + 1));
            }
        });
    }

    interface Args {
        String[] of(HostileEnv env) throws Exception;
    }

    private static Case cli(String entry, String input, int exit, String... args) {
        return cliWith(entry, input, exit, e -> args);
    }

    /** A CLI row on the sandbox store ({@code --store} is added). */
    private static Case cliWith(String entry, String input, int exit, Args args) {
        return cliRaw(entry, input, exit, e -> {
            String[] a = args.of(e);
            String[] withStore = new String[a.length + 2];
            withStore[0] = a[0];
            withStore[1] = "--store";
            withStore[2] = e.root.toString();
            System.arraycopy(a, 1, withStore, 3, a.length - 1);
            return withStore;
        });
    }

    private static Case cliRaw(String entry, String input, int exit, Args args) {
        return new Case("CLI " + entry, input, new Outcome() {
            @Override
            public String describe() {
                return "exit " + exit + " with a message" + (exit == 2 ? " (usage error)" : "");
            }

            @Override
            public void verify(HostileEnv env) throws Exception {
                Run r = env.cli(args.of(env));
                assertThat(r.code()).as("exit code; out: %s err: %s", r.out(), abbreviate(r.err())).isEqualTo(exit);
                String said = r.out() + r.err();
                assertThat(said).as("a message").isNotBlank();
                assertThat(said).as("no stack trace for hostile input").doesNotContain("\tat ");
            }
        }, 0);
    }

    // ================================================================== helpers

    private static void assertJsonError(Resp r, int status) throws IOException {
        assertThat(r.header("Content-Type")).as("error body type").startsWith("application/json");
        Map<String, Object> body = r.json();
        assertThat(body).containsEntry("status", status);
        assertThat((String) body.get("error")).isNotBlank();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Resp r) throws IOException {
        return (List<Map<String, Object>>) r.json().get("items");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> storedAttachment(Resp r) throws IOException {
        assertThat(r.status()).as("status; body: %s", abbreviate(r.text())).isEqualTo(200);
        Map<String, Object> item = items(r).get(0);
        assertThat(item).as("item").containsEntry("success", true);
        return (Map<String, Object>) item.get("attachment");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> processedContent(Map<String, Object> attachment) {
        return (Map<String, Object>) attachment.get("processed_content");
    }

    /** @return the processed content of the first file attached to an email's processed content */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> nestedAttachment(Map<String, Object> emailContent) {
        return (Map<String, Object>) ((List<Map<String, Object>>) emailContent.get("attachments")).get(0).get("processed_content");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> spanSources(Map<String, Object> processedContent) {
        return ((List<Map<String, Object>>) processedContent.get("page_spans")).stream().map(s -> s.get("source")).toList();
    }

    @SuppressWarnings("unchecked")
    private static String url(Map<String, Object> attachment) {
        return (String) ((Map<String, Object>) attachment.get("processed_content")).get("url");
    }

    private static Resp multipart(HostileEnv e, byte[] body) throws IOException, InterruptedException {
        return e.post("/attachments", new Multipart().contentType(), body);
    }

    private static String trackJson(int n, String itemFormat) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(itemFormat.contains("%d") ? String.format(itemFormat, i) : itemFormat);
        }
        return "{\"conversation_id\":\"c-1\",\"attachments\":[" + String.join(",", items) + "]}";
    }

    private static byte[] zipBomb;

    private static synchronized byte[] zipBomb() {
        if (zipBomb == null) {
            zipBomb = HostileBytes.zipBomb(256L << 20);
        }
        return zipBomb;
    }

    private static Path fifo(HostileEnv e, String name) throws Exception {
        Path p = e.inputs.resolve(name);
        if (!Files.exists(p)) {
            Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
            assertThat(mk.waitFor()).isZero();
        }
        return p;
    }

    private static String abbreviate(String s) {
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }
}
