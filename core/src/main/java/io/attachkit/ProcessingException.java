package io.attachkit;

/**
 * Extracting content from a stored file failed: a corrupt or encrypted document, a processing limit
 * that was hit, or a native dependency (such as Tesseract) that is missing or misconfigured.
 *
 * <p>A processing failure never un-stores a file: the attachment stays {@code STORED} and the reason is
 * recorded in {@code processed_content.error}.
 */
public class ProcessingException extends AttachmentException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and on which file
     */
    public ProcessingException(String message) {
        super(message);
    }

    /**
     * @param message what failed and on which file
     * @param cause the library's exception
     */
    public ProcessingException(String message, Throwable cause) {
        super(message, cause);
    }
}
