package io.attachkit.examples.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/thread-store.md quotes this module's code: its excerpt of {@code ThreadStore.addMessage} and its schema must be
 * what the code does (the docs module compiles the page's other Java block).
 */
class ThreadStorePageTest {
    private static final Path PAGE = Path.of("..", "..", "docs", "thread-store.md");
    private static final Path MAIN = Path.of("src", "main");

    @Test
    void theSaveExcerpt_isThreadStoreAddMessage() throws Exception {
        String excerpt = block("<!-- snippet skip: an excerpt of ThreadStore.addMessage", "java");
        String source = Files.readString(MAIN.resolve("java/io/attachkit/examples/threads/ThreadStore.java"));
        assertThat(normalize(source)).contains(normalize(excerpt));
    }

    @Test
    void theSchemaOnThePage_isSchemaSql() throws Exception {
        String onPage = block("## The schema", "sql");
        String schema = Files.readString(MAIN.resolve("resources/io/attachkit/examples/threads/schema.sql")).replaceAll("(?m)^--.*$", "");
        assertThat(normalize(onPage)).isEqualTo(normalize(schema));
    }

    /** @return the body of the first fenced block of this language after the given text */
    private static String block(String after, String language) throws Exception {
        String page = Files.readString(PAGE);
        int from = page.indexOf(after);
        assertThat(from).as("'%s' on %s", after, PAGE).isNotNegative();
        Matcher m = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL).matcher(page);
        assertThat(m.find(from)).as("a %s block after '%s'", language, after).isTrue();
        return m.group(1);
    }

    /** One space between tokens, none inside parentheses or before a comma or semicolon. */
    private static String normalize(String code) {
        return code.strip().replaceAll("\\s+", " ").replaceAll("\\( ", "(").replaceAll(" ([),;])", "$1");
    }
}
