package io.attachkit.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.AttachmentStatus;
import io.attachkit.StoredFile;
import java.util.Map;

/**
 * Answers {@code GET /attachments/{file_id}}: the attachments this server stored recently are kept (bounded)
 * with their processed content; any other stored file is described from the store and processed on demand
 * (processing results are cached by content digest in {@link Attachments}).
 */
final class AttachmentRegistry {
    private final Attachments attachments;
    private final Cache<String, Attachment> recent;

    AttachmentRegistry(Attachments attachments, long size) {
        this.attachments = attachments;
        this.recent = Caffeine.newBuilder().maximumSize(size).build();
    }

    void remember(Attachment a) {
        if (a.fileId() != null && a.status() == AttachmentStatus.STORED) {
            recent.put(a.fileId(), a);
        }
    }

    void forget(String fileId) {
        recent.invalidate(fileId);
    }

    Map<String, Object> describe(String fileId) {
        StoredFile meta = attachments.store().stat(fileId); // not found -> 404
        Attachment known = recent.getIfPresent(fileId);
        if (known != null) {
            return known.modelDump();
        }
        String name = meta.filename() != null ? meta.filename() : meta.storagePath().substring(meta.storagePath().lastIndexOf('/') + 1);
        Attachment a = Attachment.builder().filename(name).mimeType(meta.mimeType()).fileId(meta.fileId())
                .storagePath(meta.storagePath()).storageBackend(meta.storageBackend()).size(meta.size())
                .sha256(meta.sha256()).status(AttachmentStatus.STORED).build();
        attachments.process(a);
        remember(a);
        return a.modelDump();
    }
}
