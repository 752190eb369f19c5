package io.attachkit;

/**
 * Saving a file would take the store past its configured maximum storage size.
 *
 * <p>Raised while streaming, as soon as the quota would be crossed; nothing is stored.
 */
public class StorageFullException extends AttachmentException {
    private static final long serialVersionUID = 1L;
    private final long limit;

    /**
     * @param filename the file being saved
     * @param used bytes in use (including other saves in progress) when the quota was hit
     * @param limit the maximum storage size in bytes
     */
    public StorageFullException(String filename, long used, long limit) {
        super("Storage is full: saving '" + filename + "' would exceed the maximum storage size of " + limit
                + " bytes (" + used + " bytes in use); delete files or raise maxStorageSize (ATTACHKIT_MAX_STORAGE_SIZE)");
        this.limit = limit;
    }

    /** @return the maximum storage size in bytes */
    public long limit() {
        return limit;
    }
}
