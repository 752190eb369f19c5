package io.attachkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Maps {@link Attachment} to and from Tyler's JSON shape. Package-private: users call
 * {@link Attachment#toJson()}, {@link Attachment#modelDump()} and {@link Attachment#fromJson(String)}.
 */
final class AttachmentJson {
    private static final Set<String> KNOWN = Set.of("filename", "mime_type", "processed_content", "file_id", "storage_path",
            "storage_backend", "status", "content", "size", "sha256", "error", "processing_status");
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };
    /** Immutable once configured; bounded nesting and string sizes guard against hostile JSON. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(200)
                .maxStringLength(Integer.MAX_VALUE / 2)
                .build());
    }

    private AttachmentJson() {
    }

    static Map<String, Object> toMap(Attachment a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("filename", a.filename());
        m.put("mime_type", a.mimeType());
        ProcessedContent pc = a.processedContent();
        // Tyler's seven keys are always written, null when unset, as its model_dump() does: readers index them directly
        m.put("processed_content", pc.isEmpty() ? null : new LinkedHashMap<>(pc.asMap()));
        m.put("file_id", a.fileId());
        m.put("storage_path", a.storagePath());
        m.put("storage_backend", a.storageBackend());
        m.put("status", a.status().jsonValue());
        String content = a.contentBase64ForJson();
        if (content != null) {
            m.put("content", content);
        }
        if (a.size() >= 0) {
            m.put("size", a.size());
        }
        if (a.sha256() != null) {
            m.put("sha256", a.sha256());
        }
        if (a.failureReason() != null) {
            m.put("error", a.failureReason());
        }
        if (a.processingStatus() != null && a.fileId() != null) {
            m.put("processing_status", a.processingStatus().jsonValue());
        }
        a.extraJson().forEach(m::putIfAbsent);
        return m;
    }

    static String write(Attachment a) {
        try {
            return MAPPER.writeValueAsString(toMap(a));
        } catch (JsonProcessingException e) {
            throw new InvalidContentException("Attachment '" + a.filename() + "' cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Attachment read(String json) {
        if (json == null) {
            throw new InvalidContentException("Attachment JSON is null");
        }
        Map<String, Object> map;
        try {
            map = MAPPER.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new InvalidContentException("Attachment JSON is malformed: " + e.getOriginalMessage(), e);
        }
        if (map == null) {
            throw new InvalidContentException("Attachment JSON is 'null', expected an object");
        }
        return fromMap(map);
    }

    static Attachment fromMap(Map<String, ?> map) {
        Object filename = map.get("filename");
        if (!(filename instanceof String name) || name.isBlank()) {
            throw new InvalidContentException("Attachment JSON needs a non-blank string 'filename', had " + describe(filename));
        }
        Attachment.Builder b = Attachment.builder().filename(name);
        b.mimeType(string(map, "mime_type"));
        Object pc = map.get("processed_content");
        if (pc instanceof Map<?, ?> pcMap) {
            Map<String, Object> copy = new LinkedHashMap<>();
            pcMap.forEach((k, v) -> copy.put(String.valueOf(k), v));
            b.processedContent(ProcessedContent.of(copy));
        } else if (pc != null) {
            throw new InvalidContentException("Attachment '" + name + "': processed_content must be an object, had " + describe(pc));
        }
        String fileId = string(map, "file_id");
        b.fileId(fileId);
        b.storagePath(string(map, "storage_path"));
        b.storageBackend(string(map, "storage_backend"));
        String status = string(map, "status");
        if (status != null) {
            b.status(AttachmentStatus.fromJson(status));
        }
        Object content = map.get("content");
        if (content instanceof String s && fileId == null) {
            b.base64(s);
        } else if (content != null && !(content instanceof String)) {
            throw new InvalidContentException("Attachment '" + name + "': content must be a base64 string, had " + describe(content));
        }
        Object size = map.get("size");
        if (size != null) {
            b.size(size(name, size));
        }
        b.sha256(string(map, "sha256"));
        b.failureReason(string(map, "error"));
        String processing = string(map, "processing_status");
        if (processing != null) {
            b.processingStatus(ProcessingStatus.fromJson(processing));
        }
        map.forEach((k, v) -> {
            if (!KNOWN.contains(k)) {
                b.extraJson(k, v);
            }
        });
        return b.build();
    }

    /** A size is a whole number of bytes from 0 to 2^63-1; anything else (10^30 would wrap) is refused, not guessed. */
    private static long size(String name, Object size) {
        if (size instanceof Integer || size instanceof Long || size instanceof Short || size instanceof Byte) {
            long v = ((Number) size).longValue();
            if (v >= 0) {
                return v;
            }
        }
        throw new InvalidContentException("Attachment '" + name + "': size must be a whole number of bytes from 0 to "
                + Long.MAX_VALUE + ", had " + describe(size));
    }

    private static String string(Map<String, ?> map, String key) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new InvalidContentException("Attachment JSON key '" + key + "' must be a string, had " + describe(v));
        }
        return s;
    }

    private static String describe(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName() + " " + io.attachkit.internal.StoragePaths.quote(String.valueOf(v));
    }
}
