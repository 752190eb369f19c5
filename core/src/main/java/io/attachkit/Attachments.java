package io.attachkit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.attachkit.internal.JsonSizes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point for applications: stores attachments in a {@link FileStore} and fills their
 * {@code processed_content} with the {@link ContentProcessor} for their type.
 *
 * <pre>{@code
 * try (Attachments attachments = Attachments.builder().store(store).build()) {
 *     Attachment a = Attachment.fromPath(Path.of("invoice.pdf"));
 *     attachments.storeAndProcess(a);
 *     a.processedContent().text();
 * }
 * }</pre>
 *
 * <p>Processing runs on a bounded worker pool with a per-attachment timeout; results are cached by
 * content digest, processor name and version, so the same file attached twice is processed once. A
 * processing failure never un-stores a file: it is recorded as {@code processed_content.error}.
 * Thread-safe; close it to stop the worker pool and release the processors it found (the store is not
 * closed: the caller owns it).
 */
public final class Attachments implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Attachments.class);
    /** A cached result weighs one entry per this many bytes of heap it holds (estimated). */
    static final long RESULT_UNIT_BYTES = 32 * 1024;

    private final FileStore store;
    private final ContentProcessors processors;
    /** Whether the processors were found here (and so are ours to close) rather than handed in. */
    private final boolean ownsProcessors;
    private final ProcessingLimits limits;
    private final ProcessingListener listener;
    private final ExecutorService workers;
    private final Cache<String, ProcessedContent> results;

    private Attachments(Builder b) {
        this.store = b.store;
        this.ownsProcessors = b.processors == null;
        this.processors = ownsProcessors ? ContentProcessors.fromClasspath() : b.processors;
        this.limits = b.limits;
        this.listener = b.listener;
        this.workers = Executors.newFixedThreadPool(b.workers, namedDaemonThreads());
        // weighed by size, not count: an entry is one unit per RESULT_UNIT_BYTES of what it holds (a large file's
        // text is up to a million characters), so the cache keeps at most resultCacheSize units
        this.results = Caffeine.newBuilder().maximumWeight(b.resultCacheSize)
                .weigher((String key, ProcessedContent pc) -> resultUnits(pc)).recordStats().build();
    }

    /** @return a builder; {@link Builder#store(FileStore)} is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the store attachments are saved to */
    public FileStore store() {
        return store;
    }

    /** @return the processors in use */
    public ContentProcessors processors() {
        return processors;
    }

    /** @return the processing limits in use */
    public ProcessingLimits processingLimits() {
        return limits;
    }

    /**
     * Stores the attachment (if it is not already) and processes it.
     *
     * @param attachment the attachment
     * @return the same attachment, STORED and processed
     * @throws AttachmentException if storing fails (the attachment is then FAILED); processing failures
     *     are recorded in {@code processed_content.error} instead
     */
    public Attachment storeAndProcess(Attachment attachment) {
        attachment.ensureStored(store);
        return process(attachment);
    }

    /**
     * Processes a stored attachment with the processor for its type and merges the result into its
     * {@code processed_content}, together with the URL. Never throws for a processing failure: the reason
     * goes to {@code processed_content.error} and the attachment stays STORED.
     *
     * @param attachment a stored attachment
     * @return the same attachment
     * @throws IllegalStateException if the attachment is not stored
     */
    public Attachment process(Attachment attachment) {
        if (attachment.status() != AttachmentStatus.STORED || attachment.fileId() == null) {
            throw new IllegalStateException("Attachment '" + attachment.filename() + "' must be stored before it is processed (status "
                    + attachment.status() + ")");
        }
        Optional<ContentProcessor> found = processors.find(attachment.mimeType());
        if (found.isEmpty()) {
            attachment.updateProcessedContentWithUrl();
            return attachment;
        }
        ContentProcessor processor = found.get();
        String cacheKey = attachment.sha256() == null ? null
                : attachment.sha256() + "|" + processor.name() + "|" + processor.version();
        ProcessedContent result = cacheKey == null ? null : results.getIfPresent(cacheKey);
        if (result == null) {
            result = runWithTimeout(processor, attachment);
            if (cacheKey != null && result.error() == null) {
                results.put(cacheKey, result);
            }
        }
        ProcessedContent fresh = result;
        // a new result replaces an earlier error; keys set before (mime_mismatch) are kept
        attachment.updateProcessedContent(pc -> pc.with(ProcessedContent.ERROR, null).merge(fresh));
        attachment.updateProcessedContentWithUrl();
        return attachment;
    }

    /** @return the cache units a result weighs: one per {@link #RESULT_UNIT_BYTES} of heap it holds, at least one */
    private static int resultUnits(ProcessedContent pc) {
        long bytes = JsonSizes.estimateBytes(pc.asMap());
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (bytes + RESULT_UNIT_BYTES - 1) / RESULT_UNIT_BYTES));
    }

    private ProcessedContent runWithTimeout(ContentProcessor processor, Attachment a) {
        String fileId = a.fileId();
        String path = a.storagePath();
        ProcessingInput input = new ProcessingInput(a.filename(), a.mimeType(), a.size(), a.sha256(),
                () -> store.open(fileId, path), listener);
        long started = System.nanoTime();
        Future<ProcessedContent> future = workers.submit(() -> processor.process(input, limits));
        try {
            ProcessedContent pc = future.get(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
            LOG.debug("Processed '{}' with {} in {} ms", a.filename(), processor.name(), (System.nanoTime() - started) / 1_000_000);
            return pc == null ? ProcessedContent.empty() : pc;
        } catch (TimeoutException e) {
            future.cancel(true);
            return failure(a, processor, "processing timed out after " + limits.timeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (!(cause instanceof ProcessingException)) {
                LOG.warn("Processor {} failed on '{}'", processor.name(), a.filename(), cause);
            }
            return failure(a, processor, cause.getMessage() == null ? cause.toString() : cause.getMessage());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return failure(a, processor, "processing was interrupted");
        }
    }

    private static ProcessedContent failure(Attachment a, ContentProcessor processor, String reason) {
        LOG.info("Processing '{}' with {} failed: {}", a.filename(), processor.name(), reason);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ProcessedContent.ERROR, processor.name() + ": " + reason);
        return ProcessedContent.of(m);
    }

    /**
     * Stores a message's attachments all or nothing: when one fails, the files this call saved are deleted
     * again and those attachments go back to PENDING; the failing one is FAILED, and its exception is thrown.
     * Attachments that were already stored before the call are left alone.
     *
     * @param attachments the attachments of one message
     * @return the same list, all STORED
     * @throws AttachmentException the first failure
     */
    public List<Attachment> storeAll(List<Attachment> attachments) {
        List<Attachment> storedHere = new ArrayList<>();
        try {
            for (Attachment a : attachments) {
                if (a.status() == AttachmentStatus.STORED && a.fileId() != null) {
                    continue;
                }
                a.ensureStored(store);
                storedHere.add(a);
            }
            return attachments;
        } catch (RuntimeException e) {
            for (Attachment done : storedHere) {
                try {
                    store.delete(done.fileId(), done.storagePath());
                    done.revertToPending();
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    /**
     * Deletes (or, in a dry run, lists) the stored files whose ids are not referenced.
     *
     * @param referencedIds the file ids that messages still reference
     * @param dryRun list the orphans without deleting them
     * @return the orphans
     */
    public OrphanSweep sweepOrphans(Set<String> referencedIds, boolean dryRun) {
        return sweepOrphans(referencedIds, dryRun, Duration.ZERO);
    }

    /**
     * Like {@link #sweepOrphans(Set, boolean)}, but keeps files younger than {@code minAge}, so a file stored
     * for a message that is still being written is not swept.
     *
     * @param referencedIds the file ids that messages still reference
     * @param dryRun list the orphans without deleting them
     * @param minAge files stored more recently than this are kept
     * @return the orphans
     */
    public OrphanSweep sweepOrphans(Set<String> referencedIds, boolean dryRun, Duration minAge) {
        Objects.requireNonNull(referencedIds, "referencedIds");
        Instant cutoff = Instant.now().minus(minAge);
        List<String> orphans = new ArrayList<>();
        long bytes = 0;
        for (String id : store.list()) {
            if (referencedIds.contains(id)) {
                continue;
            }
            StoredFile meta;
            try {
                meta = store.stat(id);
            } catch (StoredFileNotFoundException gone) {
                continue;
            }
            if (meta.createdAt() != null && meta.createdAt().isAfter(cutoff)) {
                continue;
            }
            if (!dryRun) {
                try {
                    store.delete(id, meta.storagePath());
                } catch (StoredFileNotFoundException gone) {
                    continue;
                }
            }
            orphans.add(id);
            bytes += meta.size();
        }
        LOG.info("Orphan sweep {} {} files ({} bytes)", dryRun ? "found" : "deleted", orphans.size(), bytes);
        return new OrphanSweep(orphans, bytes, dryRun);
    }

    /**
     * Stops the worker pool and closes the processors this instance found on the classpath (processors
     * handed to the builder belong to the caller). Does not close the store.
     */
    @Override
    public void close() {
        workers.shutdownNow();
        if (ownsProcessors) {
            processors.close();
        }
    }

    private static ThreadFactory namedDaemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "attachkit-processor-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Builds {@link Attachments}. */
    public static final class Builder {
        private FileStore store;
        private ContentProcessors processors;
        private ProcessingLimits limits = ProcessingLimits.defaults();
        private ProcessingListener listener = ProcessingListener.NONE;
        private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        private long resultCacheSize = 1_000;

        private Builder() {
        }

        /**

         * @param store the store to save to (required)

         * @return this builder

         */
        public Builder store(FileStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**

         * @param processors the processors (default: all on the classpath)

         * @return this builder

         */
        public Builder processors(ContentProcessors processors) {
            this.processors = Objects.requireNonNull(processors, "processors");
            return this;
        }

        /**

         * @param limits the processing limits

         * @return this builder

         */
        public Builder processingLimits(ProcessingLimits limits) {
            this.limits = Objects.requireNonNull(limits, "processingLimits");
            return this;
        }

        /**

         * @param listener receives processing progress

         * @return this builder

         */
        public Builder listener(ProcessingListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**

         * @param workers processing threads, positive (default: the number of cores)

         * @return this builder

         */
        public Builder workers(int workers) {
            if (workers <= 0) {
                throw new IllegalArgumentException("workers must be positive, was " + workers);
            }
            this.workers = workers;
            return this;
        }

        /**
         * Bounds the cache of processing results (keyed by content digest). A result counts as one entry per
         * 32 KiB of heap it holds (mostly its text), so the cache holds at most {@code entries} small results and
         * about {@code entries * 32 KiB} in all (32 MiB by default), however large the processed files are.
         *
         * @param entries cached processing results, not negative (default 1000)
         * @return this builder
         */
        public Builder resultCacheSize(long entries) {
            if (entries < 0) {
                throw new IllegalArgumentException("resultCacheSize must not be negative, was " + entries);
            }
            this.resultCacheSize = entries;
            return this;
        }

        /**
         * @return the attachments service
         * @throws IllegalStateException if no store was set
         */
        public Attachments build() {
            if (store == null) {
                throw new IllegalStateException("store is required: Attachments.builder().store(FileStores.open(\"file:///...\"))");
            }
            return new Attachments(this);
        }
    }
}
