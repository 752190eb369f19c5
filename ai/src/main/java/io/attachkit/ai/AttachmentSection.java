package io.attachkit.ai;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One citable piece of an attachment's extracted text (a page, a section, a sheet, a slide, or the whole
 * file) with the metadata that says where it came from. The framework adapters turn each into their own
 * document type.
 *
 * <p>Metadata values are only {@code String}, {@code Integer}, {@code Long} or {@code Double}, never
 * {@code null}, so every framework's metadata type can hold them. The keys are the constants of
 * {@link AttachmentSections} plus the scalar fields of the processor's span (e.g. {@code page},
 * {@code sheet}, {@code slide}, {@code heading}, {@code source}).
 *
 * <p>Immutable and thread-safe.
 */
public final class AttachmentSection {
    private final String text;
    private final Map<String, Object> metadata;

    AttachmentSection(String text, Map<String, Object> metadata) {
        this.text = Objects.requireNonNull(text, "text");
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** @return the section's text */
    public String text() {
        return text;
    }

    /** @return the metadata, unmodifiable, in a stable order */
    public Map<String, Object> metadata() {
        return metadata;
    }

    @Override
    public String toString() {
        return "AttachmentSection" + metadata;
    }
}
