package io.attachkit.ingest;

import io.attachkit.Attachment;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The answer to a "track attachments" request, per item and in sum:
 *
 * <pre>{@code
 * {"items":[{"index":0,"type":"attachment","timestamp":"2025-01-01T00:00:00Z","success":true,"attachment":{...}},
 *           {"index":1,"type":"attachment","timestamp":"...","success":false,"filename":"b.png","error":"..."}],
 *  "summary":{"attachments":1,"errors":1}}
 * }</pre>
 *
 * <p>Items are in request order; {@code attachment} is Tyler's JSON of the stored attachment. Immutable.
 */
public final class TrackAttachmentsResponse {
    private final List<Map<String, Object>> items;
    private final int attachments;
    private final int errors;

    private TrackAttachmentsResponse(List<Map<String, Object>> items) {
        this.items = List.copyOf(items);
        this.attachments = (int) items.stream().filter(i -> Boolean.TRUE.equals(i.get("success"))).count();
        this.errors = items.size() - attachments;
    }

    /** @return a builder that stamps items with the system clock */
    public static Builder builder() {
        return new Builder(Clock.systemUTC());
    }

    /**
     * @param clock the clock for item timestamps
     * @return a builder
     */
    public static Builder builder(Clock clock) {
        return new Builder(Objects.requireNonNull(clock, "clock"));
    }

    /** @return the per-item results in request order (unmodifiable maps in the wire shape) */
    public List<Map<String, Object>> items() {
        return items;
    }

    /** @return how many items were stored */
    public int attachmentCount() {
        return attachments;
    }

    /** @return how many items failed */
    public int errorCount() {
        return errors;
    }

    /** @return whether any item failed */
    public boolean hasErrors() {
        return errors > 0;
    }

    /** @return the response in its wire shape */
    public Map<String, Object> toMap() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("attachments", attachments);
        summary.put("errors", errors);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        m.put("summary", summary);
        return m;
    }

    /** @return {@link #toMap()} as JSON */
    public String toJson() {
        return IngestJson.write(toMap());
    }

    /** Collects item results; not thread-safe. */
    public static final class Builder {
        private final Clock clock;
        private final List<Map<String, Object>> items = new ArrayList<>();

        private Builder(Clock clock) {
            this.clock = clock;
        }

        /**
         * Records a stored item.
         *
         * @param index the item's position in the request
         * @param attachment the stored attachment
         * @return this builder
         */
        public Builder success(int index, Attachment attachment) {
            Map<String, Object> m = head(index);
            m.put("success", true);
            m.put("attachment", attachment.modelDump());
            items.add(java.util.Collections.unmodifiableMap(m));
            return this;
        }

        /**
         * Records a failed item.
         *
         * @param index the item's position in the request
         * @param filename the item's filename, or {@code null}
         * @param error why it failed
         * @return this builder
         */
        public Builder failure(int index, String filename, String error) {
            Map<String, Object> m = head(index);
            m.put("success", false);
            if (filename != null) {
                m.put("filename", filename);
            }
            m.put("error", Objects.requireNonNull(error, "error"));
            items.add(java.util.Collections.unmodifiableMap(m));
            return this;
        }

        private Map<String, Object> head(int index) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", index);
            m.put("type", "attachment");
            m.put("timestamp", Instant.now(clock).toString());
            return m;
        }

        /** @return the response, items sorted by index */
        public TrackAttachmentsResponse build() {
            List<Map<String, Object>> sorted = new ArrayList<>(items);
            sorted.sort(Comparator.comparingInt(m -> (Integer) m.get("index")));
            return new TrackAttachmentsResponse(sorted);
        }
    }
}
