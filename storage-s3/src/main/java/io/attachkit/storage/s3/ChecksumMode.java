package io.attachkit.storage.s3;

/**
 * Which S3 checksums an {@link S3FileStore} sends with its uploads, set with
 * {@link S3FileStore.Builder#checksumMode(ChecksumMode)} or the {@code checksum_mode=} URI parameter.
 *
 * <p>S3-compatible servers support S3's "flexible checksums" unevenly: some refuse a full-object checksum on
 * CompleteMultipartUpload, some ignore every checksum and report none. Whatever the mode, every save is verified
 * before it counts as stored: by the checksums the server reports for the object (its full-object CRC32C, its
 * composite CRC32C over the parts' checksums, its SHA-256), or, where it reports none, by reading the object
 * back (unless its ETags show that the server hashed exactly the bytes sent, see {@link #NONE_VERIFY_BY_READ}) and
 * comparing its length and CRC32C with what was sent. A mismatch deletes the object and fails the save.
 *
 * <pre>{@code
 * S3FileStore store = S3FileStore.builder().bucket("b").endpointOverride(URI.create("http://localhost:9090"))
 *     .checksumMode(ChecksumMode.AUTO)   // the default
 *     .build();
 * store.checksumModeInEffect();          // e.g. COMPOSITE once the server refused FULL_OBJECT
 * }</pre>
 */
public enum ChecksumMode {
    /**
     * The default: start with {@link #FULL_OBJECT}; when the endpoint refuses a checksum (on
     * CreateMultipartUpload, UploadPart or CompleteMultipartUpload), finish that upload with the next weaker mode
     * ({@link #FULL_OBJECT} to {@link #COMPOSITE} to {@link #NONE_VERIFY_BY_READ}) and keep using it for the life
     * of the store; when the endpoint accepts checksums but reports none back, use {@link #NONE_VERIFY_BY_READ}.
     * Each fall-back is logged once at WARN and shown by {@code checkHealth()}.
     */
    AUTO,
    /**
     * Multipart uploads carry a CRC32C per part and a {@code FULL_OBJECT} CRC32C of the whole object on
     * completion (single-request uploads carry their SHA-256); a server that refuses them fails the save.
     */
    FULL_OBJECT,
    /**
     * Multipart uploads carry a CRC32C per part and the object gets S3's composite checksum (the CRC32C of the
     * parts' CRC32Cs, written {@code xxxx==-N}), which the store recomputes and compares.
     */
    COMPOSITE,
    /**
     * No {@code x-amz-checksum-*} headers are sent. Each save is verified by its ETags where the server makes them
     * the MD5 of what it received (as S3 does for unencrypted objects): the store computes the MD5 of every part it
     * sends, and of the whole object, and compares the part ETags, the completed upload's (S3's
     * {@code md5-of-part-md5s-N}, or the whole object's MD5) and the HEAD's. Where
     * an ETag is anything else (ETags are opaque: encrypted objects have others), the save is read back (streamed,
     * bounded memory) and its length and CRC32C compared with what was sent, which costs one download.
     */
    NONE_VERIFY_BY_READ;

    /** @return the next weaker mode that {@link #AUTO} falls back to, or this one if there is none */
    ChecksumMode weaker() {
        return switch (this) {
            case AUTO, FULL_OBJECT -> COMPOSITE;
            case COMPOSITE, NONE_VERIFY_BY_READ -> NONE_VERIFY_BY_READ;
        };
    }

    /** @return whether checksums go with the upload's requests */
    boolean sendsChecksums() {
        return this != NONE_VERIFY_BY_READ;
    }
}
