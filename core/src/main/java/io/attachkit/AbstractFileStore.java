package io.attachkit;

import io.attachkit.internal.StoragePaths;
import io.attachkit.internal.io.BufferPool;
import io.attachkit.internal.io.LimitedDigestInputStream;
import io.attachkit.internal.io.PrefixedInputStream;
import io.attachkit.internal.io.StorageQuota;
import io.attachkit.internal.mime.MimeDetection;
import io.attachkit.internal.mime.MimeDetector;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of every backend: it validates ids, paths and filenames, detects the MIME type, enforces the
 * {@link StorageLimits} while the content streams, computes the SHA-256, and checks that the backend
 * stored exactly what was sent. A backend implements only the raw operations ({@code doSave},
 * {@code doOpen}, {@code doStat}, {@code doDelete}, {@code doList}), which receive ids and paths that
 * are already known to be safe.
 *
 * <pre>{@code
 * public final class MyStore extends AbstractFileStore {
 *     public MyStore(StorageLimits limits) { super("mine", limits); }
 *     protected void doSave(IncomingFile file) throws IOException { copy file.content() somewhere }
 *     ...
 * }
 * }</pre>
 *
 * <p>Contract for {@link #doSave(IncomingFile)}: read the content to its end, make the file visible only
 * once it is complete, and leave nothing behind when anything throws (including the content stream).
 * Subclasses must be thread-safe.
 *
 * <p>Derived records ({@link #writeDerivedRecord(String, byte[])}) are kept as files under reserved ids
 * ({@code <sha256>-derived}, never a random id) through the same raw operations, so a new backend keeps them
 * with no code of its own. {@link #list()} hides them; a backend that overrides {@link #storageSize()} or
 * {@link #fileCount()} with a cheaper count skips the ids for which {@link #isDerivedRecordId(String)} holds, and its {@code doSave} replaces a file
 * saved before under the same path (only derived records are saved twice).
 */
public abstract class AbstractFileStore implements FileStore {
    /** The largest derived record kept: a processing result holds at most a few million characters of text. */
    static final int MAX_DERIVED_RECORD_BYTES = 64 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(AbstractFileStore.class);

    private final String backendName;
    private final StorageLimits limits;
    private final StorageQuota quota;
    private final MimeDetector detector = new MimeDetector();
    /** Header arrays for detection, reused across saves (a few per core: saves in flight at once). */
    private final BufferPool headers = new BufferPool(detector.headerLength(),
            2 * Runtime.getRuntime().availableProcessors());

    /**
     * @param backendName the name written to {@code storage_backend}
     * @param limits the limits to enforce
     */
    protected AbstractFileStore(String backendName, StorageLimits limits) {
        this.backendName = Objects.requireNonNull(backendName, "backendName");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.quota = new StorageQuota(limits.maxStorageSize(), this::storageSize);
    }

    @Override
    public final String backendName() {
        return backendName;
    }

    /** @return the limits this store enforces */
    public final StorageLimits limits() {
        return limits;
    }

    @Override
    public final StoredFile save(InputStream content, String filename, String mimeType) {
        Objects.requireNonNull(content, "content");
        String name = StoragePaths.requireFilename(filename);
        // The first bytes are read once into a pooled array: detection looks at them, and the backend gets them
        // replayed ahead of the rest of the stream (no BufferedInputStream, no mark/reset, no new buffer per save).
        byte[] header = headers.take();
        PrefixedInputStream prefixed = null;
        try {
            int n;
            try {
                n = content.readNBytes(header, 0, header.length);
            } catch (IOException e) {
                throw new AttachmentException("Reading the content of '" + name + "' failed: " + e.getMessage(), e);
            }
            MimeDetection detection;
            try {
                // detection keeps no reference to the array it is given
                detection = detector.detect(n == header.length ? header : Arrays.copyOf(header, n), name, mimeType);
            } catch (UncheckedIOException e) {
                throw new AttachmentException("Reading the content of '" + name + "' failed: " + e.getCause().getMessage(),
                        e.getCause());
            }
            String type = detection.resolve(limits::isAllowed);
            if (!limits.isAllowed(type)) {
                throw new UnsupportedFileTypeException(name, type, detection.declared());
            }
            prefixed = new PrefixedInputStream(header, n, content, n < header.length);
            return store(prefixed, name, type);
        } finally {
            if (prefixed != null) {
                prefixed.detach(); // a backend thread still reading after a failure gets a copy, never a reused array
            }
            headers.give(header);
        }
    }

    private StoredFile store(InputStream content, String name, String type) {
        String fileId = UUID.randomUUID().toString();
        String storagePath = StoragePaths.layout(fileId, StoragePaths.extensionOf(name));
        LimitedDigestInputStream limited = new LimitedDigestInputStream(content, name, limits.maxFileSize(), quota);
        IncomingFile incoming = new IncomingFile(fileId, storagePath, name, type, limited);
        try {
            doSave(incoming);
        } catch (IOException | RuntimeException | Error e) {
            quota.release(limited.reserved());
            throw saveFailure(name, limited, e);
        }
        if (!limited.reachedEof()) {
            quota.release(limited.reserved());
            deleteQuietly(fileId, storagePath);
            throw new StorageException("The " + backendName + " backend returned before reading all of '" + name
                    + "' (" + limited.size() + " bytes read); nothing was stored", null);
        }
        LOG.debug("Saved {} as {} ({} bytes, {}) in the {} store", name, storagePath, limited.size(), type, backendName);
        return new StoredFile(fileId, storagePath, backendName, limited.size(), limited.sha256Hex(), type, Instant.now(),
                name);
    }

    private RuntimeException saveFailure(String name, LimitedDigestInputStream limited, Throwable e) {
        if (limited.failure() != null) {
            // the limit that stopped the stream is the real reason, however the backend wrapped it
            if (limited.failure() != e) {
                limited.failure().addSuppressed(e);
            }
            return limited.failure();
        }
        if (limited.sourceFailure() != null) {
            return new AttachmentException("Reading the content of '" + name + "' failed after " + limited.size()
                    + " bytes: " + limited.sourceFailure().getMessage() + "; nothing was stored", e);
        }
        if (e instanceof AttachmentException ae) {
            return ae;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new StorageException("Saving '" + name + "' to the " + backendName + " store failed: " + e.getMessage(), e);
    }

    private void deleteQuietly(String fileId, String storagePath) {
        try {
            doDelete(fileId, storagePath);
        } catch (Exception e) {
            LOG.warn("Could not remove incomplete file {} from the {} store", fileId, backendName, e);
        }
    }

    @Override
    public final InputStream open(String fileId, String storagePath) {
        return onFile("Opening", fileId, storagePath, this::doOpen);
    }

    @Override
    public final java.nio.channels.ReadableByteChannel openChannel(String fileId, String storagePath) {
        return onFile("Opening", fileId, storagePath, this::doOpenChannel);
    }

    @Override
    public final StoredFile stat(String fileId, String storagePath) {
        return onFile("Reading metadata of", fileId, storagePath, this::doStat);
    }

    @Override
    public final void delete(String fileId, String storagePath) {
        String sha256 = onFile("Deleting", fileId, storagePath, this::doStat).sha256();
        quota.release(onFile("Deleting", fileId, storagePath, this::doDelete));
        if (sha256 != null) {
            // the file's derived record goes with it (another file with the same bytes then processes them again)
            try {
                deleteDerivedRecord(sha256);
            } catch (RuntimeException e) {
                LOG.warn("Deleted file {} but not its derived record in the {} store: {}", fileId, backendName, e.getMessage());
            }
        }
    }

    @Override
    public final boolean exists(String fileId, String storagePath) {
        if (StoragePaths.isDerivedRecordId(fileId)) {
            return false; // a derived record is not a file
        }
        return onFile("Checking", fileId, storagePath, this::doExists);
    }

    /** A raw operation on one validated file. */
    @FunctionalInterface
    private interface FileOperation<T> {
        T apply(String fileId, String storagePath) throws IOException;
    }

    /** Validates the id and hint before the backend sees them, and wraps the backend's I/O errors. */
    private <T> T onFile(String verb, String fileId, String storagePath, FileOperation<T> operation) {
        String id = StoragePaths.requireFileId(fileId);
        if (StoragePaths.isDerivedRecordId(id)) {
            throw notFound(id); // derived records are reached only through the derived-record methods
        }
        String hint = StoragePaths.checkHint(id, storagePath);
        try {
            return operation.apply(id, hint);
        } catch (IOException e) {
            throw new StorageException(verb + " file '" + id + "' in the " + backendName + " store failed: " + e.getMessage(), e);
        }
    }

    @Override
    public final List<String> list() {
        List<String> ids = rawList();
        ids.removeIf(StoragePaths::isDerivedRecordId);
        return ids;
    }

    private List<String> rawList() {
        try {
            return new ArrayList<>(doList());
        } catch (IOException e) {
            throw new StorageException("Listing the " + backendName + " store failed: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------ derived records
    // Kept as files under reserved ids (<sha256>-derived) through the same raw operations, so every backend
    // built on this class keeps them; a backend that counts files without list() skips those ids itself.

    @Override
    public Optional<byte[]> readDerivedRecord(String sha256) {
        String id = StoragePaths.derivedRecordId(sha256);
        try (InputStream in = doOpen(id, derivedRecordPath(id))) {
            byte[] record = in.readNBytes(MAX_DERIVED_RECORD_BYTES + 1);
            if (record.length > MAX_DERIVED_RECORD_BYTES) {
                throw new StorageException("The derived record for " + sha256 + " in the " + backendName
                        + " store is larger than " + MAX_DERIVED_RECORD_BYTES + " bytes; it was not written by attachkit", null);
            }
            return Optional.of(record);
        } catch (StoredFileNotFoundException none) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("Reading the derived record for " + sha256 + " in the " + backendName + " store failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Writes the record through {@link #doSave} under its reserved id; the record replaces an earlier one, so a
     * backend's {@code doSave} must replace a file that exists under the same path (derived records are the only
     * files ever saved twice under one id).
     */
    @Override
    public boolean writeDerivedRecord(String sha256, byte[] record) {
        String id = StoragePaths.derivedRecordId(sha256);
        Objects.requireNonNull(record, "record");
        if (record.length > MAX_DERIVED_RECORD_BYTES) {
            throw new StorageException("A derived record of " + record.length + " bytes is larger than the "
                    + MAX_DERIVED_RECORD_BYTES + " bytes a store keeps", null);
        }
        String name = id + ".json";
        LimitedDigestInputStream in = new LimitedDigestInputStream(new java.io.ByteArrayInputStream(record), name, record.length, null);
        try {
            doSave(new IncomingFile(id, derivedRecordPath(id), name, "application/json", in));
            return true;
        } catch (IOException e) {
            throw new StorageException("Writing the derived record for " + sha256 + " to the " + backendName + " store failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void deleteDerivedRecord(String sha256) {
        String id = StoragePaths.derivedRecordId(sha256);
        try {
            doDelete(id, derivedRecordPath(id));
        } catch (StoredFileNotFoundException none) {
            // nothing to delete
        } catch (IOException e) {
            throw new StorageException("Deleting the derived record for " + sha256 + " in the " + backendName + " store failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public List<String> derivedRecordDigests() {
        List<String> digests = new ArrayList<>();
        for (String id : rawList()) {
            if (StoragePaths.isDerivedRecordId(id)) {
                digests.add(id.substring(0, id.length() - StoragePaths.DERIVED_RECORD_SUFFIX.length()));
            }
        }
        return digests;
    }

    /**
     * For backends that count files without {@link #list()}: derived records are kept under reserved ids, and a
     * count or size skips them.
     *
     * @param fileId an id from the backend's own listing
     * @return whether the id is a derived record's rather than a user's file
     */
    protected static boolean isDerivedRecordId(String fileId) {
        return StoragePaths.isDerivedRecordId(fileId);
    }

    private static String derivedRecordPath(String recordId) {
        return StoragePaths.layout(recordId, ".json");
    }

    /**
     * Counts bytes by listing and describing every file. Backends with a cheaper way override it.
     */
    @Override
    public long storageSize() {
        long total = 0;
        for (String id : list()) {
            try {
                total += doStat(id, null).size();
            } catch (StoredFileNotFoundException gone) {
                // deleted while we counted
            } catch (IOException e) {
                throw new StorageException("Measuring the " + backendName + " store failed: " + e.getMessage(), e);
            }
        }
        return total;
    }

    /** Counts files by listing them. Backends with a cheaper way override it. */
    @Override
    public long fileCount() {
        return list().size();
    }

    /**
     * Checks that the store can be measured, written, read back and deleted from, with a small probe file.
     */
    @Override
    public StoreHealth checkHealth() {
        List<String> errors = new ArrayList<>();
        long size = -1;
        long count = -1;
        try {
            size = storageSize();
            count = fileCount();
        } catch (RuntimeException e) {
            errors.add("measuring failed: " + e.getMessage());
        }
        errors.addAll(probe());
        return new StoreHealth(errors.isEmpty(), backendName, size, count, errors);
    }

    /**
     * Writes, reads back and deletes a small file through the raw operations (bypassing the quota).
     *
     * @return what failed, empty when all worked
     */
    protected List<String> probe() {
        List<String> errors = new ArrayList<>();
        byte[] probe = ("attachkit health probe " + Instant.now()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String id = UUID.randomUUID().toString();
        String path = StoragePaths.layout(id, ".txt");
        LimitedDigestInputStream in = new LimitedDigestInputStream(new java.io.ByteArrayInputStream(probe), "health-probe.txt",
                probe.length, null);
        try {
            doSave(new IncomingFile(id, path, "health-probe.txt", "text/plain", in));
            try (InputStream back = doOpen(id, path)) {
                if (!java.util.Arrays.equals(back.readAllBytes(), probe)) {
                    errors.add("read back different bytes than were written");
                }
            }
        } catch (Exception e) {
            errors.add("write/read probe failed: " + e.getMessage());
        } finally {
            try {
                doDelete(id, path);
            } catch (Exception e) {
                if (errors.isEmpty()) {
                    errors.add("deleting the probe failed: " + e.getMessage());
                }
            }
        }
        return errors;
    }

    /**
     * Stores a file: read {@link IncomingFile#content()} to its end and make the file visible under
     * {@link IncomingFile#storagePath()} only when it is complete. When anything throws, leave nothing.
     *
     * @param file the incoming file
     * @throws IOException if the backend fails
     */
    protected abstract void doSave(IncomingFile file) throws IOException;

    /**
     * @param fileId a validated id
     * @param storagePath a validated hint for this id, or {@code null}
     * @return a stream of the file; the caller closes it
     * @throws StoredFileNotFoundException if there is no such file
     * @throws IOException if the backend fails
     */
    protected abstract InputStream doOpen(String fileId, String storagePath) throws IOException;

    /**
     * Opens the file as a channel; the default wraps {@link #doOpen(String, String)}. A backend with files on local
     * disk returns a {@link java.nio.channels.FileChannel}, so that servers can send it zero-copy.
     *
     * @param fileId a validated id
     * @param storagePath a validated hint for this id, or {@code null}
     * @return a channel of the file's bytes, positioned at its start
     * @throws StoredFileNotFoundException if there is no such file
     * @throws IOException if the backend fails
     */
    protected java.nio.channels.ReadableByteChannel doOpenChannel(String fileId, String storagePath) throws IOException {
        return java.nio.channels.Channels.newChannel(doOpen(fileId, storagePath));
    }

    /**
     * @param fileId a validated id
     * @param storagePath a validated hint for this id, or {@code null}
     * @return the file's metadata
     * @throws StoredFileNotFoundException if there is no such file
     * @throws IOException if the backend fails
     */
    protected abstract StoredFile doStat(String fileId, String storagePath) throws IOException;

    /**
     * @param fileId a validated id
     * @param storagePath a validated hint for this id, or {@code null}
     * @return the size of the deleted file in bytes (for the quota)
     * @throws StoredFileNotFoundException if there is no such file
     * @throws IOException if the backend fails
     */
    protected abstract long doDelete(String fileId, String storagePath) throws IOException;

    /**
     * @param fileId a validated id
     * @param storagePath a validated hint for this id, or {@code null}
     * @return whether the file exists; the default asks {@link #doStat}
     * @throws IOException if the backend fails
     */
    protected boolean doExists(String fileId, String storagePath) throws IOException {
        try {
            doStat(fileId, storagePath);
            return true;
        } catch (StoredFileNotFoundException e) {
            return false;
        }
    }

    /**
     * @return the ids of all stored files
     * @throws IOException if the backend fails
     */
    protected abstract List<String> doList() throws IOException;

    /**
     * @param fileId the id that was not found
     * @return the exception to throw
     */
    protected final StoredFileNotFoundException notFound(String fileId) {
        return new StoredFileNotFoundException(fileId, backendName);
    }
}
