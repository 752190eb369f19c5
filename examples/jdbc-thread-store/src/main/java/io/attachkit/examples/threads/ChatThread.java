package io.attachkit.examples.threads;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/**
 * A chat thread as loaded from the {@link ThreadStore}.
 *
 * @param id the thread's id
 * @param title its title
 * @param createdAt when it was created
 * @param messages its messages, oldest first (empty for a thread returned by {@link ThreadStore#createThread})
 */
public record ChatThread(String id, String title, OffsetDateTime createdAt, List<ChatMessage> messages) {
    /**
     * Checks the fields and copies the message list.
     *
     * @param id see the record's description
     * @param title see the record's description
     * @param createdAt see the record's description
     * @param messages see the record's description
     */
    public ChatThread {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(createdAt, "createdAt");
        messages = List.copyOf(messages);
    }
}
