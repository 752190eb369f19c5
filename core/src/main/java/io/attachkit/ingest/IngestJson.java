package io.attachkit.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attachkit.InvalidContentException;
import io.attachkit.internal.StoragePaths;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Bounded JSON reading and writing shared by the request formats. */
final class IngestJson {
    /** Deepest nesting accepted: requests are shallow; deeper input is hostile. */
    static final int MAX_NESTING_DEPTH = 64;
    /** Longest string accepted (a base64 value of a 50 MiB file is about 70 million characters). */
    static final int MAX_STRING_LENGTH = 160 * 1024 * 1024;
    /** Largest document accepted, in bytes or characters. */
    static final long MAX_DOCUMENT_LENGTH = 512L * 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNumberLength(100)
                .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                .build());
    }

    private IngestJson() {
    }

    /** The bounded mapper, for callers that word their own errors. */
    static ObjectMapper mapper() {
        return MAPPER;
    }

    static Object read(String json, String what) {
        if (json == null) {
            throw new InvalidContentException(what + " is null");
        }
        try {
            return MAPPER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new InvalidContentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Object read(InputStream json, String what) {
        try {
            return MAPPER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new InvalidContentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidContentException(what + ": reading the JSON failed: " + e.getMessage(), e);
        }
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new InvalidContentException("Cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Object> object(Object value, String what) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidContentException(what + " must be a JSON object, was " + describe(value));
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }

    static String optionalString(Map<String, Object> map, String key, String what) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new InvalidContentException(what + ": '" + key + "' must be a string, was " + describe(v));
        }
        return s;
    }

    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        if (v instanceof List<?>) {
            return "an array";
        }
        if (v instanceof String s) {
            return "the string " + StoragePaths.quote(s);
        }
        return "the " + (v instanceof Boolean ? "boolean " : "number ") + v;
    }
}
