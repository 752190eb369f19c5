package io.attachkit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What attachkit extracted from a file for a model or a person: Tyler's {@code processed_content}.
 *
 * <p>The well-known keys have accessors: {@code type} ({@code document}, {@code image}, {@code text},
 * {@code table}, {@code json}, {@code binary}), {@code text}, {@code overview} and {@code url}; processors
 * add more ({@code pages}, {@code columns}, {@code error}, {@code mime_mismatch}, ...), read with
 * {@link #get(String)}. Values are JSON-shaped: strings, numbers, booleans, lists and maps.
 *
 * <p>Immutable and thread-safe; {@link #with(String, Object)} returns a changed copy.
 *
 * <pre>{@code
 * ProcessedContent pc = ProcessedContent.of(Map.of("type", "text", "text", "hello"));
 * pc.text();                       // "hello"
 * pc.with("url", "/files/ab/cd.txt").url();
 * }</pre>
 */
public final class ProcessedContent {
    private static final ProcessedContent EMPTY = new ProcessedContent(Map.of());

    /** Key of the content kind. */
    public static final String TYPE = "type";
    /** Key of the extracted text. */
    public static final String TEXT = "text";
    /** Key of the one-paragraph overview. */
    public static final String OVERVIEW = "overview";
    /** Key of the URL the file is served at. */
    public static final String URL = "url";
    /** Key of the processing error, when processing failed. */
    public static final String ERROR = "error";
    /** Key of the MIME disagreement report. */
    public static final String MIME_MISMATCH = "mime_mismatch";

    private final Map<String, Object> values;

    private ProcessedContent(Map<String, Object> values) {
        this.values = values;
    }

    /** @return content with no keys */
    public static ProcessedContent empty() {
        return EMPTY;
    }

    /**
     * @param values the keys and JSON-shaped values (copied)
     * @return the content
     */
    public static ProcessedContent of(Map<String, ?> values) {
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) {
            return EMPTY;
        }
        return new ProcessedContent(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }

    /** @return the content kind, or {@code null} */
    public String type() {
        return string(TYPE);
    }

    /** @return the extracted text, or {@code null} */
    public String text() {
        return string(TEXT);
    }

    /** @return the overview, or {@code null} */
    public String overview() {
        return string(OVERVIEW);
    }

    /** @return the URL the file is served at, or {@code null} */
    public String url() {
        return string(URL);
    }

    /** @return the processing error, or {@code null} */
    public String error() {
        return string(ERROR);
    }

    /**
     * @param key a key
     * @return its value, or {@code null}
     */
    public Object get(String key) {
        return values.get(key);
    }

    /** @return whether there are no keys */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** @return the keys and values, unmodifiable, in insertion order */
    public Map<String, Object> asMap() {
        return values;
    }

    /**
     * @param key the key to set
     * @param value its value; {@code null} removes the key
     * @return a copy with the key set
     */
    public ProcessedContent with(String key, Object value) {
        Objects.requireNonNull(key, "key");
        Map<String, Object> copy = new LinkedHashMap<>(values);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return of(copy);
    }

    /**
     * @param other keys to add or replace
     * @return a copy with the other content's keys merged over this one's
     */
    public ProcessedContent merge(ProcessedContent other) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.putAll(other.values);
        return of(copy);
    }

    /** @return the warnings processors recorded, or an empty list */
    @SuppressWarnings("unchecked")
    public List<String> warnings() {
        Object w = values.get("warnings");
        return w instanceof List<?> l ? (List<String>) l : List.of();
    }

    private String string(String key) {
        Object v = values.get(key);
        return v == null ? null : v.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProcessedContent pc && pc.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "ProcessedContent" + values;
    }
}
