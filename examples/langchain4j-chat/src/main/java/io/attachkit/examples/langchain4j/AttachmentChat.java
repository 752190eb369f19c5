package io.attachkit.examples.langchain4j;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.FileStore;
import io.attachkit.ai.ModelCapabilities;
import io.attachkit.langchain4j.AttachmentMessages;
import java.nio.file.Path;
import java.util.List;

/**
 * A worked example: a user attaches a file to a question; the file is stored and processed, turned into
 * LangChain4j message content the model can take, and sent to the model.
 *
 * <pre>{@code
 * ChatModel model = OpenAiChatModel.builder().apiKey(key).modelName("gpt-4o").build();   // any LangChain4j ChatModel
 * try (AttachmentChat chat = new AttachmentChat(FileStores.open("file:///var/lib/attachkit"), model, ModelCapabilities.openAi())) {
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
        return model.chat(message).aiMessage().text();
    }

    @Override
    public void close() {
        attachments.close();
    }
}
