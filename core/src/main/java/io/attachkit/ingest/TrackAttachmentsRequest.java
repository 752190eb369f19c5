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

/**
 * The analytics tracker's "track attachments" request in its JSON form: a list of
 * {@code {"filename", "mime_type", "data"}} items with an optional {@code conversation_id}, a {@code metadata}
 * object and a {@code mode} ({@code base64}, the default, or {@code form_data}).
 *
 * <pre>{@code
 * TrackAttachmentsRequest request = TrackAttachmentsRequest.fromJson(
 *     "{\"conversation_id\":\"c1\",\"attachments\":[{\"filename\":\"a.txt\",\"mime_type\":\"text/plain\",\"data\":\"aGk=\"}]}");
 * TrackAttachmentsResponse response = request.storeEach(attachments);
 * response.toJson();   // {"items":[{"index":0,"type":"attachment",...,"success":true,"attachment":{...}}],"summary":{...}}
 * }</pre>
 *
 * <p>The items are under {@code attachments}; a bare JSON array is read as the item list with no other keys.
 * A malformed request as a whole (not JSON, {@code attachments} not a list, an unknown mode) is an
 * {@link InvalidContentException}; a malformed item (no filename, invalid base64, a string in {@code form_data}
 * mode, bytes in {@code base64} mode) is an invalid {@link TrackedItem} that is reported for that item alone.
 * In JSON, bytes are a JSON array of numbers; in {@code form_data} mode files travel as multipart/form-data
 * file parts, which a server reads part by part (see {@link IngestMode#mismatch(boolean)}).
 *
 * <p>Immutable; the attachments it holds are pending until {@link #storeEach(Attachments)} stores them.
 */
public final class TrackAttachmentsRequest {
    /** The key of the item list. */
    public static final String ITEMS_KEY = "attachments";

    private final String conversationId;
    private final Map<String, Object> metadata;
    private final IngestMode mode;
    private final List<TrackedItem> items;

    private TrackAttachmentsRequest(String conversationId, Map<String, Object> metadata, IngestMode mode, List<TrackedItem> items) {
        this.conversationId = conversationId;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.mode = mode;
        this.items = List.copyOf(items);
    }

    /**
     * @param json the request body
     * @return the parsed request
     * @throws InvalidContentException if the request as a whole is malformed
     */
    public static TrackAttachmentsRequest fromJson(String json) {
        return fromParsed(IngestJson.read(json, "Track-attachments request"));
    }

    /**
     * @param json the request body; read to its end, not closed
     * @return the parsed request
     * @throws InvalidContentException if the request as a whole is malformed
     */
    public static TrackAttachmentsRequest fromJson(InputStream json) {
        Objects.requireNonNull(json, "json");
        return fromParsed(IngestJson.read(json, "Track-attachments request"));
    }

    /**
     * @param request the already parsed request object
     * @return the parsed request
     * @throws InvalidContentException if the request as a whole is malformed
     */
    public static TrackAttachmentsRequest fromMap(Map<String, ?> request) {
        return fromParsed(request);
    }

    private static TrackAttachmentsRequest fromParsed(Object parsed) {
        if (parsed instanceof List<?> list) {
            return parseItems(null, Map.of(), IngestMode.BASE64, list);
        }
        Map<String, Object> root = IngestJson.object(parsed, "Track-attachments request");
        String what = "Track-attachments request";
        String conversationId = IngestJson.optionalString(root, "conversation_id", what);
        Object metadata = root.get("metadata");
        Map<String, Object> meta = metadata == null ? Map.of() : IngestJson.object(metadata, what + ": 'metadata'");
        IngestMode mode = IngestMode.fromJson(IngestJson.optionalString(root, "mode", what));
        Object items = root.get(ITEMS_KEY);
        if (!(items instanceof List<?> list)) {
            throw new InvalidContentException(what + ": '" + ITEMS_KEY + "' must be a list of {filename, mime_type, data}, was "
                    + IngestJson.describe(items));
        }
        return parseItems(conversationId, meta, mode, list);
    }

    private static TrackAttachmentsRequest parseItems(String conversationId, Map<String, Object> metadata, IngestMode mode, List<?> raw) {
        List<TrackedItem> items = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            items.add(parseItem(i, raw.get(i), mode));
        }
        return new TrackAttachmentsRequest(conversationId, metadata, mode, items);
    }

    private static TrackedItem parseItem(int index, Object raw, IngestMode mode) {
        if (!(raw instanceof Map<?, ?> item)) {
            return TrackedItem.invalid(index, null, "item must be an object {filename, mime_type, data}, was " + IngestJson.describe(raw));
        }
        Object filename = item.get("filename");
        if (!(filename instanceof String name) || name.isBlank()) {
            return TrackedItem.invalid(index, null, "item needs a non-blank string 'filename', had " + IngestJson.describe(filename));
        }
        Object mime = item.get("mime_type");
        if (mime != null && !(mime instanceof String)) {
            return TrackedItem.invalid(index, name, "'mime_type' must be a string, was " + IngestJson.describe(mime));
        }
        Object data = item.get("data");
        if (data == null) {
            return TrackedItem.invalid(index, name, "item has no 'data'");
        }
        if (!(data instanceof String) && !(data instanceof List<?>)) {
            return TrackedItem.invalid(index, name, "'data' must be a base64 string, was " + IngestJson.describe(data));
        }
        String mismatch = mode.mismatch(data instanceof List<?>);
        if (mismatch != null) {
            return TrackedItem.invalid(index, name, mismatch);
        }
        if (mode == IngestMode.FORM_DATA) {
            return TrackedItem.invalid(index, name, "mode 'form_data' sends files as multipart/form-data file parts, not as JSON");
        }
        try {
            return TrackedItem.of(index, Attachment.fromBase64(name, (String) data, (String) mime));
        } catch (InvalidContentException e) {
            return TrackedItem.invalid(index, name, e.getMessage());
        }
    }

    /** @return the conversation the attachments belong to, or {@code null} */
    public String conversationId() {
        return conversationId;
    }

    /** @return the request's metadata object (empty if none), unmodifiable */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** @return how the items carry their data */
    public IngestMode mode() {
        return mode;
    }

    /** @return the items in request order */
    public List<TrackedItem> items() {
        return items;
    }

    /**
     * Stores and processes each valid item on its own: one item's failure (too large, a type not allowed)
     * is reported for that item and does not undo the others.
     *
     * @param attachments the service to store and process with
     * @return the per-item and summary response
     */
    public TrackAttachmentsResponse storeEach(Attachments attachments) {
        TrackAttachmentsResponse.Builder response = TrackAttachmentsResponse.builder();
        for (TrackedItem item : items) {
            if (!item.valid()) {
                response.failure(item.index(), item.filename(), item.error());
                continue;
            }
            try {
                response.success(item.index(), attachments.storeAndProcess(item.attachment()));
            } catch (AttachmentException e) {
                response.failure(item.index(), item.filename(), e.getMessage());
            }
        }
        return response.build();
    }
}
