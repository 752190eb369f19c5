package io.attachkit.server;

import io.attachkit.Attachment;
import io.attachkit.FileStore;
import io.attachkit.StoredFileNotFoundException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one ingest request has stored so far, and its deadline, so that a request that fails as a whole
 * (a limit, the timeout, a malformed field) leaves nothing stored.
 */
final class RequestScope {
    private static final Logger LOG = LoggerFactory.getLogger(RequestScope.class);

    private final FileStore store;
    private final long deadlineNanos;
    private final List<Attachment> stored = new ArrayList<>();

    RequestScope(FileStore store, long deadlineNanos) {
        this.store = store;
        this.deadlineNanos = deadlineNanos;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    void stored(Attachment a) {
        if (a.fileId() != null) {
            stored.add(a);
        }
    }

    List<Attachment> storedAttachments() {
        return stored;
    }

    /** @throws HttpError 408 when the deadline has passed (after undoing what was stored) */
    void checkDeadline() {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new HttpError(408, "The request took longer than the request timeout; nothing of it was stored");
        }
    }

    /** Deletes every file this request stored. */
    void rollback() {
        for (Attachment a : stored) {
            try {
                store.delete(a.fileId(), a.storagePath());
            } catch (StoredFileNotFoundException gone) {
                // already gone
            } catch (RuntimeException e) {
                LOG.warn("Could not delete '{}' ({}) while undoing a failed request", a.filename(), a.fileId(), e);
            }
        }
        if (!stored.isEmpty()) {
            LOG.info("Undid a failed request: deleted {} stored files", stored.size());
        }
        stored.clear();
    }
}
