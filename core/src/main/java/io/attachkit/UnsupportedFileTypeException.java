package io.attachkit;

/**
 * A file's type, as detected from its bytes, is not on the allowed list.
 *
 * <p>The detected type is what counts: a declared type or an extension that claims an allowed type
 * does not make disallowed content acceptable.
 */
public class UnsupportedFileTypeException extends AttachmentException {
    private static final long serialVersionUID = 1L;
    private final String mimeType;

    /**
     * @param filename the file's name
     * @param mimeType the detected type that was refused
     * @param declared the type the caller declared, or {@code null}
     */
    public UnsupportedFileTypeException(String filename, String mimeType, String declared) {
        super("File '" + filename + "' has unsupported type " + mimeType
                + (declared != null && !declared.equals(mimeType) ? " (declared as " + declared + ")" : "")
                + "; allow it with allowedMimeTypes (ATTACHKIT_ALLOWED_MIME_TYPES)");
        this.mimeType = mimeType;
    }

    /** @return the detected MIME type that was refused */
    public String mimeType() {
        return mimeType;
    }
}
