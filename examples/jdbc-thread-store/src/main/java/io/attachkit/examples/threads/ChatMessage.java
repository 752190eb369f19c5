package io.attachkit.examples.threads;

import io.attachkit.Attachment;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/**
 * One message of a {@link ChatThread}, with its attachments (each STORED: its content opens from the store).
 *
 * @param id the message's id
 * @param threadId the thread it belongs to
 * @param seq its position in the thread, from 1, without gaps among committed messages
 * @param role who wrote it ({@code user}, {@code assistant}, ...; at most 32 characters)
 * @param content its text
 * @param createdAt when it was saved
 * @param attachments its attachments, in the order they were given
 */
public record ChatMessage(String id, String threadId, long seq, String role, String content, OffsetDateTime createdAt,
        List<Attachment> attachments) {
    /**
     * Checks the fields and copies the attachment list.
     *
     * @param id see the record's description
     * @param threadId see the record's description
     * @param seq see the record's description
     * @param role see the record's description
     * @param content see the record's description
     * @param createdAt see the record's description
     * @param attachments see the record's description
     */
    public ChatMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(createdAt, "createdAt");
        attachments = List.copyOf(attachments);
    }
}
