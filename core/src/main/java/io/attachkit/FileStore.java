package io.attachkit;

import io.attachkit.internal.StoragePaths;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Durable storage for attachment files: local disk, S3, or a plugin.
 *
 * <pre>{@code
 * FileStore store = FileStores.open("file:///var/lib/attachkit");
 * StoredFile f = store.save(inputStream, "report.pdf", "application/pdf");
 * try (InputStream in = store.open(f.fileId())) { ... }
 * }</pre>
 *
 * <p>Every read and delete takes the file id; the storage path is an optional hint that a backend may use
 * to skip a lookup, and the id alone always works. Ids and paths from clients are validated: one that
 * could reach outside the store is an {@link UnsafePathException}.
 *
 * <p>Implementations are thread-safe. Backends usually extend {@link AbstractFileStore}, which enforces
 * {@link StorageLimits} while streaming and computes the SHA-256; behaviour such as caching is added by
 * wrapping a store in a {@link ForwardingFileStore}.
 */
public interface FileStore extends AutoCloseable {

    /** @return the backend's name as written in {@code storage_backend}, e.g. {@code local} */
    String backendName();

    /**
     * Streams {@code content} into the store. The stream is read to its end but not closed.
     *
     * <p>The type is detected from the bytes (with the filename as a hint) and must be allowed; the size
     * limit and the storage quota are enforced while reading, so an oversized input is refused without
     * being buffered. On any failure nothing is left in the store.
     *
     * @param content the bytes to store; the caller closes it
     * @param filename the original filename (used for the extension and type hint only)
     * @param mimeType the declared MIME type, or {@code null}
     * @return the stored file
     * @throws FileTooLargeException if the content is larger than the maximum file size
     * @throws UnsupportedFileTypeException if the detected type is not allowed
     * @throws StorageFullException if the quota would be exceeded
     * @throws InvalidContentException if the filename is blank or unsafe
     * @throws StorageException if the backend failed
     */
    StoredFile save(InputStream content, String filename, String mimeType);

    /**
     * Reads a whole file into memory. Prefer {@link #open(String, String)} for large files.
     *
     * @param fileId the file's id
     * @param storagePath the storage path hint, or {@code null}
     * @return the file's bytes
     * @throws StoredFileNotFoundException if there is no such file
     */
    default byte[] get(String fileId, String storagePath) {
        try (InputStream in = open(fileId, storagePath)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StorageException("Reading file '" + fileId + "' from the " + backendName() + " store failed: " + e.getMessage(), e, true);
        }
    }

    /**
     * Reads a whole file into memory.
     *
     * @param fileId the file's id
     * @return the file's bytes
     * @throws StoredFileNotFoundException if there is no such file
     */
    default byte[] get(String fileId) {
        return get(fileId, null);
    }

    /**
     * Opens a file for streaming. The caller closes the stream.
     *
     * @param fileId the file's id
     * @param storagePath the storage path hint, or {@code null}
     * @return a stream of the file's bytes
     * @throws StoredFileNotFoundException if there is no such file
     */
    InputStream open(String fileId, String storagePath);

    /**
     * Opens a file as a channel, for servers that can send it without copying. A backend that keeps the file on
     * local disk returns a {@link java.nio.channels.FileChannel} (which an HTTP engine can hand to
     * {@code sendfile}); the default wraps {@link #open(String, String)}. The caller closes the channel.
     *
     * @param fileId the file's id
     * @param storagePath the storage path hint, or {@code null}
     * @return a channel of the file's bytes, positioned at its start
     * @throws StoredFileNotFoundException if there is no such file
     */
    default java.nio.channels.ReadableByteChannel openChannel(String fileId, String storagePath) {
        return java.nio.channels.Channels.newChannel(open(fileId, storagePath));
    }

    /**
     * Opens a file for streaming. The caller closes the stream.
     *
     * @param fileId the file's id
     * @return a stream of the file's bytes
     * @throws StoredFileNotFoundException if there is no such file
     */
    default InputStream open(String fileId) {
        return open(fileId, null);
    }

    /**
     * Describes a stored file without reading it.
     *
     * @param fileId the file's id
     * @param storagePath the storage path hint, or {@code null}
     * @return the file's metadata
     * @throws StoredFileNotFoundException if there is no such file
     */
    StoredFile stat(String fileId, String storagePath);

    /**
     * Describes a stored file without reading it.
     *
     * @param fileId the file's id
     * @return the file's metadata
     * @throws StoredFileNotFoundException if there is no such file
     */
    default StoredFile stat(String fileId) {
        return stat(fileId, null);
    }

