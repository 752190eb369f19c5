package io.attachkit.serving;

/**
 * The parts of an HTTP request that {@link FileServing} looks at, read from whatever engine received it.
 *
 * <pre>{@code
 * ServingRequest request = ServingRequest.of(exchange.getRequestMethod(), storagePath,
 *         name -> exchange.getRequestHeaders().getFirst(name));
 * }</pre>
 */
public interface ServingRequest {
    /** @return the request method, upper case as sent ({@code GET}, {@code HEAD}, ...) */
    String method();

    /**
     * @return the storage path asked for, still percent-encoded as it came in the URL (the part after the
     *     {@code /files/} prefix, or wherever the engine mounts the files)
     */
    String storagePath();

    /**
     * @param name a header name, any case
     * @return the first value of that request header, or {@code null} when absent
     */
    String header(String name);

    /**
     * @param method the request method
     * @param storagePath the raw storage path
     * @param headers looks up the first value of a request header by name, {@code null} when absent
     * @return a request from those parts
     */
    static ServingRequest of(String method, String storagePath, java.util.function.Function<String, String> headers) {
        java.util.Objects.requireNonNull(method, "method");
        java.util.Objects.requireNonNull(storagePath, "storagePath");
        java.util.Objects.requireNonNull(headers, "headers");
        return new ServingRequest() {
            @Override
            public String method() {
                return method;
            }

            @Override
            public String storagePath() {
                return storagePath;
            }

            @Override
            public String header(String name) {
                return headers.apply(name);
            }
        };
    }
}
