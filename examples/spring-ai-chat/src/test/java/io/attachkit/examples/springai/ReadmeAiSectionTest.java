package io.attachkit.examples.springai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "AI adapters" Spring AI snippet compiles as written. */
class ReadmeAiSectionTest {
    private static final Path README = Path.of("../../README.md");
    private static final String IMPORTS = """
            import io.attachkit.*;
            import io.attachkit.ai.*;
            import io.attachkit.springai.*;
            import java.util.List;
            import org.springframework.ai.chat.messages.UserMessage;
            import org.springframework.ai.chat.model.ChatModel;
            import org.springframework.ai.chat.prompt.Prompt;
            import org.springframework.ai.document.Document;
            """;

    @TempDir
    Path out;

    @Test
    void springAiSnippet_compiles() throws Exception {
        List<String> blocks = ReadmeSnippets.javaBlocks(README, "## AI adapters");
        assertThat(blocks).hasSize(3);
        // a vector store is the application's own (spring-ai-vector-store is not a dependency of the adapter)
        String context = "interface VectorStore { void add(List<Document> docs); }"
                + " Attachment pdf; FileStore store; ChatModel chatModel; VectorStore vectorStore;";
        assertThat(ReadmeSnippets.compile(IMPORTS, context, blocks.get(1), out)).isEmpty();
    }
}
