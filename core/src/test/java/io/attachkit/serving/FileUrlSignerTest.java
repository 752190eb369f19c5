package io.attachkit.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.serving.FileUrlSigner.Check;
import io.attachkit.serving.FileUrlSigner.Disposition;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileUrlSignerTest {
    private static final byte[] KEY = key('a');
    private static final byte[] OLD_KEY = key('b');
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final String PATH = "/files/ab/cdef0123.pdf";

    private static byte[] key(char c) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) c);
        return k;
    }

    private static FileUrlSigner signer(byte[] key, Instant now) {
        return FileUrlSigner.builder().key(key).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    }

    private static Check check(FileUrlSigner signer, String url) {
        URI u = URI.create(url);
        Map<String, String> q = new HashMap<>();
        if (u.getRawQuery() != null) {
            for (String p : u.getRawQuery().split("&")) {
                int eq = p.indexOf('=');
                q.put(p.substring(0, eq), p.substring(eq + 1));
            }
        }
        return signer.verify(u.getRawPath(), q::get);
    }

    @Test
    void sign_thenVerify_isValidForItsPathOnly() {
        FileUrlSigner s = signer(KEY, NOW);
        String url = s.sign(PATH);
        assertThat(url).startsWith(PATH + "?expires=" + (NOW.getEpochSecond() + 3600) + "&disposition=inline&signature=");
        assertThat(check(s, url)).isEqualTo(Check.VALID);
        assertThat(check(s, url.replace("cdef0123", "cdef0124"))).isEqualTo(Check.INVALID);
        assertThat(check(s, PATH)).isEqualTo(Check.ABSENT);
    }

    @Test
    void verify_expiredBeyondSkew_isExpired_withinSkew_isValid() {
        String url = signer(KEY, NOW).sign(PATH, Duration.ofSeconds(10), Disposition.INLINE);
        assertThat(check(signer(KEY, NOW.plusSeconds(10 + 30)), url)).isEqualTo(Check.VALID);
        assertThat(check(signer(KEY, NOW.plusSeconds(10 + 31)), url)).isEqualTo(Check.EXPIRED);
    }

    @Test
    void verify_tamperedExpiryOrDispositionOrSignature_isInvalid() {
        FileUrlSigner s = signer(KEY, NOW);
        String url = s.sign(PATH);
        assertThat(check(s, url.replace("expires=" + (NOW.getEpochSecond() + 3600), "expires=" + (NOW.getEpochSecond() + 99999))))
                .isEqualTo(Check.INVALID);
        assertThat(check(s, url.replace("disposition=inline", "disposition=attachment"))).isEqualTo(Check.INVALID);
        assertThat(check(s, url.replace("disposition=inline", "disposition=bogus"))).isEqualTo(Check.INVALID);
        assertThat(check(s, url.substring(0, url.length() - 2) + "AA")).isEqualTo(Check.INVALID);
        assertThat(check(s, url + "!!")).isEqualTo(Check.INVALID);
        assertThat(check(s, PATH + "?signature=x")).isEqualTo(Check.INVALID);
    }

    @Test
    void verify_everyOtherSpellingOfTheSignaturesLastCharacter_isInvalid() {
        // the last of 43 base64url characters carries 4 bits of the MAC and 2 unused ones: the three other characters
        // with the same 4 bits decode to the same bytes, and must not verify either
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (String path : new String[] {PATH, "/files/ab/cdef0124.pdf", "/files/cd/ef.png", "/files/ef/01.csv"}) {
            FileUrlSigner s = signer(KEY, NOW);
            String url = s.sign(path);
            char last = url.charAt(url.length() - 1);
            for (char c : alphabet.toCharArray()) {
                if (c != last) {
                    assertThat(check(s, url.substring(0, url.length() - 1) + c)).as("%s with last character %s", url, c)
                            .isEqualTo(Check.INVALID);
                }
            }
        }
    }

    @Test
    void rotation_oldKeyAcceptedOnlyWhileListed() {
        String old = signer(OLD_KEY, NOW).sign(PATH);
        FileUrlSigner rotated = FileUrlSigner.builder().key(KEY).acceptAlso(OLD_KEY).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        assertThat(check(rotated, old)).isEqualTo(Check.VALID);
        assertThat(check(signer(KEY, NOW), old)).isEqualTo(Check.INVALID);
    }

    @Test
    void builder_refusesShortKeysAndBadDurations() {
        assertThatThrownBy(() -> FileUrlSigner.builder().key("short".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("key must be at least 32 bytes, was 5");
        assertThatThrownBy(() -> FileUrlSigner.builder().lifetime(Duration.ZERO)).hasMessageContaining("lifetime");
        assertThatThrownBy(() -> FileUrlSigner.builder().clockSkew(Duration.ofHours(1))).hasMessageContaining("clockSkew");
        assertThatThrownBy(() -> FileUrlSigner.builder().build()).hasMessageContaining("signing key is required");
        assertThatThrownBy(() -> signer(KEY, NOW).sign("/files/a?x=1")).hasMessageContaining("urlPath");
    }
}
