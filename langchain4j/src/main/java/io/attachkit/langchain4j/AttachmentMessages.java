package io.attachkit.langchain4j;

import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.PdfFileContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import io.attachkit.Attachment;
import io.attachkit.AttachmentException;
import io.attachkit.FileStore;
import io.attachkit.ProcessingException;
import io.attachkit.ai.AttachmentRenderer;
import io.attachkit.ai.ContentPart;
import io.attachkit.ai.ModelCapabilities;
import io.attachkit.ai.RenderedContent;
import io.attachkit.ai.RendererSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds LangChain4j user messages from attachments for one model: {@link ImageContent} and
 * {@link PdfFileContent} where the model accepts them (its {@link ModelCapabilities}: types, byte and page
 * limits), otherwise {@link TextContent} with the extracted text under a header naming the file; all within a
 * token budget, with a closing note that says what was cut. See {@link AttachmentRenderer} for the rules.
 *
 * <pre>{@code
 * AttachmentMessages messages = AttachmentMessages.builder()
 *         .store(store)
 *         .capabilities(ModelCapabilities.openAi())
 *         .tokenBudget(8_000)
 *         .build();
 * UserMessage question = messages.userMessage("What is the total on this invoice?", List.of(invoice));
 * ChatResponse answer = chatModel.chat(question);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class AttachmentMessages {
    private final AttachmentRenderer renderer;

    private AttachmentMessages(AttachmentRenderer renderer) {
        this.renderer = renderer;
    }

    /** @return a builder; {@link Builder#store(FileStore)} is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param renderer a configured renderer
     * @return messages built with it
     */
    public static AttachmentMessages of(AttachmentRenderer renderer) {
        return new AttachmentMessages(Objects.requireNonNull(renderer, "renderer"));
    }

    /**
     * A user message: the prompt first (never cut, not counted in the budget), then the attachments.
     *
     * @param prompt the user's own text
     * @param attachments stored, processed attachments
     * @return the message
     * @throws ProcessingException if an attachment must go as text but has none
     * @throws AttachmentException if reading a file from the store fails
     */
    public UserMessage userMessage(String prompt, List<Attachment> attachments) {
        Objects.requireNonNull(prompt, "prompt");
        List<Content> contents = new ArrayList<>();
        contents.add(TextContent.from(prompt));
        contents.addAll(contents(attachments));
        return UserMessage.from(contents);
    }

    /**
     * @param attachments stored, processed attachments
     * @return their message contents, with the closing note when something was cut
     * @throws ProcessingException if an attachment must go as text but has none
     * @throws AttachmentException if reading a file from the store fails
     */
    public List<Content> contents(List<Attachment> attachments) {
        return toContents(renderer.render(attachments));
    }

    /**
     * Renders without converting, for callers that want the notes (what was cut) as well as the parts.
     *
     * @param attachments stored, processed attachments
     * @return the neutral parts and notes; convert with {@link #toContents(RenderedContent)}
     * @throws ProcessingException if an attachment must go as text but has none
     * @throws AttachmentException if reading a file from the store fails
     */
    public RenderedContent render(List<Attachment> attachments) {
        return renderer.render(attachments);
    }

    /**
     * @param rendered rendered parts
     * @return them as LangChain4j contents
     */
    public static List<Content> toContents(RenderedContent rendered) {
        List<Content> out = new ArrayList<>();
        for (ContentPart part : rendered.parts()) {
            if (part instanceof ContentPart.Text t) {
                out.add(TextContent.from(t.text()));
            } else if (part instanceof ContentPart.Image i) {
                out.add(ImageContent.from(i.base64(), i.mimeType()));
            } else if (part instanceof ContentPart.Pdf p) {
                out.add(PdfFileContent.from(p.base64(), "application/pdf"));
            }
        }
        return List.copyOf(out);
    }

    /** @return the model description messages are built for */
    public ModelCapabilities capabilities() {
        return renderer.capabilities();
    }

    /**
     * Builds {@link AttachmentMessages}; the settings are those of {@link RendererSettings} (store required,
     * capabilities, token budget, estimator). Not thread-safe.
     */
    public static final class Builder extends RendererSettings<Builder> {
        private Builder() {
        }

        /**
         * @return the messages builder's product
         * @throws IllegalStateException if no store was set
         */
        public AttachmentMessages build() {
            return new AttachmentMessages(renderer());
        }
    }
}
