package io.attachkit.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The leading characters read off a regex are those every match must start with, or nothing when unsure. */
class RegexStartTest {
    private static String chars(boolean[] set) {
        StringBuilder sb = new StringBuilder();
        IntStream.range(0, 256).filter(v -> set[v]).forEach(v -> sb.append((char) v));
        return sb.toString();
    }

    @Test
    void literalsAndClasses_giveOnePositionEach() {
        List<boolean[]> l = RegexStart.leadingChars("[\\r\\n]%AI5_FileFormat [1-4][\\r\\n]");
        assertThat(chars(l.get(0))).isEqualTo("\n\r");
        assertThat(chars(l.get(1))).isEqualTo("%");
        assertThat(chars(l.get(5))).isEqualTo("_");
        assertThat(l).hasSize(16);
    }

    @Test
    void caseInsensitive_foldsAsciiLetters() {
        assertThat(chars(RegexStart.leadingChars("(?i)<h[123][ >]").get(1))).isEqualTo("Hh");
    }

    @Test
    void optionalStart_isUnitedWithWhatFollows() {
        assertThat(chars(RegexStart.leadingChars("(?s)^\\s*(?:strict\\s+)?(?:di)?graph\\b").get(0)))
                .isEqualTo("\t\n\u000b\f\r dgs");
        assertThat(chars(RegexStart.leadingChars("(999\\r?\\n[^\\r\\n]{0,64}\\s+)?0\\r?\\nSECTION").get(0))).isEqualTo("09");
    }

    @Test
    void groups_uniteTheirAlternatives() {
        assertThat(chars(RegexStart.leadingChars("(X|DKIM|ARC)-").get(0))).isEqualTo("ADX");
    }

    @Test
    void whatIsNotUnderstood_givesNothing() {
        assertThat(RegexStart.leadingChars(".*abc")).isEmpty();
        assertThat(RegexStart.leadingChars("[^a]bc")).isEmpty();
        assertThat(RegexStart.leadingChars("a|b")).isEmpty();
        assertThat(RegexStart.leadingChars("(?=a)b")).isEmpty();
        assertThat(RegexStart.leadingChars("a?")).isEmpty();
    }
}
