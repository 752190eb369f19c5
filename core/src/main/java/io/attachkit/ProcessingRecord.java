package io.attachkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The derived record attachkit keeps for one content (one SHA-256) in the {@link FileStore}: the processing
 * results by key (processor, version and the limits that change the output) and the files accepted for
 * processing whose result is not written yet (so a restart can resume them). JSON:
 *
 * <pre>{@code
 * {"format": 1,
 *  "results": {"pdf-text|3|p500-px100000000-c1000000": {"status": "done", "processed_at": "...", "processed_content": {...}}},
 *  "pending": {"<file id>": {"storage_path": "...", "filename": "...", "mime_type": "...", "size": 123, "queued_at": "..."}}}
 * }</pre>
 *
 * Not thread-safe: {@link Attachments} reads, changes and writes one under a lock per digest.
 */
final class ProcessingRecord {
    /** Results kept per content; the oldest goes first (another processor version or other limits). */
    static final int MAX_RESULTS = 8;
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(200).maxStringLength(Integer.MAX_VALUE / 2).build());
    }

    private final LinkedHashMap<String, Map<String, Object>> results = new LinkedHashMap<>();
    private final LinkedHashMap<String, Map<String, Object>> pending = new LinkedHashMap<>();

    static ProcessingRecord empty() {
        return new ProcessingRecord();
    }

    /**
     * @param bytes a record as {@link #toBytes()} wrote it
     * @return the record
     * @throws IOException if it is not one
     */
    static ProcessingRecord parse(byte[] bytes) throws IOException {
        Map<String, Object> root = MAPPER.readValue(bytes, MAP);
        ProcessingRecord r = new ProcessingRecord();
        if (root == null) {
            return r;
        }
        copyObjects(root.get("results"), r.results);
        copyObjects(root.get("pending"), r.pending);
        return r;
    }

    @SuppressWarnings("unchecked")
    private static void copyObjects(Object from, Map<String, Map<String, Object>> to) throws IOException {
        if (from == null) {
            return;
        }
        if (!(from instanceof Map<?, ?> m)) {
            throw new IOException("expected an object, had " + from.getClass().getSimpleName());
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> v)) {
                throw new IOException("expected an object under '" + e.getKey() + "'");
            }
            to.put(String.valueOf(e.getKey()), (Map<String, Object>) v);
        }
    }

    byte[] toBytes() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", 1);
        root.put("results", results);
        root.put("pending", pending);
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new ProcessingException("A processing result cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** @return the result under this key, if any (done or failed) */
    Optional<ProcessedContent> result(String key) {
        Map<String, Object> entry = results.get(key);
        if (entry == null || !(entry.get("processed_content") instanceof Map<?, ?> pc)) {
            return Optional.empty();
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        pc.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return Optional.of(ProcessedContent.of(copy));
    }

    void putResult(String key, ProcessedContent content) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("status", (content.error() == null ? ProcessingStatus.DONE : ProcessingStatus.FAILED).jsonValue());
        entry.put("processed_at", Instant.now().toString());
        entry.put("processed_content", content.asMap());
        results.remove(key);
        results.put(key, entry);
        Iterator<String> oldest = results.keySet().iterator();
        while (results.size() > MAX_RESULTS) {
            oldest.next();
            oldest.remove();
        }
    }

    void addPending(Attachment a) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("storage_path", a.storagePath());
        entry.put("filename", a.filename());
        entry.put("mime_type", a.mimeType());
        entry.put("size", a.size());
        entry.put("queued_at", Instant.now().toString());
        pending.put(a.fileId(), entry);
    }

    /** @return whether there was such an entry */
    boolean removePending(String fileId) {
        return pending.remove(fileId) != null;
    }

    /**
     * @param sha256 the content's digest (the record's key in the store)
     * @return the files waiting for processing, rebuilt as stored attachments
     */
    List<Attachment> pendingAttachments(String sha256) {
        List<Attachment> out = new ArrayList<>();
        pending.forEach((fileId, e) -> {
            try {
                Object size = e.get("size");
                out.add(Attachment.builder().filename(String.valueOf(e.get("filename"))).fileId(fileId)
                        .storagePath((String) e.get("storage_path")).mimeType((String) e.get("mime_type"))
                        .size(size instanceof Number n ? n.longValue() : -1).sha256(sha256).status(AttachmentStatus.STORED)
                        .processingStatus(ProcessingStatus.QUEUED).build());
            } catch (RuntimeException bad) {
                // an entry this version cannot read is skipped; its file is processed at its first read
            }
        });
        return out;
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    boolean isEmpty() {
        return results.isEmpty() && pending.isEmpty();
    }
}
