package io.attachkit;

/**
 * Extracts what a model or a person needs from one kind of file, e.g. the text of a PDF; the plugin point
 * for processors.
 *
 * <p>Processors are found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.attachkit.ContentProcessor}); for a file, the supporting processor with the
 * highest {@link #priority()} is used, so an application's processor can replace a built-in one. A
 * processor stays within the {@link ProcessingLimits} it is given, checks {@link Thread#interrupted()}
 * between units of work (the timeout interrupts it), and reports a failure as a {@link ProcessingException}.
 * Implementations are thread-safe. A processor that holds native or pooled resources (an OCR engine)
 * releases them in {@link #close()}.
 *
 * <pre>{@code
 * public final class YamlProcessor implements ContentProcessor {
 *     public String name() { return "yaml"; }
 *     public boolean supports(String mime) { return "application/yaml".equals(mime); }
 *     public ProcessedContent process(ProcessingInput in, ProcessingLimits limits) { ... }
 * }
 * }</pre>
 */
public interface ContentProcessor extends AutoCloseable {

    /** @return a short unique name, e.g. {@code pdf}; part of the result cache key */
    String name();

    /** @return the processor's version; changing it invalidates cached results */
    default String version() {
        return "1";
    }

    /** @return the priority among processors that support a type; built-in processors use 0 */
    default int priority() {
        return 0;
    }

    /**
     * @param mimeType a normalised MIME type
     * @return whether this processor reads it
     */
    boolean supports(String mimeType);

    /**
     * @param input the file
     * @param limits the bounds to stay within
     * @return the extracted content (without {@code url}, which is added by the caller)
     * @throws ProcessingException if the file cannot be processed (corrupt, encrypted, over a limit)
     */
    ProcessedContent process(ProcessingInput input, ProcessingLimits limits);

    /** Releases resources the processor holds (for example native OCR engines). The default does nothing. */
    @Override
    default void close() {
    }
}
