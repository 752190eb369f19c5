package io.attachkit.serving;

import io.attachkit.StoredFile;
import java.util.Collections;
import java.util.Map;

/**
 * What {@link FileServing} decided to answer: the status, the headers to set, and which bytes of the stored file
 * (if any) to send. An engine adapter copies the headers, then sends {@link #bodyLength()} bytes from
 * {@link #bodyStart()} of {@link FileServing#openBody(ServingResponse)} when {@link #hasBody()}. When
 * {@link #error()} is not {@code null} (405, 416) the adapter writes its own error body with that message instead.
 * Immutable.
 */
public final class ServingResponse {
    private final int status;
    private final Map<String, String> headers;
    private final StoredFile file;
    private final long bodyStart;
    private final long bodyLength;
    private final boolean hasBody;
    private final String error;

    ServingResponse(int status, Map<String, String> headers, StoredFile file, long bodyStart, long bodyLength,
            boolean hasBody, String error) {
        this.status = status;
        // FileServing hands over a map it built for this answer alone: kept as it is, not copied once more per request
        this.headers = Collections.unmodifiableMap(headers);
        this.file = file;
        this.bodyStart = bodyStart;
        this.bodyLength = bodyLength;
        this.hasBody = hasBody;
        this.error = error;
    }

    /** @return the HTTP status: 200, 206, 304, 405 or 416 */
    public int status() {
        return status;
    }

    /**
     * @return the response headers in the order to send them (names as in RFC 9110); includes
     *     {@code Content-Length} for 200 and 206, also for HEAD
     */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return the stored file answered about, or {@code null} when the request was refused before it was looked up */
    public StoredFile file() {
        return file;
    }

    /** @return whether file bytes follow the headers (a GET answered 200 or 206 with a non-empty range) */
    public boolean hasBody() {
        return hasBody;
    }

    /** @return the offset of the first byte to send */
    public long bodyStart() {
        return bodyStart;
    }

    /** @return how many bytes to send (the Content-Length) */
    public long bodyLength() {
        return bodyLength;
    }

    /** @return a message for an error answer (405, 416) that the adapter writes as its error body, else {@code null} */
    public String error() {
        return error;
    }

    @Override
    public String toString() {
        return "ServingResponse{" + status + (hasBody ? ", bytes " + bodyStart + "+" + bodyLength : "")
                + (error != null ? ", " + error : "") + "}";
    }
}
