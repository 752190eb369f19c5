package io.attachkit;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.attachkit.internal.JsonSizes;
import java.time.Duration;
import java.time.Instant;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
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
 * <p>Or store now and process in the background, the way a chat backend answers an upload at once:
 *
 * <pre>{@code
 * CompletableFuture<Attachment> done = attachments.storeAndProcessAsync(a);  // returns once the file is durable
 * a.processingStatus();                                                     // QUEUED, then RUNNING, DONE or FAILED
 * attachments.awaitProcessing(a, Duration.ofSeconds(10));                   // a bounded wait
 * }</pre>
 *
 * <p>Processing runs on a bounded worker pool with a per-attachment timeout, from a bounded queue that is fair by
 * estimated cost (a small file is not kept waiting behind a long scan; a full queue is a retryable
 * {@link ProcessingQueueFullException}). Results are kept in the store as a derived record of the content
 * ({@link FileStore#writeDerivedRecord(String, byte[])}) keyed by the processor, its version and the limits
 * that change the output, and cached in memory: the same bytes, under any name, on any instance over the same
 * store and after any restart, are processed once. A processing failure never un-stores a file: it is recorded as
 * {@code processed_content.error} and {@code processing_status} {@code failed}; {@link #reprocess(Attachment)}
 * runs the processor again. Files accepted for background processing whose estimated run is long are recorded as
 * pending, and {@link #resumePending()} queues them again after a crash; any other file is processed at its first
 * read. Thread-safe; close it to stop the workers and release the processors it found (the store is not closed:
 * the caller owns it).
 */
public final class Attachments implements AutoCloseable {
    /** How long {@link #close()} waits for running jobs to stop. */
    static final int CLOSE_WAIT_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(Attachments.class);
    /** A cached result weighs one entry per this many bytes of heap it holds (estimated). */
    static final long RESULT_UNIT_BYTES = 32 * 1024;

    private final FileStore store;
    private final ContentProcessors processors;
    /** Whether the processors were found here (and so are ours to close) rather than handed in. */
    private final boolean ownsProcessors;
    /**
     * How deep files inside files are processed: an email's attachments are level 1, an attachment of an attached
     * email level 2, and so on; deeper files are listed, not processed.
     */
    public static final int MAX_NESTING_DEPTH = 3;
    /** How many inner files (all levels together) are processed for one stored file; the rest are listed only. */
    public static final int MAX_NESTED_FILES = 50;
    private final ProcessingLimits limits;
    private final ProcessingListener listener;
    private final ExecutorService workers;
    private final ProcessingQueue queue;
    /** Results by content digest and record key; a future while a processor runs, so one run serves all callers. */
    private final AsyncCache<String, ProcessedContent> results;
    /** Background jobs by file id, so the same file accepted twice is queued once. */
    private final Map<String, Job> inFlight = new ConcurrentHashMap<>();
    /** Serialises read-change-write of one content's derived record within this instance. */
    private final Object[] recordLocks = new Object[64];
    /** Set by {@link #close()}: no processing record is written after it, whichever thread still runs a job. */
    private volatile boolean closed;

    private Attachments(Builder b) {
        this.store = b.store;
        this.ownsProcessors = b.processors == null;
        this.processors = ownsProcessors ? ContentProcessors.fromClasspath() : b.processors;
        this.limits = b.limits;
        this.listener = b.listener;
        this.workers = Executors.newFixedThreadPool(b.workers, namedDaemonThreads());
        this.queue = new ProcessingQueue(b.workers, b.maxQueuedJobs);
        // weighed by size, not count: an entry is one unit per RESULT_UNIT_BYTES of what it holds (a large file's
        // text is up to a million characters), so the cache keeps at most resultCacheSize units
        this.results = Caffeine.newBuilder().maximumWeight(b.resultCacheSize)
                .weigher((String key, ProcessedContent pc) -> resultUnits(pc)).buildAsync();
        for (int i = 0; i < recordLocks.length; i++) {
            recordLocks[i] = new Object();
        }
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
     * {@code processed_content}, together with the URL. A result kept in the store (or in memory) for the same
     * bytes is used instead of running the processor again. Never throws for a processing failure: the reason goes
     * to {@code processed_content.error}, {@code processing_status} is {@code failed} and the attachment stays STORED.
     *
     * @param attachment a stored attachment
     * @return the same attachment
     * @throws IllegalStateException if the attachment is not stored
     */
    public Attachment process(Attachment attachment) {
        return process(attachment, false);
    }

    /**
     * Like {@link #process(Attachment)}, but runs the processor again even when a result is kept (after a failure,
     * or to refresh a result), and keeps the new one.
     *
     * @param attachment a stored attachment
     * @return the same attachment
     * @throws IllegalStateException if the attachment is not stored
     */
    public Attachment reprocess(Attachment attachment) {
        return process(attachment, true);
    }

    private Attachment process(Attachment attachment, boolean force) {
        requireStored(attachment);
        Optional<ContentProcessor> found = processors.find(attachment.mimeType());
        if (found.isEmpty()) {
            attachment.updateProcessedContentWithUrl();
            attachment.setProcessingStatus(ProcessingStatus.DONE);
            return attachment;
        }
        attachment.setProcessingStatus(ProcessingStatus.RUNNING);
        ProcessedContent fresh = resultFor(attachment, found.get(), force);
        // a new result replaces an earlier error; keys set before (mime_mismatch) are kept
        attachment.updateProcessedContent(pc -> pc.with(ProcessedContent.ERROR, null).merge(fresh));
        attachment.updateProcessedContentWithUrl();
        attachment.setProcessingStatus(fresh.error() == null ? ProcessingStatus.DONE : ProcessingStatus.FAILED);
        return attachment;
    }

    private static void requireStored(Attachment attachment) {
        if (attachment.status() != AttachmentStatus.STORED || attachment.fileId() == null) {
            throw new IllegalStateException("Attachment '" + attachment.filename() + "' must be stored before it is processed (status "
                    + attachment.status() + ")");
        }
    }

    // ------------------------------------------------------------ background processing

    /**
     * Stores the attachment (if it is not already), then queues its processing and returns once the file is
     * durable: {@code processing_status} is {@code queued}. The queue place is taken before the file is stored, so
     * a full queue stores nothing.
     *
     * @param attachment the attachment
     * @return completes with the same attachment once processed (DONE or FAILED); it never completes
     *     exceptionally for a processing failure
     * @throws ProcessingQueueFullException if the queue is full (nothing was stored)
     * @throws AttachmentException if storing fails (the attachment is then FAILED)
     */
    public CompletableFuture<Attachment> storeAndProcessAsync(Attachment attachment) {
        ProcessingQueue.Reservation place = queue.reserve();
        try {
            attachment.ensureStored(store);
        } catch (RuntimeException e) {
            place.release();
            throw e;
        }
        return schedule(attachment, place, false);
    }

    /**
     * Queues a stored attachment's processing; returns at once with {@code processing_status} {@code queued}, or
     * {@code done}/{@code failed} when a result is kept for its content (in memory or in the store, which is read
     * here, so another instance's result answers without a queue).
     *
     * @param attachment a stored attachment
     * @return completes with the same attachment once processed (DONE or FAILED)
     * @throws ProcessingQueueFullException if the queue is full
     * @throws IllegalStateException if the attachment is not stored
     */
    public CompletableFuture<Attachment> processAsync(Attachment attachment) {
        requireStored(attachment);
        return schedule(attachment, queue.reserve(), true);
    }

    /**
     * Waits at most {@code max} for an attachment's background processing; returns at once when it is not being
     * processed here.
     *
     * @param attachment an attachment handed to {@link #processAsync} or {@link #storeAndProcessAsync} (this object
     *     or another one for the same file id)
     * @param max the longest wait
     * @return the same attachment, processed if processing ended within {@code max}, else still QUEUED or RUNNING
     */
    public Attachment awaitProcessing(Attachment attachment, Duration max) {
        Objects.requireNonNull(max, "max");
        CompletableFuture<Attachment> job = attachment.fileId() == null ? null : inFlight.get(attachment.fileId());
        if (job == null) {
            return attachment;
        }
        try {
            copyResult(job.get(Math.max(0, max.toMillis()), TimeUnit.MILLISECONDS), attachment);
        } catch (TimeoutException stillRunning) {
            // the caller gets the attachment as it is: queued or running
        } catch (ExecutionException e) {
            LOG.debug("Background processing of '{}' ended with an error", attachment.filename(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return attachment;
    }

    /** @return the background jobs waiting for a worker (not those running) */
    public int queueDepth() {
        return queue.depth();
    }

    /** @return the background jobs accepted and not yet ended here: waiting or running */
    public int activeJobs() {
        return inFlight.size();
    }

    /**
     * Queues again the files that were accepted for background processing but whose result was never written (the
     * process died): call it once at start. Files whose result another instance wrote meanwhile, or that were
     * deleted, are only taken off the pending list.
     *
     * @return one future per file queued, each completing once that file is processed
     * @throws ProcessingQueueFullException if the queue fills up (the files not queued stay pending)
     * @throws StorageException if the store cannot be listed
     */
    public List<CompletableFuture<Attachment>> resumePending() {
        List<CompletableFuture<Attachment>> queued = new ArrayList<>();
        for (String sha : store.derivedRecordDigests()) {
            ProcessingRecord record = readRecord(sha);
            if (record == null || !record.hasPending()) {
                continue;
            }
            for (Attachment a : record.pendingAttachments(sha)) {
                Optional<ContentProcessor> processor = processors.find(a.mimeType());
                if (processor.isEmpty() || record.result(recordKey(processor.get())).isPresent() || !store.exists(a.fileId(), a.storagePath())) {
                    updateRecord(sha, r -> r.removePending(a.fileId()));
                } else if (!inFlight.containsKey(a.fileId())) {
                    queued.add(processAsync(a));
                }
            }
        }
        LOG.info("Resumed processing of {} files accepted before a restart", queued.size());
        return queued;
    }

    private CompletableFuture<Attachment> schedule(Attachment a, ProcessingQueue.Reservation place, boolean readKept) {
        Job job = new Job(a);
        Job running = inFlight.putIfAbsent(a.fileId(), job);
        if (running != null) {
            place.release(); // already queued or running: this caller shares that job
            a.setProcessingStatus(running.attachment.processingStatus());
            a.updateProcessedContentWithUrl();
            return running.thenApply(done -> copyResult(done, a));
        }
        a.setProcessingStatus(ProcessingStatus.QUEUED);
        a.updateProcessedContentWithUrl();
        Optional<ContentProcessor> processor = processors.find(a.mimeType());
        ProcessedContent known = processor.isEmpty() || a.sha256() == null ? null
                : knownResult(a.sha256() + "|" + recordKey(processor.get()));
        if (known == null && readKept && processor.isPresent() && a.sha256() != null) {
            known = storedResult(a.sha256(), recordKey(processor.get())); // a file stored before: its result may be kept
        }
        if (processor.isEmpty() || known != null) {
            // nothing to run (no processor, or the result is in memory): answer now, no queue place taken
            place.release();
            inFlight.remove(a.fileId(), job);
            job.complete(process(a));
            return job;
        }
        if (a.sha256() != null && ProcessingQueue.estimateSeconds(a.size(), a.mimeType()) > 1.0) {
            // a long job is recorded as pending so that a restart resumes it; short ones are redone at their first read
            updateRecord(a.sha256(), r -> r.addPending(a));
        }
        try {
            place.submit(() -> {
                try {
                    if (!store.exists(a.fileId(), a.storagePath())) {
                        // deleted while it waited (a request rolled back): nothing to process, nothing to keep
                        a.updateProcessedContent(pc -> pc.with(ProcessedContent.ERROR, "the file was deleted before it was processed"));
                        a.setProcessingStatus(ProcessingStatus.FAILED);
                        job.complete(a);
                        return;
                    }
                    job.complete(process(a));
                } catch (RuntimeException | Error e) {
                    job.completeExceptionally(e);
                } finally {
                    inFlight.remove(a.fileId(), job);
                }
            }, a.size(), a.mimeType());
        } catch (RuntimeException e) {
            inFlight.remove(a.fileId(), job);
            job.completeExceptionally(e);
        }
        return job;
    }

    /** A background job: completes with its attachment once processed. */
    private static final class Job extends CompletableFuture<Attachment> {
        final Attachment attachment;

        Job(Attachment attachment) {
            this.attachment = attachment;
        }
    }

    /** Copies a finished job's result into another object for the same file. */
    private static Attachment copyResult(Attachment done, Attachment into) {
        if (done != into) {
            into.setProcessedContent(done.processedContent());
            into.setProcessingStatus(done.processingStatus());
        }
        return into;
    }

    // ------------------------------------------------------------ results: memory, store, processor

    /** @return the key a result is kept under for this content: processor, version and the output-changing limits */
    private String recordKey(ContentProcessor processor) {
        return processor.name() + "|" + processor.version() + "|p" + limits.maxPages() + "-px" + limits.maxImagePixels()
                + "-c" + limits.maxOutputChars();
    }

    /** @return the result in memory for this cache key, if one is complete */
    private ProcessedContent knownResult(String cacheKey) {
        CompletableFuture<ProcessedContent> f = results.getIfPresent(cacheKey);
        return f != null && f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
    }

    /**
     * The result for this attachment's content: from memory, else from the store's derived record, else from a
     * processor run (kept in both). Concurrent callers for the same content share one run.
     */
    private ProcessedContent resultFor(Attachment a, ContentProcessor processor, boolean force) {
        String sha = a.sha256();
        if (sha == null) {
            return runWithTimeout(processor, a); // unknown content (a file without metadata): nothing to key it by
        }
        String key = recordKey(processor);
        String cacheKey = sha + "|" + key;
        CompletableFuture<ProcessedContent> mine = new CompletableFuture<>();
        if (force) {
            results.put(cacheKey, mine);
        } else {
            CompletableFuture<ProcessedContent> other = results.asMap().putIfAbsent(cacheKey, mine);
            if (other != null) {
                try {
                    return other.join();
                } catch (CompletionException | java.util.concurrent.CancellationException e) {
                    results.asMap().remove(cacheKey, other); // that run broke outside its processor: run here
                    return resultFor(a, processor, force);
                }
            }
        }
        try {
            ProcessedContent pc = force ? null : storedResult(sha, key);
            if (pc == null) {
                pc = runWithTimeout(processor, a);
                if (Thread.currentThread().isInterrupted()) {
                    // stopped by close(), not by the content: keep nothing, the pending record stays for a resume
                    mine.complete(pc);
                    results.asMap().remove(cacheKey, mine);
                    return pc;
                }
                ProcessedContent result = pc;
                updateRecord(sha, r -> {
                    r.putResult(key, result);
                    r.removePending(a.fileId());
                });
            }
            mine.complete(pc);
            return pc;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            results.asMap().remove(cacheKey, mine);
            throw e;
        }
    }

    private ProcessedContent storedResult(String sha, String key) {
        ProcessingRecord record = readRecord(sha);
        return record == null ? null : record.result(key).orElse(null);
    }

    /** @return the content's record, or {@code null} when there is none or it cannot be read (then it is rewritten) */
    private ProcessingRecord readRecord(String sha) {
        try {
            Optional<byte[]> bytes = store.readDerivedRecord(sha);
            return bytes.isEmpty() ? null : ProcessingRecord.parse(bytes.get());
        } catch (IOException | RuntimeException e) {
            LOG.warn("The processing record of content {} in the {} store cannot be read ({}); processing again", sha,
                    store.backendName(), e.getMessage());
            return null;
        }
    }

    /** Reads, changes and writes a content's record; a failure is logged, never a processing failure. */
    private void updateRecord(String sha, Consumer<ProcessingRecord> change) {
        synchronized (recordLocks[Math.floorMod(sha.hashCode(), recordLocks.length)]) {
            if (closed) {
                LOG.debug("Not keeping the processing record of content {}: closed", sha);
                return;
            }
            try {
                ProcessingRecord record = readRecord(sha);
                if (record == null) {
                    record = ProcessingRecord.empty();
                }
                change.accept(record);
                if (record.isEmpty()) {
                    store.deleteDerivedRecord(sha);
                } else {
                    store.writeDerivedRecord(sha, record.toBytes());
                }
            } catch (RuntimeException e) {
                LOG.warn("Keeping the processing record of content {} in the {} store failed: {}", sha, store.backendName(),
                        e.getMessage());
            }
        }
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
                () -> store.open(fileId, path), listener).withNested(NestedPipeline.forTopLevel(processors, listener));
        long started = System.nanoTime();
        Future<ProcessedContent> future = workers.submit(() -> processor.process(input, limits));
        ProcessedContent result = null;
        try {
            ProcessedContent pc = future.get(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
            LOG.debug("Processed '{}' with {} in {} ms", a.filename(), processor.name(), (System.nanoTime() - started) / 1_000_000);
            result = pc == null ? ProcessedContent.empty() : pc;
            return result;
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
        } finally {
            listener.processed(a.filename(), processor.name(), result != null && result.error() == null ? ProcessingStatus.DONE
                    : ProcessingStatus.FAILED, (System.nanoTime() - started) / 1_000_000);
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
        int records = sweepDerivedRecords(dryRun);
        LOG.info("Orphan sweep {} {} files ({} bytes) and {} derived records", dryRun ? "found" : "deleted", orphans.size(),
                bytes, records);
        return new OrphanSweep(orphans, bytes, dryRun);
    }

    /** Deletes the derived records of contents that no stored file has any more; @return how many */
    private int sweepDerivedRecords(boolean dryRun) {
        Set<String> unreferenced = new HashSet<>(store.derivedRecordDigests());
        if (unreferenced.isEmpty()) {
            return 0;
        }
        for (String id : store.list()) {
            try {
                unreferenced.remove(store.stat(id).sha256());
            } catch (StoredFileNotFoundException gone) {
                // deleted meanwhile
            }
        }
        if (!dryRun) {
            unreferenced.forEach(store::deleteDerivedRecord);
        }
        return unreferenced.size();
    }

    /**
     * Stops the worker pool and closes the processors this instance found on the classpath (processors
     * handed to the builder belong to the caller). Does not close the store, but once it returns this instance
     * writes nothing into it any more (a processing record being written is finished first; a job still running
     * keeps its result to itself), so the store can be closed or its folder removed. Running jobs are interrupted
     * and waited for at most 10 seconds.
     */
    @Override
    public void close() {
        closed = true;
        for (Object recordLock : recordLocks) {
            synchronized (recordLock) {
                // a record write that began before close() ends before it returns; none begins after
            }
        }
        queue.close();
        inFlight.values().forEach(job -> job.completeExceptionally(new ProcessingException("Attachments was closed before processing ended")));
        workers.shutdownNow();
        try {
            // jobs stop at their next interruption check (between pages); a record being written finishes first
            if (!workers.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("Attachments closed while a processing job was still running after {} s; it may still write its result",
                        CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        private int maxQueuedJobs = 10_000;

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
         * @param jobs background jobs that may wait for a worker, positive (default 10,000); past it
         *     {@link #storeAndProcessAsync(Attachment)} throws {@link ProcessingQueueFullException}
         * @return this builder
         */
        public Builder maxQueuedJobs(int jobs) {
            if (jobs <= 0) {
                throw new IllegalArgumentException("maxQueuedJobs must be positive, was " + jobs);
            }
            this.maxQueuedJobs = jobs;
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
