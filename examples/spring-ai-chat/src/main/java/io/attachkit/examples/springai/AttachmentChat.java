package io.attachkit.examples.springai;

import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.FileStore;
import io.attachkit.ai.ModelCapabilities;
import io.attachkit.springai.AttachmentMessages;
import java.nio.file.Path;
import java.util.List;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * A worked example: a user attaches a file to a question; the file is stored and processed, turned into a
 * Spring AI user message with media the model can take, and sent to the model.
 *
 * <pre>{@code
 * // chatModel: the ChatModel bean of any Spring AI starter (OpenAI, Anthropic, Gemini, Ollama ...)
 * try (AttachmentChat chat = new AttachmentChat(FileStores.open("file:///var/lib/attachkit"), chatModel, ModelCapabilities.anthropic())) {
 *     String answer = chat.ask(Path.of("invoice.png"), "What is the total?");
 * }
 * }</pre>
 */
public final class AttachmentChat implements AutoCloseable {
    private final Attachments attachments;
    private final AttachmentMessages messages;
    private final ChatModel model;

    /**
     * @param store where attached files are kept
     * @param model the chat model to ask
     * @param capabilities what that model takes natively
     */
    public AttachmentChat(FileStore store, ChatModel model, ModelCapabilities capabilities) {
        this.attachments = Attachments.builder().store(store).build();
        this.messages = AttachmentMessages.builder().store(store).capabilities(capabilities).tokenBudget(8_000).build();
        this.model = model;
    }

    /**
     * @param file the attached file
     * @param question the user's question about it
     * @return the model's answer
     */
    public String ask(Path file, String question) {
        Attachment attachment = attachments.storeAndProcess(Attachment.fromPath(file));
        UserMessage message = messages.userMessage(question, List.of(attachment));
        return model.call(new Prompt(message)).getResult().getOutput().getText();
    }

    @Override
    public void close() {
        attachments.close();
    }
}
