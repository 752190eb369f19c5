package io.attachkit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import io.attachkit.internal.mime.MimeTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processors available to {@link Attachments}, ordered by priority. Immutable and thread-safe.
 * Closing it closes every processor (an {@link Attachments} closes the ones it found itself).
 *
 * <pre>{@code
 * ContentProcessors all = ContentProcessors.fromClasspath();
 * Optional<ContentProcessor> p = all.find("application/pdf");
 * }</pre>
 */
public final class ContentProcessors implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ContentProcessors.class);
    private final List<ContentProcessor> processors;

    private ContentProcessors(List<ContentProcessor> processors) {
        List<ContentProcessor> sorted = new ArrayList<>(processors);
        sorted.sort(Comparator.comparingInt(ContentProcessor::priority).reversed());
        this.processors = List.copyOf(sorted);
    }

    /**
     * Finds every processor registered through {@link ServiceLoader}; one that fails to load is logged and
     * skipped.
     *
     * @return the processors found
     */
    public static ContentProcessors fromClasspath() {
        return fromClasspath(Thread.currentThread().getContextClassLoader());
    }

    /**
     * @param classLoader where to look
     * @return the processors found
     */
    public static ContentProcessors fromClasspath(ClassLoader classLoader) {
        List<ContentProcessor> found = new ArrayList<>();
        var it = ServiceLoader.load(ContentProcessor.class, classLoader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                LOG.warn("Skipping a content processor that failed to load: {}", e.getMessage(), e);
            }
        }
        return new ContentProcessors(found);
    }

    /**
     * @param processors the processors to use
     * @return exactly these processors
     */
    public static ContentProcessors of(List<? extends ContentProcessor> processors) {
        return new ContentProcessors(List.copyOf(processors));
    }

    /** @return no processors: files are stored, never processed */
    public static ContentProcessors none() {
        return new ContentProcessors(List.of());
    }

    /**
     * @param mimeType a MIME type
     * @return the highest-priority processor that supports it
     */
    public Optional<ContentProcessor> find(String mimeType) {
        if (mimeType == null) {
            return Optional.empty();
        }
        String normalized = MimeTypes.normalize(mimeType);
        return processors.stream().filter(p -> p.supports(normalized)).findFirst();
    }

    /** @return all processors, highest priority first */
    public List<ContentProcessor> all() {
        return processors;
    }

    /** Closes every processor; one that fails to close is logged and the rest are still closed. */
    @Override
    public void close() {
        for (ContentProcessor p : processors) {
            try {
                p.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing content processor {} failed", p.name(), e);
            }
        }
    }
}
