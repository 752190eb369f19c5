package io.attachkit.examples.springai;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.ai.ModelCapabilities;
import io.attachkit.storage.local.LocalFileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

/** Runs the example offline against a scripted chat model that records what it was sent. */
class AttachmentChatTest {
    private static final Path INVOICE = Path.of("../files/invoice.png");
    private static final Path REPORT = Path.of("../files/report.pdf");

    @TempDir
    Path root;

    /** The only scripted part: a model that answers from a script and keeps the prompts. */
    static final class ScriptedChatModel implements ChatModel {
        final List<Prompt> prompts = new ArrayList<>();

        @Override
        public ChatResponse call(Prompt prompt) {
            prompts.add(prompt);
            return new ChatResponse(List.of(new Generation(new AssistantMessage("The total is on the invoice."))));
        }
    }

    @Test
    void visionModel_receivesTheImageAsMedia() throws Exception {
        ScriptedChatModel model = new ScriptedChatModel();
        try (LocalFileStore store = LocalFileStore.builder().root(root).build();
                AttachmentChat chat = new AttachmentChat(store, model, ModelCapabilities.anthropic())) {
            String answer = chat.ask(INVOICE, "What is the total?");

            assertThat(answer).isEqualTo("The total is on the invoice.");
            UserMessage sent = (UserMessage) model.prompts.get(0).getInstructions().get(0);
            assertThat(sent.getText()).startsWith("What is the total?");
            assertThat(sent.getMedia()).singleElement()
                    .satisfies(m -> assertThat(m.getDataAsByteArray()).isEqualTo(Files.readAllBytes(INVOICE)));
        }
    }

    @Test
    void textOnlyModel_receivesTheExtractedText() {
        ScriptedChatModel model = new ScriptedChatModel();
        try (LocalFileStore store = LocalFileStore.builder().root(root).build();
                AttachmentChat chat = new AttachmentChat(store, model, ModelCapabilities.textOnly())) {
            chat.ask(REPORT, "Summarise this");

            UserMessage sent = (UserMessage) model.prompts.get(0).getInstructions().get(0);
            assertThat(sent.getMedia()).isEmpty();
            assertThat(sent.getText()).contains("--- Attachment: report.pdf (application/pdf");
        }
    }
}
