package io.attachkit;

/**
 * No stored file has the given id (or storage path).
 */
public class StoredFileNotFoundException extends AttachmentException {
    private static final long serialVersionUID = 1L;
    private final String fileId;

    /**
     * @param fileId the id that was looked up
     * @param backend the backend that was asked, e.g. {@code local}
     */
    public StoredFileNotFoundException(String fileId, String backend) {
        super("No stored file with id '" + fileId + "' in the " + backend + " store");
        this.fileId = fileId;
    }

    /** @return the id that was not found */
    public String fileId() {
        return fileId;
    }
}
