package io.attachkit.processors.internal;

import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private temporary copy of an input's content, for libraries that need random access; deleted on close.
 * Not thread-safe; one owner closes it.
 */
public final class TempCopy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TempCopy.class);
    private final Path path;
    private final long size;

    private TempCopy(Path path, long size) {
        this.path = path;
        this.size = size;
    }

    /**
     * Streams the input to a new temporary file (never through the heap).
     *
     * @param input the file to copy
     * @param suffix the temporary file's suffix, e.g. {@code .pdf}
     * @return the copy; the caller closes it
     * @throws ProcessingException if the content cannot be read or written
     */
    public static TempCopy of(ProcessingInput input, String suffix) {
        Path file = null;
        try {
            file = Files.createTempFile("attachkit-", suffix);
            long size;
            try (InputStream in = input.open()) {
                size = Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return new TempCopy(file, size);
        } catch (IOException e) {
            deleteQuietly(file);
            throw new ProcessingException("Reading '" + input.filename() + "' for processing failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    /** @return where the copy is */
    public Path path() {
        return path;
    }

    /** @return the copy's size in bytes */
    public long size() {
        return size;
    }

    /** Deletes the copy. */
    @Override
    public void close() {
        deleteQuietly(path);
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete temporary file {}", file, e);
        }
    }
}