    /**
     * Deletes a file.
     *
     * @param fileId the file's id
     * @param storagePath the storage path hint, or {@code null}
     * @throws StoredFileNotFoundException if there is no such file
     */
    void delete(String fileId, String storagePath);

    /**
     * Deletes a file.
     *
     * @param fileId the file's id
     * @throws StoredFileNotFoundException if there is no such file
     */
    default void delete(String fileId) {
        delete(fileId, null);
    }

    /**
     * @param fileId the file's id
     * @param storagePath the storage path hint, or {@code null}
     * @return whether the file exists
     */
    boolean exists(String fileId, String storagePath);

    /**
     * @param fileId the file's id
     * @return whether the file exists
     */
    default boolean exists(String fileId) {
        return exists(fileId, null);
    }

    /** @return the ids of all stored files, in no particular order */
    List<String> list();

    /** @return the total size of all stored files in bytes */
    long storageSize();

    /** @return the number of stored files */
    long fileCount();

    /** @return whether the store is reachable, readable and writable, with its size */
    StoreHealth checkHealth();

    /**
     * Saves several files, all or nothing: when one fails, the ones already saved are deleted again
     * and the failure is rethrown.
     *
     * @param files the files to save; their streams are read but not closed
     * @return the stored files, in the order given
     */
    default List<StoredFile> saveAll(List<SaveRequest> files) {
        List<StoredFile> saved = new ArrayList<>(files.size());
        try {
            for (SaveRequest f : files) {
                saved.add(save(f.content(), f.filename(), f.mimeType()));
            }
            return saved;
        } catch (RuntimeException e) {
            for (StoredFile s : saved) {
                try {
                    delete(s.fileId(), s.storagePath());
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    /**
     * Deletes several files; ids with no file are skipped.
     *
     * @param fileIds the ids to delete
     * @return how many files were deleted
     */
    default int deleteAll(Collection<String> fileIds) {
        int deleted = 0;
        for (String id : fileIds) {
            try {
                delete(id);
                deleted++;
            } catch (StoredFileNotFoundException missing) {
                // already gone: the goal of the call is met
            }
        }
        return deleted;
    }

    // ------------------------------------------------------------ derived records

    /**
     * Reads the derived record kept for content with this SHA-256: a small document computed from a stored
     * file's bytes (its processing results), written with {@link #writeDerivedRecord(String, byte[])}. Derived
     * records are hidden from {@link #list()}, {@link #fileCount()} and {@link #storageSize()}.
     *
     * <p>The default keeps no records (it always answers empty); {@link AbstractFileStore} keeps them for
     * every backend built on it.
     *
     * @param sha256 the content's SHA-256, 64 lower-case hex digits
     * @return the record's bytes, or empty when there is none
     * @throws InvalidContentException if {@code sha256} is not 64 lower-case hex digits
     * @throws StorageException if the backend failed
     */
    default Optional<byte[]> readDerivedRecord(String sha256) {
        StoragePaths.requireSha256(sha256);
        return Optional.empty();
    }

    /**
     * Writes (or replaces) the derived record for content with this SHA-256. Not counted against the storage
     * quota; deleted with the file ({@link #delete(String, String)}) and by {@code Attachments.sweepOrphans}
     * once no file has that content.
     *
     * @param sha256 the content's SHA-256, 64 lower-case hex digits
     * @param record the record's bytes (a few KiB to a few MiB)
     * @return whether the store keeps the record; the default keeps none and answers {@code false}
     * @throws InvalidContentException if {@code sha256} is not 64 lower-case hex digits
     * @throws StorageException if the backend failed
     */
    default boolean writeDerivedRecord(String sha256, byte[] record) {
        StoragePaths.requireSha256(sha256);
        Objects.requireNonNull(record, "record");
        return false;
    }

    /**
     * Deletes the derived record for content with this SHA-256; no record is not an error.
     *
     * @param sha256 the content's SHA-256, 64 lower-case hex digits
     * @throws InvalidContentException if {@code sha256} is not 64 lower-case hex digits
     * @throws StorageException if the backend failed
     */
    default void deleteDerivedRecord(String sha256) {
        StoragePaths.requireSha256(sha256);
    }

    /**
     * @return the SHA-256 of every content that has a derived record, in no particular order (the default: none)
     * @throws StorageException if the backend failed
     */
    default List<String> derivedRecordDigests() {
        return List.of();
    }

    /** Releases the backend's resources (clients, thread pools). The default does nothing. */
    @Override
    default void close() {
    }
}
