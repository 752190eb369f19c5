package io.attachkit.serving;

import io.attachkit.AttachmentException;
import io.attachkit.FileTooLargeException;
import io.attachkit.InvalidContentException;
import io.attachkit.ProcessingQueueFullException;
import io.attachkit.StorageException;
import io.attachkit.StorageFullException;
import io.attachkit.StoredFileNotFoundException;
import io.attachkit.UnsafePathException;
import io.attachkit.UnsupportedFileTypeException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How attachkit's HTTP endpoints answer a failure, for any HTTP engine: the status for each
 * {@link AttachmentException} and the JSON error body, so the standalone server and the Spring Boot endpoints
 * answer the same failure the same way.
 *
 * <pre>{@code
 * int status = ErrorAnswer.status(e);                      // 413 for FileTooLargeException, ...
 * Map<String, Object> body = ErrorAnswer.body(status, e.getMessage());   // {"status":413,"error":"..."}
 * }</pre>
 */
public final class ErrorAnswer {
    private ErrorAnswer() {
    }

    /**
     * @param e a failure
     * @return the HTTP status to answer it with: 400 bad input or path, 404 no such file, 413 too large,
     *     415 a type not allowed, 507 storage full, 503 queue full or a retryable storage failure, 502 another
     *     storage failure, 500 anything else
     */
    public static int status(AttachmentException e) {
        if (e instanceof UnsafePathException || e instanceof InvalidContentException) {
            return 400;
        }
        if (e instanceof StoredFileNotFoundException) {
            return 404;
        }
        if (e instanceof FileTooLargeException) {
            return 413;
        }
        if (e instanceof UnsupportedFileTypeException) {
            return 415;
        }
        if (e instanceof StorageFullException) {
            return 507;
        }
        if (e instanceof ProcessingQueueFullException) {
            return 503;
        }
        if (e instanceof StorageException se) {
            return se.retryable() ? 503 : 502;
        }
        return 500;
    }

    /**
     * @param status the HTTP status
     * @param message what went wrong, for the client
     * @return the error body in its wire shape, {@code {"status": 413, "error": "..."}}
     */
    public static Map<String, Object> body(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        return body;
    }
}
