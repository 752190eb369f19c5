package io.attachkit.processors;

import io.attachkit.processors.internal.Texts;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.attachkit.ContentProcessor;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON documents with Jackson's streaming parser, under read constraints (nesting depth, string,
 * number and name lengths) so hostile input stays bounded.
 *
 * <p>Result keys: {@code type} = {@code json}; {@code root} ({@code object}, {@code array}, {@code string},
 * ...); for an object, {@code keys} (up to {@value #MAX_KEYS} top-level keys with the kind of each value)
 * and {@code key_count}; for an array, {@code length} and {@code element_types}; {@code max_depth};
 * {@code text} (pretty-printed, capped at the output limit) with {@code truncated}; {@code overview}.
 * Invalid JSON is a {@link ProcessingException} with the line and column, which {@code Attachments}
 * records as the result's {@code error}. Thread-safe.
 */
public final class JsonProcessor implements ContentProcessor {
    static final int MAX_KEYS = 100;
    static final int MAX_DEPTH = 500;

    private final JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(10_000_000)
                    .maxNumberLength(1_000)
                    .maxNameLength(50_000)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Creates the processor. */
    public JsonProcessor() {
    }

    @Override
    public String name() {
        return "json";
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public boolean supports(String mimeType) {
        return "application/json".equals(mimeType) || (mimeType != null && mimeType.endsWith("+json"));
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        String name = input.filename();
        CappedWriter text = new CappedWriter(limits.maxOutputChars());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "json");
        try (InputStream in = input.open();
             JsonParser parser = factory.createParser(in);
             JsonGenerator pretty = factory.createGenerator(text)) {
            pretty.useDefaultPrettyPrinter();
            JsonToken root = parser.nextToken();
            if (root == null) {
                throw new ProcessingException("'" + name + "' is not valid JSON: it is empty");
            }
            out.put("root", kind(root));
            Map<String, String> keys = new LinkedHashMap<>();
            Map<String, Long> elementTypes = new LinkedHashMap<>();
            long topLevelCount = 0;
            int depth = 0;
            int maxDepth = 0;
            long tokens = 0;
            for (JsonToken t = root; t != null; t = parser.nextToken()) {
                if (!text.full()) {
                    pretty.copyCurrentEvent(parser);
                }
                if (t.isStructStart()) {
                    depth++;
                    maxDepth = Math.max(maxDepth, depth);
                } else if (t.isStructEnd()) {
                    depth--;
                }
                if (depth == 1 && t == JsonToken.FIELD_NAME) {
                    topLevelCount++;
                    JsonToken value = parser.nextToken();
                    if (keys.size() < MAX_KEYS) {
                        keys.put(parser.currentName(), kind(value));
                    }
                    if (!text.full()) {
                        pretty.copyCurrentEvent(parser);
                    }
                    if (value.isStructStart()) {
                        depth++;
                        maxDepth = Math.max(maxDepth, depth);
                    }
                } else if (root == JsonToken.START_ARRAY && (depth == 1 && t.isScalarValue()
                        || depth == 2 && t.isStructStart())) {
                    topLevelCount++;
                    elementTypes.merge(kind(t), 1L, Long::sum);
                }
                if ((++tokens & 0xffff) == 0) {
                    Texts.checkInterrupted(name);
                }
                if (depth == 0) {
                    break;
                }
            }
            if (parser.nextToken() != null) {
                throw new ProcessingException("'" + name + "' is not valid JSON: unexpected content after the top-level value at line "
                        + parser.currentLocation().getLineNr());
            }
            pretty.flush();
            if (root == JsonToken.START_OBJECT) {
                out.put("key_count", topLevelCount);
                out.put("keys", keys);
            } else if (root == JsonToken.START_ARRAY) {
                out.put("length", topLevelCount);
                out.put("element_types", elementTypes);
            }
            out.put("max_depth", maxDepth);
            out.put("text", text.toString());
            out.put("truncated", text.full());
            out.put("overview", overview(root, topLevelCount, keys, elementTypes, maxDepth, text.full()));
            return ProcessedContent.of(out);
        } catch (JsonProcessingException e) {
            throw new ProcessingException("'" + name + "' is not valid JSON: " + e.getOriginalMessage() + " at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()), e);
        } catch (IOException e) {
            throw new ProcessingException("Reading the JSON of '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    private static String overview(JsonToken root, long count, Map<String, String> keys, Map<String, Long> elementTypes, int depth, boolean truncated) {
        String s;
        if (root == JsonToken.START_OBJECT) {
            List<String> described = new ArrayList<>();
            keys.entrySet().stream().limit(20).forEach(e -> described.add(e.getKey() + " (" + e.getValue() + ")"));
            s = "JSON object with " + Texts.plural(count, "key") + (described.isEmpty() ? "" : ": " + String.join(", ", described)
                    + (count > described.size() ? ", ..." : ""));
        } else if (root == JsonToken.START_ARRAY) {
            s = "JSON array of " + Texts.plural(count, "element") + (elementTypes.isEmpty() ? "" : " (" + elementTypes.entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey()).reduce((a, b) -> a + ", " + b).orElse("") + ")");
        } else {
            s = "JSON " + kind(root) + " value";
        }
        return s + (depth > 1 ? ", nested " + depth + " levels deep" : "") + (truncated ? "; text truncated" : "") + ".";
    }

    private static String kind(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> t.name().toLowerCase();
        };
    }

    /** A writer that keeps the first {@code max} characters and drops the rest. */
    private static final class CappedWriter extends Writer {
        private final StringBuilder sb = new StringBuilder();
        private final int max;
        private boolean full;

        CappedWriter(int max) {
            this.max = max;
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            int room = max - sb.length();
            if (len > room) {
                full = true;
            }
            sb.append(cbuf, off, Math.max(0, Math.min(room, len)));
        }

        boolean full() {
            return full;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
