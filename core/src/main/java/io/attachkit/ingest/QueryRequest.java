package io.attachkit.ingest;

import io.attachkit.Attachment;
import io.attachkit.AttachmentException;
import io.attachkit.Attachments;
import io.attachkit.InvalidContentException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent "query" request:
 * {@code {"kwargs":{"session_id":"..."},"parts":[{"type":"file","name":"data.csv","mimeType":"text/csv","base64":"..."},{"type":"text","text":"..."}]}}.
 *
 * <pre>{@code
 * QueryRequest query = QueryRequest.fromJson(body);
 * QueryContext context = query.resolve(attachments);   // stores and processes every file part
 * context.toJson();
 * }</pre>
 *
 * <p>A malformed request or part (not JSON, a part without a known {@code type}, a file part without a
 * {@code name} or with invalid base64) is an {@link InvalidContentException} naming the part; nothing is
 * stored for it. Immutable; the file parts hold pending attachments until {@link #resolve(Attachments)}.
 */
public final class QueryRequest {
    private static final Logger LOG = LoggerFactory.getLogger(QueryRequest.class);
    private static final String WHAT = "Query request";

    private final Map<String, Object> kwargs;
    private final List<QueryPart> parts;

    private QueryRequest(Map<String, Object> kwargs, List<QueryPart> parts) {
        this.kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
        this.parts = List.copyOf(parts);
    }

    /**
     * @param json the request body
     * @return the parsed request
     * @throws InvalidContentException if the request or one of its parts is malformed
     */
    public static QueryRequest fromJson(String json) {
        return fromMap(IngestJson.object(IngestJson.read(json, WHAT), WHAT));
    }

    /**
     * @param json the request body; read to its end, not closed
     * @return the parsed request
     * @throws InvalidContentException if the request or one of its parts is malformed
     */
    public static QueryRequest fromJson(InputStream json) {
        Objects.requireNonNull(json, "json");
        return fromMap(IngestJson.object(IngestJson.read(json, WHAT), WHAT));
    }

    /**
     * @param request the already parsed request object
     * @return the parsed request
     * @throws InvalidContentException if the request or one of its parts is malformed
     */
    public static QueryRequest fromMap(Map<String, ?> request) {
        Map<String, Object> root = IngestJson.object(request, WHAT);
        Object kw = root.get("kwargs");
        Map<String, Object> kwargs = kw == null ? Map.of() : IngestJson.object(kw, WHAT + ": 'kwargs'");
        Object rawParts = root.get("parts");
        if (!(rawParts instanceof List<?> list)) {
            throw new InvalidContentException(WHAT + ": 'parts' must be a list of file and text parts, was "
                    + IngestJson.describe(rawParts));
        }
        List<QueryPart> parts = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            parts.add(parsePart(i, list.get(i)));
        }
        return new QueryRequest(kwargs, parts);
    }

    private static QueryPart parsePart(int index, Object raw) {
        String what = WHAT + ": part " + index;
        Map<String, Object> part = IngestJson.object(raw, what);
        String type = IngestJson.optionalString(part, "type", what);
        if ("text".equals(type)) {
            String text = IngestJson.optionalString(part, "text", what);
            if (text == null) {
                throw new InvalidContentException(what + ": a text part needs a string 'text'");
            }
            return new QueryPart.Text(index, text);
        }
        if ("file".equals(type)) {
            String name = IngestJson.optionalString(part, "name", what);
            if (name == null || name.isBlank()) {
                throw new InvalidContentException(what + ": a file part needs a non-blank 'name'");
            }
            String mimeType = IngestJson.optionalString(part, "mimeType", what);
            String base64 = IngestJson.optionalString(part, "base64", what);
            if (base64 == null) {
                throw new InvalidContentException(what + " ('" + name + "'): a file part needs its content as a 'base64' string");
            }
            try {
                return new QueryPart.File(index, name, mimeType, Attachment.fromBase64(name, base64, mimeType));
            } catch (InvalidContentException e) {
                throw new InvalidContentException(what + ": " + e.getMessage(), e);
            }
        }
        throw new InvalidContentException(what + ": 'type' must be 'file' or 'text', was " + IngestJson.describe(part.get("type")));
    }

    /** @return the keyword arguments ({@code session_id}, ...), unmodifiable */
    public Map<String, Object> kwargs() {
        return kwargs;
    }

    /** @return the parts in request order */
    public List<QueryPart> parts() {
        return parts;
    }

    /** @return the file parts in request order */
    public List<QueryPart.File> fileParts() {
        return parts.stream().filter(QueryPart.File.class::isInstance).map(QueryPart.File.class::cast).toList();
    }

    /**
     * Stores and processes every file part, in order. A file that cannot be stored (too large, a type not
     * allowed) stays in the context as a FAILED attachment with its {@code error}, so the agent sees it.
     *
     * @param attachments the service to store and process with
     * @return the resolved context, in request order
     */
    public QueryContext resolve(Attachments attachments) {
        for (QueryPart.File file : fileParts()) {
            try {
                attachments.storeAndProcess(file.attachment());
            } catch (AttachmentException e) {
                LOG.info("Query file part {} ('{}') was not stored: {}", file.index(), file.name(), e.getMessage());
            }
        }
        return QueryContext.of(kwargs, parts);
    }
}
