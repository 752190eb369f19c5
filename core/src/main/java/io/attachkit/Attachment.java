package io.attachkit;

import io.attachkit.internal.Base64Content;
import io.attachkit.internal.StoragePaths;
import io.attachkit.internal.io.ContentSource;
import io.attachkit.internal.mime.MimeDetection;
import io.attachkit.internal.mime.MimeDetector;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file attached to a chat or agent message, through its lifecycle: {@code PENDING} with content in
 * memory, base64 or a local file; {@code STORED} in a {@link FileStore} with a file id and storage path;
 * or {@code FAILED} with a reason.
 *
 * <pre>{@code
 * Attachment a = Attachment.fromBytes("report.pdf", bytes, "application/pdf");
 * a.ensureStored(store);                  // streams into the store, status STORED
 * a.processedContent().url();             // "/files/ab/cdef....pdf"
 * String json = a.toJson();               // Tyler's JSON shape
 * Attachment back = Attachment.fromJson(json);
 * }</pre>
 *
 * <p>Keeps Tyler's JSON shape ({@link #modelDump()}): {@code filename}, {@code mime_type},
 * {@code processed_content}, {@code file_id}, {@code storage_path}, {@code storage_backend}, {@code status}
 * (always present, {@code null} where unset), and {@code content} (base64) only while there is no file id; attachkit adds {@code size},
 * {@code sha256}, {@code error} and {@code processing_status} ({@link ProcessingStatus}). Unknown keys read from JSON are kept and written back.
 *
 * <p>Thread-safe: {@link #ensureStored(FileStore)} called from many threads at once stores the file
 * exactly once, and accessors always see a consistent state.
 */
public final class Attachment {
    private static final Logger LOG = LoggerFactory.getLogger(Attachment.class);

    private final String filename;
    private final ReentrantLock storeLock = new ReentrantLock();

    // guarded by "this"
    private ContentSource content;
    private String mimeType;
    private ProcessedContent processedContent;
    private String fileId;
    private String storagePath;
    private String storageBackend;
    private AttachmentStatus status;
    private long size;
    private String sha256;
    private String failureReason;
    private ProcessingStatus processingStatus;
    private final Map<String, Object> extraJson;

    private Attachment(Builder b) {
        this.filename = StoragePaths.requireFilename(b.filename);
        this.content = b.content;
        this.mimeType = b.mimeType;
        this.processedContent = b.processedContent;
        this.fileId = b.fileId == null ? null : StoragePaths.requireFileId(b.fileId);
        this.storagePath = b.storagePath == null ? null : checkPath(b.fileId, b.storagePath);
        this.storageBackend = b.storageBackend;
        this.status = b.status != null ? b.status : (fileId != null ? AttachmentStatus.STORED : AttachmentStatus.PENDING);
        this.size = b.size;
        this.sha256 = b.sha256;
        this.failureReason = b.failureReason;
        this.processingStatus = b.processingStatus;
        this.extraJson = new LinkedHashMap<>(b.extraJson);
    }

    private static String checkPath(String fileId, String storagePath) {
        String id = StoragePaths.fileIdOf(storagePath);
        if (fileId != null && !id.equals(fileId)) {
            throw new InvalidContentException("storage_path '" + storagePath + "' does not belong to file_id '" + fileId + "'");
        }
        return storagePath;
    }

    // ------------------------------------------------------------------ factories

    /**
     * @param filename the original filename, not blank
     * @param bytes the content (not copied: do not change it afterwards)
     * @param mimeType the declared type, or {@code null} to detect it
     * @return a pending attachment
     * @throws InvalidContentException if the filename is blank or unsafe
     */
    public static Attachment fromBytes(String filename, byte[] bytes, String mimeType) {
        Objects.requireNonNull(bytes, "bytes");
        return builder().filename(filename).content(bytes).mimeType(mimeType).build();
    }

    /**
     * Decodes base64 or a {@code data:<mime>;base64,...} URI strictly; the data URI's type is used when
     * {@code mimeType} is {@code null}.
     *
     * @param filename the original filename, not blank
     * @param base64OrDataUri the content
     * @param mimeType the declared type, or {@code null}
     * @return a pending attachment
     * @throws InvalidContentException naming the offset of the first bad character if the value is not valid
     */
    public static Attachment fromBase64(String filename, String base64OrDataUri, String mimeType) {
        StoragePaths.requireFilename(filename);
        Base64Content.Decoded decoded = Base64Content.decode(filename, base64OrDataUri);
        return builder().filename(filename).content(decoded.bytes())
                .mimeType(mimeType != null ? mimeType : decoded.mimeType()).build();
    }

    /**
     * Refers to a local file; it is streamed when stored, never read whole into memory.
     *
     * @param path a regular, readable file
     * @return a pending attachment named after the file
     * @throws InvalidContentException if the path is not a readable regular file
     */
    public static Attachment fromPath(Path path) {
        return fromPath(path, null);
    }

    /**
     * @param path a regular, readable file
     * @param mimeType the declared type, or {@code null}
     * @return a pending attachment named after the file
     * @throws InvalidContentException if the path is not a readable regular file
     */
    public static Attachment fromPath(Path path, String mimeType) {
        Objects.requireNonNull(path, "path");
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new InvalidContentException("Cannot attach '" + path + "': not a readable regular file");
        }
        return builder().filename(path.getFileName().toString()).content(path).mimeType(mimeType).build();
    }

    /**
     * Wraps a stream that is read once, when the attachment is stored. If storing fails, the stream is
     * spent: create the attachment again from a new stream to retry.
     *
     * @param filename the original filename
     * @param stream the content; closed after storing
     * @param mimeType the declared type, or {@code null}
     * @return a pending attachment
     */
    public static Attachment fromStream(String filename, InputStream stream, String mimeType) {
        Objects.requireNonNull(stream, "stream");
        return builder().filename(filename).content(stream).mimeType(mimeType).build();
    }

    /**
     * Describes a file already in a store as a STORED attachment (with its original filename where the store
     * kept it), for example to process or serve a file found by {@link FileStore#list()}.
     *
     * <pre>{@code
     * Attachment a = Attachment.fromStored(store.stat(fileId));
     * attachments.process(a);
     * }</pre>
     *
     * @param file the stored file, from {@link FileStore#stat(String)} or {@link FileStore#save}
     * @return a STORED attachment for it, with no content of its own (it is read from the store)
     */
    public static Attachment fromStored(StoredFile file) {
        Objects.requireNonNull(file, "file");
        String path = file.storagePath();
        String name = file.filename() != null ? file.filename() : path.substring(path.lastIndexOf('/') + 1);
        return builder().filename(name).mimeType(file.mimeType()).fileId(file.fileId()).storagePath(path)
                .storageBackend(file.storageBackend()).size(file.size()).sha256(file.sha256())
                .status(AttachmentStatus.STORED).build();
    }

    /**
     * Reads Tyler's JSON shape (as written by {@link #toJson()} or by Tyler itself).
     *
     * @param json the JSON object
     * @return the attachment
     * @throws InvalidContentException if the JSON is malformed or lacks a filename
     */
    public static Attachment fromJson(String json) {
        return AttachmentJson.read(json);
    }

    /**
     * Reads Tyler's shape from an already parsed map.
     *
     * @param map the attachment's keys
     * @return the attachment
     * @throws InvalidContentException if required keys are missing or malformed
     */
    public static Attachment fromMap(Map<String, ?> map) {
        return AttachmentJson.fromMap(map);
    }

    /** @return a builder for an attachment in any state (for stores that load attachments they persisted) */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ accessors

    /** @return the original filename */
    public String filename() {
        return filename;
    }

    /** @return the MIME type: declared until stored, then the one detected from the bytes */
    public synchronized String mimeType() {
        return mimeType;
    }

    /** @return the extracted content, empty until processed (never {@code null}) */
    public synchronized ProcessedContent processedContent() {
        return processedContent;
    }

    /** @return the file id in the store, or {@code null} until stored */
    public synchronized String fileId() {
        return fileId;
    }

    /** @return the storage path, or {@code null} until stored */
    public synchronized String storagePath() {
        return storagePath;
    }

    /** @return the backend's name ({@code local}, {@code s3}, ...), or {@code null} until stored */
    public synchronized String storageBackend() {
        return storageBackend;
    }

    /** @return the lifecycle status */
    public synchronized AttachmentStatus status() {
        return status;
    }

    /** @return the size in bytes, or -1 if not known yet */
    public synchronized long size() {
        return size;
    }

    /** @return the SHA-256 of the content (lowercase hex), or {@code null} until stored */
    public synchronized String sha256() {
        return sha256;
    }

    /** @return why storing failed, or {@code null} */
    public synchronized String failureReason() {
        return failureReason;
    }

    /** @return whether content is held locally (bytes, base64 or a file) */
    public synchronized boolean hasLocalContent() {
        return content != null;
    }

    /**
     * @return where processing is ({@code processing_status}), or {@code null} while the attachment is not stored
     *     or was never handed to {@link Attachments} for processing
     */
    public synchronized ProcessingStatus processingStatus() {
        return processingStatus;
    }

    /** Set by {@link Attachments} as processing moves on; {@code null} only while not stored. */
    synchronized void setProcessingStatus(ProcessingStatus processingStatus) {
        this.processingStatus = processingStatus;
    }

    /**
     * Replaces the processed content (processors and message stores use this).
     *
     * @param processedContent the new content, not {@code null}
     */
    public synchronized void setProcessedContent(ProcessedContent processedContent) {
        this.processedContent = Objects.requireNonNull(processedContent, "processedContent");
    }

    /**
     * Changes the processed content atomically.
     *
     * @param change computes the new content from the current one
     */
    public synchronized void updateProcessedContent(java.util.function.UnaryOperator<ProcessedContent> change) {
        this.processedContent = Objects.requireNonNull(change.apply(processedContent), "processedContent");
    }

    /**
     * Merges keys into the processed content.
     *
     * @param more the keys to add or replace
     */
    public synchronized void mergeProcessedContent(ProcessedContent more) {
        this.processedContent = processedContent.merge(more);
    }

    // ------------------------------------------------------------------ content

    /**
     * Returns the content's bytes: from the store when the attachment has a file id, else the in-memory
     * bytes (or decoded base64), else the local file.
     *
     * @param store the store to read from when the attachment is stored; may be {@code null} when not
     * @return the content
     * @throws InvalidContentException if there is no content anywhere
     * @throws StoredFileNotFoundException if the stored file is gone
     */
    public byte[] getContentBytes(FileStore store) {
        ContentSource local;
        String id;
        String path;
        synchronized (this) {
            local = content;
            id = fileId;
            path = storagePath;
        }
        if (id != null && store != null) {
            return store.get(id, path);
        }
        if (local != null) {
            byte[] inMemory = local.bytesInMemory();
            if (inMemory != null) {
                return inMemory.clone();
            }
            try (InputStream in = local.open()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new InvalidContentException("Attachment '" + filename + "': reading its content failed: " + e.getMessage(), e);
            }
        }
        throw noContent(id);
    }

    /**
     * Opens the content as a stream, in the same order of sources as {@link #getContentBytes(FileStore)}.
     * The caller closes the stream.
     *
     * @param store the store to read from when the attachment is stored; may be {@code null} when not
     * @return the content stream
     * @throws InvalidContentException if there is no content anywhere
     */
    public InputStream openContent(FileStore store) {
        ContentSource local;
        String id;
        String path;
        synchronized (this) {
            local = content;
            id = fileId;
            path = storagePath;
        }
        if (id != null && store != null) {
            return store.open(id, path);
        }
        if (local != null) {
            try {
                return local.open();
            } catch (IOException e) {
                throw new InvalidContentException("Attachment '" + filename + "': opening its content failed: " + e.getMessage(), e);
            }
        }
        throw noContent(id);
    }

    private InvalidContentException noContent(String id) {
        return new InvalidContentException("Attachment '" + filename + "' has no content: "
                + (id != null ? "it has file id '" + id + "' but no store was given to read it from"
                        : "no file id, no bytes and no base64 content"));
    }

    // ------------------------------------------------------------------ storing

    /**
     * Stores the content unless the attachment is already stored.
     *
     * @param store the store
     * @return this attachment
     * @throws AttachmentException (a subclass saying why) if storing fails; the status is then FAILED
     * @see #ensureStored(FileStore, boolean)
     */
    public Attachment ensureStored(FileStore store) {
        return ensureStored(store, false);
    }

    /**
     * Streams the content through the store's limits into the store and records the file id, storage path,
     * backend, size, SHA-256, detected MIME type and URL; status becomes STORED. When the declared type or
     * the extension disagrees with the bytes, the detected type wins and {@code processed_content.mime_mismatch}
     * records the disagreement.
     *
     * <p>Without {@code force}, an attachment that is already stored is left as it is. With {@code force},
     * the content is stored again as a new file (the previous file is left in place; see
     * {@link Attachments#sweepOrphans}). On failure the status is FAILED, {@link #failureReason()} says why,
     * nothing is left in the store, and the exception is thrown. Local content is kept, so a failed
     * or rolled-back attachment can be stored again.
     *
     * @param store the store
     * @param force store again even if already stored
     * @return this attachment
     * @throws AttachmentException (a subclass saying why) if storing fails
     */
    public Attachment ensureStored(FileStore store, boolean force) {
        Objects.requireNonNull(store, "store");
        storeLock.lock();
        try {
            ContentSource source;
            String declared;
            String oldId;
            String oldPath;
            synchronized (this) {
                if (status == AttachmentStatus.STORED && fileId != null && !force) {
                    return this;
                }
                source = content;
                declared = mimeType;
                oldId = fileId;
                oldPath = storagePath;
            }
            try (InputStream raw = openForStore(source, store, oldId, oldPath)) {
                // the store detects the type from the bytes (once); we only compare its verdict with the claims
                StoredFile stored = store.save(raw, filename, declared);
                MimeDetection detection = new MimeDetector().explain(filename, declared, stored.mimeType());
                synchronized (this) {
                    fileId = stored.fileId();
                    storagePath = stored.storagePath();
                    storageBackend = stored.storageBackend();
                    size = stored.size();
                    sha256 = stored.sha256();
                    mimeType = stored.mimeType();
                    status = AttachmentStatus.STORED;
                    failureReason = null;
                    if (detection.mismatch()) {
                        processedContent = processedContent.with(ProcessedContent.MIME_MISMATCH, detection.mismatchReport());
                        LOG.info("Attachment '{}': declared type {} / extension type {} disagree with content {}; using {}",
                                filename, detection.declared(), detection.byExtension(), detection.detected(), detection.mimeType());
                    }
                }
                updateProcessedContentWithUrl();
                return this;
            } catch (UncheckedIOException e) {
                throw fail(new AttachmentException("Attachment '" + filename + "': reading its content failed: "
                        + e.getCause().getMessage(), e.getCause()));
            } catch (IOException e) {
                throw fail(new AttachmentException("Attachment '" + filename + "': reading its content failed: " + e.getMessage(), e));
            } catch (AttachmentException e) {
                throw fail(e);
            } catch (RuntimeException e) {
                throw fail(new StorageException("Attachment '" + filename + "': storing failed: " + e, e));
            }
        } finally {
            storeLock.unlock();
        }
    }

    private InputStream openForStore(ContentSource source, FileStore store, String oldId, String oldPath) throws IOException {
        if (source != null) {
            return source.open();
        }
        if (oldId != null) {
            return store.open(oldId, oldPath); // forced re-store of a stored attachment
        }
        throw noContent(null);
    }

    private synchronized AttachmentException fail(AttachmentException e) {
        status = AttachmentStatus.FAILED;
        failureReason = e.getMessage();
        LOG.debug("Attachment '{}' failed to store: {}", filename, e.getMessage());
        return e;
    }

    /**
     * Sets {@code processed_content.url} to {@code "/files/" + storagePath} (one slash, each path segment
     * URL-encoded). Does nothing while there is no storage path.
     */
    public synchronized void updateProcessedContentWithUrl() {
        if (storagePath != null) {
            processedContent = processedContent.with(ProcessedContent.URL, StoragePaths.url(storagePath));
        }
    }

    /**
     * Undoes a store whose file was deleted again (an all-or-nothing batch that failed elsewhere): back to
     * PENDING with its local content, no file id, no URL.
     */
    synchronized void revertToPending() {
        fileId = null;
        storagePath = null;
        storageBackend = null;
        sha256 = null;
        status = AttachmentStatus.PENDING;
        processingStatus = null;
        processedContent = processedContent.with(ProcessedContent.URL, null);
    }

    // ------------------------------------------------------------------ JSON

    /**
     * @return the attachment in Tyler's shape, snake_case keys: Tyler's seven keys always (a {@code null} value
     *     where unset, as Tyler's {@code model_dump()} writes them); {@code content} (base64) only while there is
     *     no file id and the content is in memory
     */
    public Map<String, Object> modelDump() {
        return AttachmentJson.toMap(this);
    }

    /** @return {@link #modelDump()} as a JSON string */
    public String toJson() {
        return AttachmentJson.write(this);
    }

    /** @return the base64 of in-memory content for JSON, or {@code null} */
    synchronized String contentBase64ForJson() {
        if (fileId != null || content == null) {
            return null;
        }
        byte[] bytes = content.bytesInMemory();
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }

    /** @return keys read from JSON that attachkit does not know, written back unchanged */
    synchronized Map<String, Object> extraJson() {
        return new LinkedHashMap<>(extraJson);
    }

    @Override
    public synchronized String toString() {
        return "Attachment{filename='" + filename + "', status=" + status + ", fileId=" + fileId + ", mimeType=" + mimeType + "}";
    }

    /**
     * Builds an {@link Attachment} in any state; used by message stores that load attachments they saved.
     * Only the filename is required; an attachment with a file id defaults to STORED, else PENDING.
     */
    public static final class Builder {
        private String filename;
        private ContentSource content;
        private String mimeType;
        private ProcessedContent processedContent = ProcessedContent.empty();
        private String fileId;
        private String storagePath;
        private String storageBackend;
        private AttachmentStatus status;
        private long size = -1;
        private String sha256;
        private String failureReason;
        private ProcessingStatus processingStatus;
        private final Map<String, Object> extraJson = new LinkedHashMap<>();

        private Builder() {
        }

        /**

         * @param filename the original filename, not blank

         * @return this builder

         */
        public Builder filename(String filename) {
            this.filename = filename;
            return this;
        }

        /**

         * @param bytes in-memory content (not copied)

         * @return this builder

         */
        public Builder content(byte[] bytes) {
            this.content = new ContentSource.Bytes(Objects.requireNonNull(bytes, "content"));
            return this;
        }

        /**

         * @param path a local file to stream from

         * @return this builder

         */
        public Builder content(Path path) {
            this.content = new ContentSource.File(Objects.requireNonNull(path, "content"));
            return this;
        }

        /**

         * @param stream a one-shot stream

         * @return this builder

         */
        public Builder content(InputStream stream) {
            this.content = new ContentSource.OneShot(Objects.requireNonNull(stream, "content"), filename);
            return this;
        }

        /**

         * @param base64OrDataUri strictly decoded base64 content

         * @return this builder

         */
        public Builder base64(String base64OrDataUri) {
            Base64Content.Decoded d = Base64Content.decode(filename == null ? "(unnamed)" : filename, base64OrDataUri);
            this.content = new ContentSource.Bytes(d.bytes());
            if (mimeType == null) {
                mimeType = d.mimeType();
            }
            return this;
        }

        /**

         * @param mimeType the declared MIME type, or {@code null}

         * @return this builder

         */
        public Builder mimeType(String mimeType) {
            this.mimeType = mimeType;
            return this;
        }

        /**

         * @param processedContent the processed content

         * @return this builder

         */
        public Builder processedContent(ProcessedContent processedContent) {
            this.processedContent = Objects.requireNonNull(processedContent, "processedContent");
            return this;
        }

        /**

         * @param fileId the id in the store

         * @return this builder

         */
        public Builder fileId(String fileId) {
            this.fileId = fileId;
            return this;
        }

        /**

         * @param storagePath the path in the store

         * @return this builder

         */
        public Builder storagePath(String storagePath) {
            this.storagePath = storagePath;
            return this;
        }

        /**

         * @param storageBackend the backend's name

         * @return this builder

         */
        public Builder storageBackend(String storageBackend) {
            this.storageBackend = storageBackend;
            return this;
        }

        /**

         * @param status the status

         * @return this builder

         */
        public Builder status(AttachmentStatus status) {
            this.status = status;
            return this;
        }

        /**

         * @param size the size in bytes, or -1

         * @return this builder

         */
        public Builder size(long size) {
            this.size = size;
            return this;
        }

        /**

         * @param sha256 the content's SHA-256 (hex)

         * @return this builder

         */
        public Builder sha256(String sha256) {
            this.sha256 = sha256;
            return this;
        }

        /**

         * @param failureReason why storing failed

         * @return this builder

         */
        public Builder failureReason(String failureReason) {
            this.failureReason = failureReason;
            return this;
        }

        /**
         * @param processingStatus where processing is, or {@code null} (not stored, or not handed to processing)
         * @return this builder
         */
        public Builder processingStatus(ProcessingStatus processingStatus) {
            this.processingStatus = processingStatus;
            return this;
        }

        /**
         * @param key a JSON key attachkit does not know
         * @param value its value, kept and written back
         * @return this builder
         */
        public Builder extraJson(String key, Object value) {
            this.extraJson.put(key, value);
            return this;
        }

        /**
         * @return the attachment
         * @throws InvalidContentException if the filename, file id or storage path is invalid
         */
        public Attachment build() {
            return new Attachment(this);
        }
    }
}
