package io.attachkit.springai;

import io.attachkit.Attachment;
import io.attachkit.InvalidContentException;
import io.attachkit.ProcessingException;
import io.attachkit.ai.AttachmentSection;
import io.attachkit.ai.AttachmentSections;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.ai.document.Document;

/**
 * Turns processed attachments into Spring AI {@link Document}s for retrieval: one per page, slide, sheet or
 * section the processor recorded (or one for the whole text), each with metadata that lets an answer cite
 * its source: {@code file_id}, {@code filename}, {@code mime_type}, {@code url}, {@code section_kind},
 * {@code section_label}, {@code page} / {@code sheet} / {@code slide} / {@code heading}, {@code span_start}
 * and {@code span_end} (see {@link AttachmentSections} for every key).
 *
 * <p>Each document's id is a name-based UUID of the file (its id, else its SHA-256, else its name) and the
 * section's position, so ingesting the same file again replaces its documents in a vector store instead of
 * duplicating them.
 *
 * <pre>{@code
 * attachments.storeAndProcess(pdf);
 * List<Document> docs = AttachmentDocuments.of(pdf);    // one per page
 * docs.get(1).getMetadata().get("page");                // 2
 * vectorStore.add(docs);
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
        String identity = attachment.fileId() != null ? attachment.fileId()
                : attachment.sha256() != null ? attachment.sha256() : attachment.filename();
        List<Document> out = new ArrayList<>();
        for (AttachmentSection s : AttachmentSections.of(attachment)) {
            String id = UUID.nameUUIDFromBytes((identity + "#" + s.metadata().get(AttachmentSections.SECTION_INDEX))
                    .getBytes(StandardCharsets.UTF_8)).toString();
            out.add(Document.builder().id(id).text(s.text()).metadata(s.metadata()).build());
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
}
