package io.attachkit.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Content-Disposition header and the filename metadata are safe, reversible ASCII. */
class ContentDispositionTest {

    @Test
    void header_escapesQuotesAndNonAscii_andKeepsTheExactNameInFilenameStar() {
        String h = ContentDisposition.header("naïve \"x\"\\y.txt", "text/plain");
        assertThat(h).isEqualTo("attachment; filename=\"na_ve _x__y.txt\"; filename*=UTF-8''na%C3%AFve%20%22x%22%5Cy.txt");
        assertThat(h.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    @Test
    void header_isInlineOnlyForTypesThatCannotRunScript() {
        assertThat(ContentDisposition.header("a.png", "image/png")).startsWith("inline;");
        assertThat(ContentDisposition.header("a.pdf", "application/pdf")).startsWith("inline;");
        assertThat(ContentDisposition.header("a.svg", "image/svg+xml")).startsWith("attachment;");
        assertThat(ContentDisposition.header("a.html", "text/html")).startsWith("attachment;");
    }

    @Test
    void encode_thenDecode_givesTheNameBack() {
        for (String name : new String[] {"plain.txt", "Grüße 😀 report (final).pdf", "a+b=c%20.txt", "日本語.csv"}) {
            assertThat(ContentDisposition.decode(ContentDisposition.encode(name))).isEqualTo(name);
        }
        assertThat(ContentDisposition.decode("%zz")).isNull();
        assertThat(ContentDisposition.decode("100%")).isNull();
    }

    @Test
    void veryLongNames_areShortenedBeforeTheirExtension_withinTheHeaderBudget() {
        String name = "漢".repeat(900) + ".pdf";
        String shortened = ContentDisposition.shorten(name);
        assertThat(ContentDisposition.encode(shortened).length()).isLessThanOrEqualTo(ContentDisposition.MAX_ENCODED_LENGTH);
        assertThat(shortened).endsWith(".pdf").startsWith("漢漢漢");
        String emoji = "😀".repeat(600) + ".txt";
        assertThat(ContentDisposition.shorten(emoji)).doesNotContain("\uFFFD").matches("(😀)+\\.txt");
    }
}
