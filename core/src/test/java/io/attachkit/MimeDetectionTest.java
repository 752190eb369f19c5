package io.attachkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.internal.mime.MimeDetection;
import io.attachkit.internal.mime.MimeDetector;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MIME detection by magic bytes, with the filename as a hint and the declared type checked against both. */
class MimeDetectionTest {
    private final MimeDetector detector = new MimeDetector();
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    private static final byte[] PDF = "%PDF-1.7\n%âãÏÓ\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] TEXT = "a,b\n2,123\n-3,4124\n1,7\n".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({"data.csv, text/csv", "data.tsv, text/tab-separated-values", "notes.md, text/markdown",
            "notes.txt, text/plain", "data.json, application/json", "noname, text/plain"})
    void text_isRefinedByTheFilename(String name, String expected) {
        assertThat(detector.detect(TEXT, name, null).mimeType()).isEqualTo(expected);
    }

    @Test
    void bytesWin_overExtensionAndDeclaredType_andTheMismatchIsReported() {
        MimeDetection d = detector.detect(PNG, "report.pdf", "application/pdf");
        assertThat(d.mimeType()).isEqualTo("image/png");
        assertThat(d.mismatch()).isTrue();
        assertThat(d.mismatchReport()).containsEntry("declared", "application/pdf").containsEntry("extension", "application/pdf")
                .containsEntry("detected", "image/png");
    }

    @Test
    void agreeingTypes_areNoMismatch() {
        MimeDetection d = detector.detect(PDF, "report.pdf", "application/pdf");
        assertThat(d.mimeType()).isEqualTo("application/pdf");
        assertThat(d.mismatch()).isFalse();
        assertThat(detector.detect(PNG, "a.png", "image/png").mismatch()).isFalse();
    }

    @Test
    void declaredSpecialisationOfTheBytes_isKept() {
        MimeDetection d = detector.detect(TEXT, "upload", "text/csv");
        assertThat(d.mimeType()).isEqualTo("text/csv");
        assertThat(d.mismatch()).isFalse();
    }

    @Test
    void declaredOctetStream_isNoClaim() {
        MimeDetection d = detector.detect(PDF, "x.pdf", "application/octet-stream");
        assertThat(d.mimeType()).isEqualTo("application/pdf");
        assertThat(d.mismatch()).isFalse();
    }

    @Test
    void spoofedHtml_declaredAsText_isDetectedAsHtml() {
        byte[] html = "<!DOCTYPE html><html><body><script>alert(1)</script>".getBytes(StandardCharsets.US_ASCII);
        MimeDetection d = detector.detect(html, "notes.txt", "text/plain");
        assertThat(d.mimeType()).isEqualTo("text/html");
        // HTML is allowed (and read by the office processors) but stays HTML: the server serves it as a download
        assertThat(d.resolve(StorageLimits.defaults()::isAllowed)).isEqualTo("text/html");
    }

    @Test
    void codeFile_notAllowedByName_fallsBackToTheTextTheBytesShow() {
        byte[] py = "print('hello')\n".getBytes(StandardCharsets.US_ASCII);
        MimeDetection d = detector.detect(py, "main.py", null);
        assertThat(d.mimeType()).isNotEqualTo("text/plain");
        assertThat(d.resolve(StorageLimits.defaults()::isAllowed)).isEqualTo("text/plain");
    }

    @Test
    void utf16WithBom_isText() {
        byte[] utf16 = "\uFEFFhello world".getBytes(StandardCharsets.UTF_16BE);
        assertThat(detector.detect(utf16, "u.txt", null).mimeType()).isEqualTo("text/plain");
    }
}
