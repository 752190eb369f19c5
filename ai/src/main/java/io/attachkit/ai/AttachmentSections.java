package io.attachkit.ai;

import io.attachkit.Attachment;
import io.attachkit.InvalidContentException;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a processed attachment into citable {@link AttachmentSection}s for retrieval: one per page, slide,
 * sheet or section that the processor recorded, or one for the whole text when it recorded none.
 *
 * <p>Processors describe the pieces of {@code processed_content.text} with a list under a key ending in
 * {@code _spans} ({@code page_spans}, {@code slide_spans}, {@code sheet_spans}, {@code section_spans}, or
 * any other), each entry a map with {@code start} and {@code end} character offsets into the text and a
 * label ({@code page}, {@code slide}, {@code sheet}, {@code heading}, ...). When several are present the
 * first of that order wins; others follow in their map order. Spans must be in text order and must not
 * overlap, so the sections together never hold more than the text (a record that breaks this is refused,
 * not guessed at). Blank pieces (an empty page) are left out.
 * When there is no text, the overview (an image's description) is the one section.
 *
 * <pre>{@code
 * for (AttachmentSection s : AttachmentSections.of(pdf)) {
 *     s.metadata().get("page");          // 1, 2, 3 ...
 *     s.metadata().get("span_start");    // offset into processed_content.text
 * }
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class AttachmentSections {
    /** Metadata key: the attachment's file id (when stored). */
    public static final String FILE_ID = "file_id";
    /** Metadata key: the attachment's file name. */
    public static final String FILENAME = "filename";
    /** Metadata key: the attachment's MIME type. */
    public static final String MIME_TYPE = "mime_type";
    /** Metadata key: the URL the file is served at (when known). */
    public static final String URL = "url";
    /** Metadata key: what the section is: {@code page}, {@code slide}, {@code sheet}, {@code section}, or {@code file}. */
    public static final String SECTION_KIND = "section_kind";
    /** Metadata key: a human label to cite, e.g. {@code page 2}, a sheet name or a heading. */
    public static final String SECTION_LABEL = "section_label";
    /** Metadata key: the 0-based position of the section among the attachment's sections. */
    public static final String SECTION_INDEX = "section_index";
    /** Metadata key: how many sections the processor recorded. */
    public static final String SECTION_COUNT = "section_count";
    /** Metadata key: where the section starts in {@code processed_content.text}. */
    public static final String SPAN_START = "span_start";
    /** Metadata key: where the section ends (exclusive) in {@code processed_content.text}. */
    public static final String SPAN_END = "span_end";
    /** Metadata key: {@code text} or {@code overview}, the processed_content key the section's text came from. */
    public static final String CONTENT_KEY = "content_key";

    private static final List<String> PREFERRED_SPANS = List.of("page_spans", "slide_spans", "sheet_spans", "section_spans");
    private static final List<String> LABEL_KEYS = List.of("heading", "title", "name", "label");

    private AttachmentSections() {
    }

    /**
     * @param attachment a processed attachment
     * @return its sections in text order; empty when it has neither text nor an overview
     * @throws ProcessingException if the attachment was not processed, or processing failed and left no text
     * @throws InvalidContentException if a span's offsets lie outside the text or overlap another span's (a corrupt or hostile record)
     */
    public static List<AttachmentSection> of(Attachment attachment) {
        ProcessedContent pc = attachment.processedContent();
        if (pc == null || pc.type() == null && pc.error() == null) {
            throw new ProcessingException("Attachment '" + attachment.filename()
                    + "' has no processed content: process it first (Attachments.storeAndProcess or process)");
        }
        String text = pc.text();
        Map<String, Object> base = baseMetadata(attachment, pc);
        if (text == null || text.isBlank()) {
            String overview = pc.overview();
            if (overview == null || overview.isBlank()) {
                if (pc.error() != null) {
                    throw new ProcessingException("Attachment '" + attachment.filename() + "' has no text: processing failed: " + pc.error());
                }
                return List.of();
            }
            return List.of(whole(base, overview, ProcessedContent.OVERVIEW));
        }
        String spansKey = spansKey(pc);
        if (spansKey == null) {
            return List.of(whole(base, text, ProcessedContent.TEXT));
        }
        List<?> spans = (List<?>) pc.get(spansKey);
        String kind = spansKey.substring(0, spansKey.length() - "_spans".length());
        List<AttachmentSection> out = new ArrayList<>();
        int previousEnd = 0;
        for (int i = 0; i < spans.size(); i++) {
            if (!(spans.get(i) instanceof Map<?, ?> span)) {
                throw corrupt(attachment, spansKey, i, "is not an object");
            }
            int start = offset(attachment, spansKey, i, span.get("start"), text.length());
            int end = offset(attachment, spansKey, i, span.get("end"), text.length());
            if (end < start) {
                throw corrupt(attachment, spansKey, i, "ends (" + end + ") before it starts (" + start + ")");
            }
            if (start < previousEnd) {
                throw corrupt(attachment, spansKey, i, "starts at " + start + ", inside the span before it (which ends at "
                        + previousEnd + "); spans must be in text order and must not overlap");
            }
            previousEnd = end;
            String piece = text.substring(start, end);
            if (piece.isBlank()) {
                continue;
            }
            Map<String, Object> md = new LinkedHashMap<>(base);
            md.put(SECTION_KIND, kind);
            md.put(SECTION_LABEL, label(kind, span, i));
            md.put(SECTION_INDEX, i);
            md.put(SECTION_COUNT, spans.size());
            md.put(SPAN_START, start);
            md.put(SPAN_END, end);
            md.put(CONTENT_KEY, ProcessedContent.TEXT);
            for (Map.Entry<?, ?> e : span.entrySet()) {
                String key = String.valueOf(e.getKey());
                Object value = scalar(e.getValue());
                if (!key.equals("start") && !key.equals("end") && value != null) {
                    md.putIfAbsent(key, value);
                }
            }
            out.add(new AttachmentSection(piece, md));
        }
        return List.copyOf(out);
    }

    private static Map<String, Object> baseMetadata(Attachment a, ProcessedContent pc) {
        Map<String, Object> md = new LinkedHashMap<>();
        putIfPresent(md, FILE_ID, a.fileId());
        putIfPresent(md, FILENAME, a.filename());
        putIfPresent(md, MIME_TYPE, a.mimeType());
        putIfPresent(md, URL, pc.url());
        return md;
    }

    private static AttachmentSection whole(Map<String, Object> base, String text, String contentKey) {
        Map<String, Object> md = new LinkedHashMap<>(base);
        md.put(SECTION_KIND, "file");
        md.put(SECTION_LABEL, "whole file");
        md.put(SECTION_INDEX, 0);
        md.put(SECTION_COUNT, 1);
        md.put(SPAN_START, 0);
        md.put(SPAN_END, text.length());
        md.put(CONTENT_KEY, contentKey);
        return new AttachmentSection(text, md);
    }

    /** The spans list to split by: a preferred key first, then any other {@code *_spans} list. */
    static String spansKey(ProcessedContent pc) {
        for (String key : PREFERRED_SPANS) {
            if (pc.get(key) instanceof List<?> l && !l.isEmpty()) {
                return key;
            }
        }
        for (Map.Entry<String, Object> e : pc.asMap().entrySet()) {
            if (e.getKey().endsWith("_spans") && e.getKey().length() > "_spans".length()
                    && e.getValue() instanceof List<?> l && !l.isEmpty()) {
                return e.getKey();
            }
        }
        return null;
    }

    /** The label to cite a span by: its own kind's value ("page 2", "Q1 sales"), else a heading-like field. */
    static String label(String kind, Map<?, ?> span, int index) {
        Object own = span.get(kind);
        if (own instanceof Number n) {
            return kind + " " + n;
        }
        if (own != null && !String.valueOf(own).isBlank()) {
            return String.valueOf(own);
        }
        for (String key : LABEL_KEYS) {
            Object v = span.get(key);
            if (v != null && !String.valueOf(v).isBlank()) {
                return String.valueOf(v);
            }
        }
        return kind + " " + (index + 1);
    }

    private static int offset(Attachment a, String key, int index, Object value, int length) {
        if (!(value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof BigInteger)) {
            throw corrupt(a, key, index, "has a start or end that is not an integer: " + value);
        }
        long v = ((Number) value).longValue();
        if (v < 0 || v > length) {
            throw corrupt(a, key, index, "has offset " + v + " outside the text (length " + length + ")");
        }
        return (int) v;
    }

    private static InvalidContentException corrupt(Attachment a, String key, int index, String what) {
        return new InvalidContentException("Attachment '" + a.filename() + "': processed_content." + key + "[" + index + "] "
                + what + "; reprocess the file to rebuild its processed content");
    }

    /** JSON scalars as the types every framework's metadata accepts; lists, maps and nulls as {@code null}. */
    static Object scalar(Object v) {
        if (v instanceof String || v instanceof Integer || v instanceof Long || v instanceof Double) {
            return v;
        }
        if (v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
        }
        if (v instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (v instanceof Boolean || v instanceof Character) {
            return v.toString();
        }
        return null;
    }

    private static void putIfPresent(Map<String, Object> md, String key, String value) {
        if (value != null) {
            md.put(key, value);
        }
    }
}
