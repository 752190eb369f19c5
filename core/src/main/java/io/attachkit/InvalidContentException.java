package io.attachkit;

/**
 * The content or metadata handed to attachkit is malformed: invalid base64, a bad {@code data:} URI,
 * a blank or unsafe filename, JSON that is not an attachment, or an attachment with no content at all.
 *
 * <p>attachkit never guesses what malformed input meant; it refuses it with this exception.
 */
public class InvalidContentException extends AttachmentException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong with the input, naming the attachment where known
     */
    public InvalidContentException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong with the input
     * @param cause the parser's exception
     */
    public InvalidContentException(String message, Throwable cause) {
        super(message, cause);
    }
}
