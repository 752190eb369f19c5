package io.attachkit.spring.boot;

import io.attachkit.AttachmentException;
import io.attachkit.ProcessingQueueFullException;
import io.attachkit.serving.ErrorAnswer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * JSON answers of the web endpoints, in the standalone server's shapes, and the failure handlers both endpoints
 * share (local to them: the application's other controllers keep their own error handling).
 */
abstract class JsonAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(JsonAnswers.class);
    /** Jackson 2, as attachkit's core and the standalone server use it (not the application's HTTP converters). */
    static final ObjectMapper JSON = new ObjectMapper();

    static byte[] bytes(Map<String, ?> body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the answer as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static ResponseEntity<byte[]> json(int status, Map<String, ?> body) {
        byte[] bytes = bytes(body);
        return ResponseEntity.status(status)
                .header(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .header("X-Content-Type-Options", "nosniff")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(bytes);
    }

    static ResponseEntity<byte[]> error(int status, String message) {
        return json(status, ErrorAnswer.body(status, message));
    }

    @ExceptionHandler(EndpointError.class)
    ResponseEntity<byte[]> onEndpointError(EndpointError e) {
        ResponseEntity<byte[]> answer = error(e.status(), e.getMessage());
        if (e.retryAfterSeconds() > 0) {
            return ResponseEntity.status(e.status()).headers(answer.getHeaders())
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds())).body(answer.getBody());
        }
        return answer;
    }

    @ExceptionHandler(AttachmentException.class)
    ResponseEntity<byte[]> onAttachmentException(AttachmentException e) {
        int status = ErrorAnswer.status(e);
        if (status >= 500) {
            LOG.warn("attachkit endpoint failed", e);
        }
        ResponseEntity<byte[]> answer = error(status, e.getMessage());
        if (e instanceof ProcessingQueueFullException full) {
            return ResponseEntity.status(status).headers(answer.getHeaders())
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, full.retryAfter().toSeconds())))
                    .body(answer.getBody());
        }
        return answer;
    }
}
