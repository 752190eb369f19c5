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
 * any other stored file is described from the store and processed on demand (processing results are cached by
 * content digest in {@link Attachments}).
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

    Map<String, Object> describe(String fileId) {
        StoredFile meta = attachments.store().stat(fileId); // not found -> 404
        Map<String, Object> known = recent.getIfPresent(fileId);
        if (known != null) {
            return known;
        }
        Attachment a = Attachment.fromStored(meta);
        attachments.process(a);
        remember(a);
        return a.modelDump();
    }
}
