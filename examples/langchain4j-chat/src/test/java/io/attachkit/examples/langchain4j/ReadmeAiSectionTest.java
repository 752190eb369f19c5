package io.attachkit.examples.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "AI adapters" LangChain4j and ModelCapabilities snippets compile as written. */
class ReadmeAiSectionTest {
    private static final Path README = Path.of("../../README.md");
    private static final String IMPORTS = """
            import dev.langchain4j.data.document.Document;
            import dev.langchain4j.data.message.UserMessage;
            import dev.langchain4j.model.chat.ChatModel;
            import io.attachkit.*;
            import io.attachkit.ai.*;
            import io.attachkit.langchain4j.*;
            import java.nio.file.Path;
            import java.util.List;
            """;

    @TempDir
    Path out;

    @Test
    void langChain4jSnippets_compile() throws Exception {
        List<String> blocks = ReadmeSnippets.javaBlocks(README, "## AI adapters");
        assertThat(blocks).hasSize(3);
        String context = "Attachments attachments; FileStore store; ChatModel chatModel;";
        assertThat(ReadmeSnippets.compile(IMPORTS, context, blocks.get(0), out)).isEmpty();
        assertThat(ReadmeSnippets.compile(IMPORTS, context, blocks.get(2), out)).isEmpty();
    }
}
