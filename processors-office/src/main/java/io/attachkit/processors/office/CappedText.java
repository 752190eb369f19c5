package io.attachkit.processors.office;

/**
 * The text of a result, built block by block and cut at the output limit: once full, appends are dropped and
 * {@link #truncated()} says so. Not thread-safe: one per processing call.
 */
final class CappedText {
    private final StringBuilder text = new StringBuilder();
    private final int maxChars;
    private boolean truncated;

    CappedText(int maxChars) {
        this.maxChars = maxChars;
    }

    /** @return the current length, the offset the next append starts at */
    int length() {
        return text.length();
    }

    /** @return whether nothing more fits */
    boolean full() {
        return text.length() >= maxChars;
    }

    /** @return whether something was cut or dropped */
    boolean truncated() {
        return truncated;
    }

    /** Appends as much of {@code s} as fits. */
    CappedText append(CharSequence s) {
        int room = maxChars - text.length();
        if (s.length() <= room) {
            text.append(s);
        } else {
            if (room > 0) {
                text.append(s, 0, room);
            }
            truncated = true;
        }
        return this;
    }

    /** Starts a new block: a blank line after any text so far (paragraphs, sheets, slides). */
    CappedText block() {
        if (text.length() > 0 && !full()) {
            int end = text.length();
            if (text.charAt(end - 1) != '\n') {
                append("\n\n");
            } else if (end < 2 || text.charAt(end - 2) != '\n') {
                append("\n");
            }
        }
        return this;
    }

    /** @return the last character, or a newline when there is no text yet */
    char lastChar() {
        return text.length() == 0 ? '\n' : text.charAt(text.length() - 1);
    }

    /** Starts a new line after any text so far (dropping the spaces that ended the line). */
    CappedText line() {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ') {
            end--;
        }
        text.setLength(end);
        if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
            append("\n");
        }
        return this;
    }

    /** Drops the whitespace that ends the text (call only when no span ends beyond what remains). */
    void trimEnd() {
        int end = text.length();
        while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        text.setLength(end);
    }

    /** Marks the text as cut short although nothing was dropped here (a row or slide limit ended reading). */
    void markTruncated() {
        truncated = true;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
