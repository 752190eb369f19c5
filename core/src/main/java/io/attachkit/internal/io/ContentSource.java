package io.attachkit.internal.io;

import io.attachkit.InvalidContentException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where an unstored attachment's content comes from: bytes in memory, a local file, or a one-shot stream.
 */
public sealed interface ContentSource {

    /**
     * @return a new stream of the content; the caller closes it
     * @throws InvalidContentException if a one-shot stream was already used
     * @throws IOException if the content cannot be opened
     */
    InputStream open() throws IOException;

    /** @return the size if known, else -1 */
    long size();

    /**
     * @return the bytes when they are in memory, else {@code null}
     */
    default byte[] bytesInMemory() {
        return null;
    }

    /** Bytes the caller handed over. */
    record Bytes(byte[] bytes) implements ContentSource {
        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public byte[] bytesInMemory() {
            return bytes;
        }
    }

    /** A local file, streamed when needed. */
    record File(Path path) implements ContentSource {
        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(path);
        }

        @Override
        public long size() {
            try {
                return Files.size(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A stream that can be read once. */
    final class OneShot implements ContentSource {
        private final InputStream stream;
        private final String filename;
        private final AtomicBoolean used = new AtomicBoolean();

        /**
         * @param stream the stream
         * @param filename for messages
         */
        public OneShot(InputStream stream, String filename) {
            this.stream = stream;
            this.filename = filename;
        }

        @Override
        public InputStream open() {
            if (used.getAndSet(true)) {
                throw new InvalidContentException("Attachment '" + filename
                        + "': its content stream was already read; create it again from a new stream");
            }
            return stream;
        }

        @Override
        public long size() {
            return -1;
        }
    }
}
