package io.attachkit.springai;

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
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.Media;
import org.springframework.util.MimeType;

/**
 * Builds Spring AI user messages from attachments for one model: images and PDFs as {@link Media} where
 * the model accepts them (its {@link ModelCapabilities}: types, byte and page limits), otherwise the
 * extracted text under a header naming the file; all within a token budget, with a closing note that says
 * what was cut. See {@link AttachmentRenderer} for the rules.
 *
 * <p>A Spring AI user message holds one text and a list of media: the text is the prompt followed by each
 * attachment's header or text in order, and the media follow in the same order as their headers.
 *
 * <pre>{@code
 * AttachmentMessages messages = AttachmentMessages.builder()
 *         .store(store)
 *         .capabilities(ModelCapabilities.anthropic())
 *         .tokenBudget(8_000)
 *         .build();
 * UserMessage question = messages.userMessage("What is the total on this invoice?", List.of(invoice));
 * String answer = chatModel.call(new Prompt(question)).getResult().getOutput().getText();
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
        return toUserMessage(prompt, renderer.render(attachments));
    }

    /**
     * Renders without converting, for callers that want the notes (what was cut) as well as the parts.
     *
     * @param attachments stored, processed attachments
     * @return the neutral parts and notes; convert with {@link #toUserMessage(String, RenderedContent)}
     * @throws ProcessingException if an attachment must go as text but has none
     * @throws AttachmentException if reading a file from the store fails
     */
    public RenderedContent render(List<Attachment> attachments) {
        return renderer.render(attachments);
    }

    /**
     * @param prompt the user's own text
     * @param rendered rendered parts
     * @return a user message with the prompt and the text parts as its text, the native parts as its media
     */
    public static UserMessage toUserMessage(String prompt, RenderedContent rendered) {
        StringBuilder text = new StringBuilder(prompt);
        List<Media> media = new ArrayList<>();
        for (ContentPart part : rendered.parts()) {
            if (part instanceof ContentPart.Text t) {
                text.append("\n\n").append(t.text());
            } else if (part instanceof ContentPart.Image i) {
                media.add(media(MimeType.valueOf(i.mimeType()), i.base64(), i.filename()));
            } else if (part instanceof ContentPart.Pdf p) {
                media.add(media(MimeType.valueOf("application/pdf"), p.base64(), p.filename()));
            }
        }
        return UserMessage.builder().text(text.toString()).media(media).build();
    }

    private static Media media(MimeType type, String base64, String filename) {
        return Media.builder().mimeType(type).data(Base64.getDecoder().decode(base64)).name(safeName(filename)).build();
    }

    /** Providers restrict media names (Bedrock: letters, digits, spaces, hyphens, parentheses, brackets). */
    static String safeName(String filename) {
        String base = filename.contains(".") ? filename.substring(0, filename.lastIndexOf('.')) : filename;
        String safe = base.replaceAll("[^A-Za-z0-9 ()\\[\\]-]+", "-").replaceAll("-{2,}", "-")
                .replaceAll("^[- ]+|[- ]+$", "");
        return safe.chars().anyMatch(Character::isLetterOrDigit) ? safe : "attachment";
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
