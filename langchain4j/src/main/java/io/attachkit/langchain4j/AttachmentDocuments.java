package io.attachkit.langchain4j;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import io.attachkit.Attachment;
import io.attachkit.InvalidContentException;
import io.attachkit.ProcessingException;
import io.attachkit.ai.AttachmentSection;
import io.attachkit.ai.AttachmentSections;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns processed attachments into LangChain4j {@link Document}s for retrieval: one per page, slide, sheet
 * or section the processor recorded (or one for the whole text), each with metadata that lets an answer
 * cite its source: {@code file_id}, {@code filename}, {@code mime_type}, {@code url}, {@code section_kind},
 * {@code section_label}, {@code page} / {@code sheet} / {@code slide} / {@code heading}, {@code span_start}
 * and {@code span_end} (see {@link AttachmentSections} for every key).
 *
 * <pre>{@code
 * attachments.storeAndProcess(pdf);
 * List<Document> docs = AttachmentDocuments.of(pdf);       // one per page
 * docs.get(1).metadata().getInteger("page");               // 2
 * EmbeddingStoreIngestor.ingest(docs, embeddingStore);      // or any splitter / ingestor
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class AttachmentDocuments {
    private AttachmentDocuments() {
    }

    /**
     * @param attachment a processed attachment
     * @return its documents in text order; empty when it has neither text nor an overview
     * @throws ProcessingException if it was not processed, or processing failed and left no text
     * @throws InvalidContentException if its recorded spans lie outside its text
     */
    public static List<Document> of(Attachment attachment) {
        List<Document> out = new ArrayList<>();
        for (AttachmentSection s : AttachmentSections.of(attachment)) {
            out.add(Document.from(s.text(), Metadata.from(s.metadata())));
        }
        return List.copyOf(out);
    }

    /**
     * @param attachments processed attachments
     * @return all their documents, attachment by attachment
     * @throws ProcessingException if one was not processed, or processing failed and left no text
     * @throws InvalidContentException if recorded spans lie outside a text
     */
    public static List<Document> ofAll(List<Attachment> attachments) {
        List<Document> out = new ArrayList<>();
        for (Attachment a : attachments) {
            out.addAll(of(a));
        }
        return List.copyOf(out);
    }

    /**
     * The same sections as text segments, for embedding directly without a document splitter.
     *
     * @param attachment a processed attachment
     * @return one segment per section, with the same metadata
     * @throws ProcessingException if it was not processed, or processing failed and left no text
     * @throws InvalidContentException if its recorded spans lie outside its text
     */
    public static List<TextSegment> segments(Attachment attachment) {
        List<TextSegment> out = new ArrayList<>();
        for (AttachmentSection s : AttachmentSections.of(attachment)) {
            out.add(TextSegment.from(s.text(), Metadata.from(s.metadata())));
        }
        return List.copyOf(out);
    }
}
