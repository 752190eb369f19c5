package io.attachkit.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.AttachmentStatus;
import io.attachkit.StoredFile;
import io.attachkit.internal.JsonSizes;
import java.util.Map;

/**
 * Answers {@code GET /attachments/{file_id}}: the JSON of the attachments this server stored recently is kept,
 * bounded by its size (an attachment itself is not kept: it would hold its uploaded bytes or the request's stream);
 * any other stored file is described from the store, with the processing result any instance kept there, and queued
 * for processing when there is none yet.
 */
final class AttachmentRegistry {
    private final Attachments attachments;
    private final Cache<String, Map<String, Object>> recent;

    /**
     * @param attachments the service that stores and processes
     * @param maxBytes about how much heap the remembered JSON may take in all
     */
    AttachmentRegistry(Attachments attachments, long maxBytes) {
        this.attachments = attachments;
        this.recent = Caffeine.newBuilder().maximumWeight(maxBytes)
                .weigher((String id, Map<String, Object> json) -> (int) Math.min(Integer.MAX_VALUE, JsonSizes.estimateBytes(json)))
                .build();
    }

    void remember(Attachment a) {
        if (a.fileId() != null && a.status() == AttachmentStatus.STORED) {
            recent.put(a.fileId(), a.modelDump()); // a stored attachment's JSON has no content, only its processed content
        }
    }

    void forget(String fileId) {
        recent.invalidate(fileId);
    }

    /**
     * @param fileId the file's id
     * @param wait how long to wait for processing still under way (zero: answer at once, with its
     *     {@code processing_status})
     * @return the attachment's JSON: from what this server remembers when processing has ended, else from the store,
     *     with the result kept there by any instance (processing is queued when there is none yet)
     */
    Map<String, Object> describe(String fileId, java.time.Duration wait) {
        StoredFile meta = attachments.store().stat(fileId); // not found -> 404
        Map<String, Object> known = recent.getIfPresent(fileId);
        if (known != null && isFinished(known)) {
            return known;
        }
        Attachment a = Attachment.fromStored(meta);
        attachments.processAsync(a).thenAccept(this::remember); // joins the job if one runs here already
        attachments.awaitProcessing(a, wait);
        remember(a);
        return a.modelDump();
    }

    private static boolean isFinished(Map<String, Object> json) {
        Object status = json.get("processing_status");
        return status == null || "done".equals(status) || "failed".equals(status);
    }
}
