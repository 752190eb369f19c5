package io.attachkit.ai;

import java.util.List;

/**
 * Attachments rendered for one model within a token budget: the message parts in order, and the notes
 * saying what was cut, omitted or sent as text instead of natively.
 *
 * <p>When there are notes, the last part is a {@link ContentPart.Text} that tells the model the same, so
 * it does not answer as if it had seen everything.
 *
 * @param parts the parts, in attachment order
 * @param notes one sentence per cut, omission or fallback; empty when everything went in whole
 * @param tokens the estimated tokens of the parts, not counting the closing note
 * @param budget the budget the parts were fitted into
 */
public record RenderedContent(List<ContentPart> parts, List<String> notes, int tokens, int budget) {
    /**
     * @param parts the parts (copied)
     * @param notes the notes (copied)
     * @param tokens the estimated tokens
     * @param budget the budget
     */
    public RenderedContent {
        parts = List.copyOf(parts);
        notes = List.copyOf(notes);
    }

    /** @return whether anything was cut, omitted or sent as text instead of natively */
    public boolean hasNotes() {
        return !notes.isEmpty();
    }
}
