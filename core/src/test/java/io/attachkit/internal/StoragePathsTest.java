package io.attachkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.AttachmentException;
import io.attachkit.UnsafePathException;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * StoragePaths checks ids, storage paths, extensions and digests with hand-written scans; the grammar is defined by
 * the regular expressions below, and every scan must answer as they do, on hand-picked edges and on 300,000
 * random strings drawn from the characters that matter.
 */
class StoragePathsTest {
    private static final Pattern FILE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{2,127}");
    private static final Pattern PATH = Pattern.compile("([A-Za-z0-9]{2})/([A-Za-z0-9_-]{1,126})((?:\\.[a-z0-9]{1,10}){0,2})");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern DERIVED = Pattern.compile("[0-9a-f]{64}-derived");
    private static final Pattern EXTENSION = Pattern.compile("[a-z0-9]{1,10}");
    private static final String ALPHABET = "abcfzAZ09_-./\\%.:é\u0000 aB3";

    private static final List<String> EDGES = List.of("", "a", "ab", "abc", "ab/", "ab/c", "ab/c.", "ab/c.pdf", "ab/c.tar.gz",
            "ab/c.a.b.c", "ab/c.PDF", "ab/c..pdf", "ab/.pdf", "a/bc", "ab//c", "ab/c/d", "../etc", "ab/..", "ab/c.abcdefghij",
            "ab/c.abcdefghijk", "-b/cd", "_bc", "-bc", "abc-", "ab/c-_x.x1", "ab/c%2e", "ab\\cd", "ab/c d", "ab/c\u0000",
            "ab/" + "x".repeat(126), "ab/" + "x".repeat(127), "a".repeat(128), "a".repeat(129), "a".repeat(3),
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeF",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef-derived",
            UUID.randomUUID().toString(), "ab/" + UUID.randomUUID().toString().substring(2) + ".pdf");

    @Test
    void scans_answerAsTheGrammarsRegularExpressions_onEdges() {
        EDGES.forEach(StoragePathsTest::assertSameAnswers);
    }

    @Test
    void scans_answerAsTheGrammarsRegularExpressions_onRandomStrings() {
        Random random = new Random(14);
        for (int i = 0; i < 300_000; i++) {
            assertSameAnswers(randomCandidate(random));
        }
    }

    @Test
    void fileIdOf_joinsTheShardAndTheTail_andRefusesWithATypedError() {
        assertThat(StoragePaths.fileIdOf("ab/cdef-12.tar.gz")).isEqualTo("abcdef-12");
        assertThatThrownBy(() -> StoragePaths.fileIdOf("ab/../../etc/passwd")).isInstanceOf(UnsafePathException.class)
                .hasMessageContaining("Invalid storage path");
        assertThatThrownBy(() -> StoragePaths.fileIdOf(null)).isInstanceOf(UnsafePathException.class);
    }

    /** Mostly near-valid strings: a valid shape with a few characters changed, dropped or added. */
    private static String randomCandidate(Random random) {
        String base = switch (random.nextInt(4)) {
            case 0 -> "ab/" + "c".repeat(1 + random.nextInt(4)) + (random.nextBoolean() ? ".pdf" : "") + (random.nextBoolean() ? ".gz" : "");
            case 1 -> "a" + "b".repeat(1 + random.nextInt(6));
            case 2 -> "0123456789abcdef".repeat(4) + (random.nextBoolean() ? "-derived" : "");
            default -> "";
        };
        StringBuilder sb = new StringBuilder(base);
        int edits = random.nextInt(4);
        for (int e = 0; e < edits || sb.length() == 0; e++) {
            char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            int at = sb.length() == 0 ? 0 : random.nextInt(sb.length() + 1);
            switch (random.nextInt(3)) {
                case 0 -> sb.insert(at, c);
                case 1 -> {
                    if (at < sb.length()) {
                        sb.deleteCharAt(at);
                    }
                }
                default -> {
                    if (at < sb.length()) {
                        sb.setCharAt(at, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static void assertSameAnswers(String s) {
        assertThat(accepts(StoragePaths::requireFileId, s)).as("id %s", s).isEqualTo(FILE_ID.matcher(s).matches());
        Matcher path = PATH.matcher(s);
        if (path.matches()) {
            assertThat(StoragePaths.fileIdOf(s)).as("path %s", s).isEqualTo(path.group(1) + path.group(2));
        } else {
            assertThat(accepts(StoragePaths::fileIdOf, s)).as("path %s", s).isFalse();
        }
        assertThat(accepts(StoragePaths::requireSha256, s)).as("sha256 %s", s).isEqualTo(SHA256.matcher(s).matches());
        assertThat(StoragePaths.isDerivedRecordId(s)).as("derived record id %s", s).isEqualTo(DERIVED.matcher(s).matches());
        String name = "file." + s;
        String expected = extensionByRegex(name);
        assertThat(StoragePaths.extensionOf(name)).as("extension of %s", name).isEqualTo(expected);
    }

    /** The extension rule as it was written with the regular expression. */
    private static String extensionByRegex(String filename) {
        String base = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1)
                .toLowerCase(java.util.Locale.ROOT);
        int dot = base.lastIndexOf('.');
        if (dot <= 0 || dot == base.length() - 1) {
            return "";
        }
        String last = base.substring(dot + 1);
        if (!EXTENSION.matcher(last).matches()) {
            return "";
        }
        if (base.substring(0, dot).endsWith(".tar") && dot > 4) {
            return ".tar." + last;
        }
        return "." + last;
    }

    private static boolean accepts(Function<String, String> check, String s) {
        try {
            check.apply(s);
            return true;
        } catch (AttachmentException e) {
            return false;
        }
    }
}
