package io.attachkit.examples.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.attachkit.ai.ModelCapabilities;
import io.attachkit.storage.local.LocalFileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the example offline against a scripted chat model that records what it was sent. */
class AttachmentChatTest {
    private static final Path INVOICE = Path.of("../files/invoice.png");
    private static final Path REPORT = Path.of("../files/report.pdf");

    @TempDir
    Path root;

    /** The only scripted part: a model that answers from a script and keeps the requests. */
    static final class ScriptedChatModel implements ChatModel {
        final List<ChatRequest> requests = new ArrayList<>();

        @Override
        public ChatResponse doChat(ChatRequest request) {
            requests.add(request);
            return ChatResponse.builder().aiMessage(AiMessage.from("The total is on the invoice.")).build();
        }
    }

    @Test
    void visionModel_receivesTheImageItself() throws Exception {
        ScriptedChatModel model = new ScriptedChatModel();
        try (LocalFileStore store = LocalFileStore.builder().root(root).build();
                AttachmentChat chat = new AttachmentChat(store, model, ModelCapabilities.openAi())) {
            String answer = chat.ask(INVOICE, "What is the total?");

            assertThat(answer).isEqualTo("The total is on the invoice.");
            UserMessage sent = (UserMessage) model.requests.get(0).messages().get(0);
            assertThat(sent.contents().get(0)).isEqualTo(TextContent.from("What is the total?"));
            assertThat(sent.contents()).anySatisfy(c -> assertThat(c).isInstanceOf(ImageContent.class));
            assertThat(store.fileCount()).isEqualTo(1);
            assertThat(Files.size(INVOICE)).isPositive();
        }
    }

    @Test
    void textOnlyModel_receivesTheExtractedTextUnderAHeader() {
        ScriptedChatModel model = new ScriptedChatModel();
        try (LocalFileStore store = LocalFileStore.builder().root(root).build();
                AttachmentChat chat = new AttachmentChat(store, model, ModelCapabilities.textOnly())) {
            chat.ask(REPORT, "Summarise this");

            UserMessage sent = (UserMessage) model.requests.get(0).messages().get(0);
            assertThat(sent.contents()).hasSize(2).allMatch(c -> c instanceof TextContent);
            assertThat(((TextContent) sent.contents().get(1)).text()).startsWith("--- Attachment: report.pdf (application/pdf");
        }
    }
}
