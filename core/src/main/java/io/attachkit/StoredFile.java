package io.attachkit;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link FileStore} knows about one stored file.
 *
 * <p>{@code storagePath} is the file's relative path in the store ({@code ab/cdef....pdf}); the public
 * URL of a file is {@code "/files/" + storagePath}. {@code sha256} is the lowercase hex digest of the
 * bytes, {@code null} only for files written by other tools (such as Tyler) that recorded none.
 *
 * @param fileId the store-wide unique id
 * @param storagePath relative path of the file in the store, forward slashes
 * @param storageBackend the backend's name, e.g. {@code local} or {@code s3}
 * @param size size in bytes
 * @param sha256 lowercase hex SHA-256 of the content, or {@code null} if unknown
 * @param mimeType the detected MIME type, or {@code null} if unknown
 * @param createdAt when the file was stored, or {@code null} if unknown
 * @param filename the original filename (a display name, never a path), or {@code null} if unknown
 */
public record StoredFile(String fileId, String storagePath, String storageBackend, long size, String sha256,
                         String mimeType, Instant createdAt, String filename) {

    /**
     * Checks the required fields.
     *
     * @param fileId see the record's description
     * @param storagePath see the record's description
     * @param storageBackend see the record's description
     * @param size see the record's description
     * @param sha256 see the record's description
     * @param mimeType see the record's description
     * @param createdAt see the record's description
     * @param filename see the record's description
     */
    public StoredFile {
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(storagePath, "storagePath");
        Objects.requireNonNull(storageBackend, "storageBackend");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, was " + size);
        }
    }

    /** @return the public URL path of the file: {@code "/files/" + storagePath}, segments URL-encoded */
    public String url() {
        return io.attachkit.internal.StoragePaths.url(storagePath);
    }
}
