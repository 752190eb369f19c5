package io.attachkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Attachment#fromBase64}: strict decoding, data URIs, and errors that point at the bad character. */
class Base64DecodingTest {

    @Test
    void plainBase64_decodes() {
        Attachment a = Attachment.fromBase64("hello.txt", Base64.getEncoder().encodeToString("hello".getBytes()), null);
        assertThat(a.getContentBytes(null)).isEqualTo("hello".getBytes());
        assertThat(a.mimeType()).isNull();
        assertThat(a.status()).isEqualTo(AttachmentStatus.PENDING);
    }

    @Test
    void dataUri_decodes_andTakesItsMimeType() {
        Attachment a = Attachment.fromBase64("scan.png", "data:image/png;base64,aGk=", null);
        assertThat(a.getContentBytes(null)).isEqualTo("hi".getBytes());
        assertThat(a.mimeType()).isEqualTo("image/png");
    }

    @Test
    void dataUri_explicitMimeTypeWins() {
        Attachment a = Attachment.fromBase64("x.txt", "data:image/png;base64,aGk=", "text/plain");
        assertThat(a.mimeType()).isEqualTo("text/plain");
    }

    @Test
    void mimeWrappedBase64_withLineBreaks_decodes() {
        byte[] data = new byte[200];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        String wrapped = Base64.getMimeEncoder().encodeToString(data);
        assertThat(wrapped).contains("\r\n");
        assertThat(Attachment.fromBase64("b.bin", wrapped, null).getContentBytes(null)).isEqualTo(data);
    }

    @Test
    void urlSafeAlphabet_decodes() {
        byte[] data = {(byte) 0xfb, (byte) 0xff, (byte) 0xfe};
        assertThat(Attachment.fromBase64("u.bin", Base64.getUrlEncoder().encodeToString(data), null).getContentBytes(null))
                .isEqualTo(data);
    }

    @Test
    void unpaddedBase64_decodes() {
        assertThat(Attachment.fromBase64("p.txt", "aGk", null).getContentBytes(null)).isEqualTo("hi".getBytes());
    }

    @Test
    void emptyBase64_isEmptyContent() {
        assertThat(Attachment.fromBase64("e.txt", "", null).getContentBytes(null)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "aGVsbG8#     | offset 7: character '#'",
        "not base64!  | offset 10: character '!'",
        "aGk=aGk=     | offset 4: data after '=' padding",
        "aGk===       | offset 5: too much '=' padding",
        "aGVsb=       | offset 5: padded base64 must be a multiple of 4",
        "aGVsbG8+_w== | offset 8: the standard ('+', '/') and URL-safe ('-', '_') alphabets are mixed",
        "a            | cannot end with a single leftover character",
        "hello wörld  | offset 7: character 'ö'"})
    void invalidBase64_isRefused_withTheOffsetOfTheFirstBadCharacter(String input, String expected) {
        // Tyler silently reinterprets such strings as UTF-8 text; we refuse them
        assertThatThrownBy(() -> Attachment.fromBase64("bad.bin", input, null))
                .isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("bad.bin")
                .hasMessageContaining(expected);
    }

    @Test
    void nulCharacter_isNamedByCodePoint() {
        assertThatThrownBy(() -> Attachment.fromBase64("n.bin", "aGk\u0000", null))
                .isInstanceOf(InvalidContentException.class).hasMessageContaining("offset 3").hasMessageContaining("U+0000");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "data:text/plain,hello          | only base64 data URIs",
        "data:image/png;base64          | has no ','",
        "data:image/png;base64,aGk#     | offset 3",
        "data:not a mime;base64,aGk=    | invalid MIME type"})
    void invalidDataUri_isRefused(String input, String expected) {
        assertThatThrownBy(() -> Attachment.fromBase64("d.png", input, null))
                .isInstanceOf(InvalidContentException.class).hasMessageContaining(expected);
    }

    @Test
    void nullBase64_isRefused() {
        assertThatThrownBy(() -> Attachment.fromBase64("n.txt", null, null)).isInstanceOf(InvalidContentException.class);
    }

    @Test
    void largeBase64_decodesExactly() {
        byte[] data = new byte[3 * 1024 * 1024 + 1];
        new java.util.Random(7).nextBytes(data);
        String b64 = Base64.getEncoder().encodeToString(data);
        assertThat(Attachment.fromBase64("big.bin", b64, null).getContentBytes(null)).isEqualTo(data);
        assertThat(new String(Base64.getDecoder().decode("aGk="), StandardCharsets.US_ASCII)).isEqualTo("hi");
    }
}
