package io.attachkit.ingest;

import io.attachkit.Attachment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What an agent receives for a query: the keyword arguments and, in request order, the stored attachments
 * (with their {@code processed_content}: text, table summary, URL) and the text parts.
 *
 * <pre>{@code
 * {"kwargs":{"session_id":"s1"},
 *  "context":[{"index":0,"type":"file","name":"data.csv","attachment":{"filename":"data.csv",...,"processed_content":{...}}},
 *             {"index":1,"type":"text","text":"What's the sum of the first column"}],
 *  "summary":{"files":1,"stored":1,"failed":0,"texts":1}}
 * }</pre>
 *
 * <p>Immutable as a list; the attachments are the live objects the request resolved.
 */
public final class QueryContext {
    private final Map<String, Object> kwargs;
    private final List<QueryPart> parts;

    private QueryContext(Map<String, Object> kwargs, List<QueryPart> parts) {
        this.kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
        this.parts = List.copyOf(parts);
    }

    /**
     * @param kwargs the request's keyword arguments
     * @param parts the parts, in request order
     * @return the context
     */
    public static QueryContext of(Map<String, ?> kwargs, List<? extends QueryPart> parts) {
        return new QueryContext(new LinkedHashMap<>(kwargs), new ArrayList<>(parts));
    }

    /** @return the keyword arguments, unmodifiable */
    public Map<String, Object> kwargs() {
        return kwargs;
    }

    /** @return the parts in request order */
    public List<QueryPart> parts() {
        return parts;
    }

    /** @return the attachments of the file parts, in request order */
    public List<Attachment> attachments() {
        return parts.stream().filter(QueryPart.File.class::isInstance).map(p -> ((QueryPart.File) p).attachment()).toList();
    }

    /** @return the text parts joined by blank lines, in request order */
    public String text() {
        return parts.stream().filter(QueryPart.Text.class::isInstance).map(p -> ((QueryPart.Text) p).text())
                .collect(Collectors.joining("\n\n"));
    }

    /** @return the context in its wire shape */
    public Map<String, Object> toMap() {
        List<Map<String, Object>> entries = new ArrayList<>();
        int files = 0;
        int stored = 0;
        int texts = 0;
        for (QueryPart p : parts) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("index", p.index());
            if (p instanceof QueryPart.File f) {
                files++;
                if (f.attachment().fileId() != null) {
                    stored++;
                }
                e.put("type", "file");
                e.put("name", f.name());
                e.put("attachment", f.attachment().modelDump());
            } else if (p instanceof QueryPart.Text t) {
                texts++;
                e.put("type", "text");
                e.put("text", t.text());
            }
            entries.add(e);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("files", files);
        summary.put("stored", stored);
        summary.put("failed", files - stored);
        summary.put("texts", texts);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kwargs", kwargs);
        m.put("context", entries);
        m.put("summary", summary);
        return m;
    }

    /** @return {@link #toMap()} as JSON */
    public String toJson() {
        return IngestJson.write(toMap());
    }
}
