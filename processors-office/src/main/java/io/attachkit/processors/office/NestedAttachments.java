package io.attachkit.processors.office;

import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an email's attached files through the pipeline ({@link ProcessingInput#nested()}), each from a private
 * temporary copy deleted as soon as it is read, and bounds what that costs: at most {@link #MAX_PROCESSED} files
 * per message and {@link #MAX_BYTES} per file are processed (larger or later ones are only listed), each with a
 * quarter of the message's output budget. The depth and the count across levels are bounded by the pipeline
 * ({@code Attachments.MAX_NESTING_DEPTH}, {@code MAX_NESTED_FILES}). Not thread-safe: one per message.
 */
final class NestedAttachments {
    static final int MAX_PROCESSED = 20;
    static final long MAX_BYTES = 64L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(NestedAttachments.class);
    private final ProcessingInput.Nested nested;
    private final ProcessingLimits innerLimits;
    private int processed;

    /** What was read of one attached file. */
    record Result(long size, Map<String, Object> content) {
    }

    NestedAttachments(ProcessingInput.Nested nested, ProcessingLimits limits) {
        this.nested = nested;
        this.innerLimits = limits.toBuilder().maxOutputChars(Math.max(1_000, limits.maxOutputChars() / 4)).build();
    }

    /**
     * Reads one attached file to its end, processing it when within the bounds.
     *
     * @param name its name, or {@code null}
     * @param type the type the message declares for it
     * @param in its decoded content; read to the end, not closed
     */
    Result read(String name, String type, InputStream in) throws IOException {
        if (nested == ProcessingInput.Nested.NONE) {
            return new Result(count(in), null);
        }
        if (processed >= MAX_PROCESSED) {
            return new Result(count(in), Map.of("skipped", "only the first " + MAX_PROCESSED + " attachments of a message are processed"));
        }
        Path copy = Files.createTempFile("attachkit-attachment-", ".bin");
        try {
            long size = 0;
            byte[] buf = new byte[8192];
            try (OutputStream out = Files.newOutputStream(copy)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    size += n;
                    if (size <= MAX_BYTES) {
                        out.write(buf, 0, n);
                    }
                }
            }
            if (size > MAX_BYTES) {
                return new Result(size, Map.of("skipped", "larger than " + MAX_BYTES + " bytes"));
            }
            processed++;
            long length = size;
            var pc = nested.process(name == null ? "" : name, type, length, () -> Files.newInputStream(copy), innerLimits);
            return new Result(size, pc.asMap());
        } finally {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                LOG.warn("Could not delete temporary file {}", copy, e);
            }
        }
    }

    /** Like {@link #read(String, String, InputStream)} for an attachment the parser already holds in memory. */
    Result read(String name, String type, byte[] content) {
        try {
            return read(name, type, new java.io.ByteArrayInputStream(content));
        } catch (IOException e) {
            throw new ProcessingException("Copying the attachment '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    /** Appends an attachment's extracted text (when it was processed) under its line in the message text. */
    static void appendText(CappedText text, Map<String, Object> attachment) {
        if (attachment.get("processed_content") instanceof Map<?, ?> pc && pc.get("text") instanceof String t && !t.isBlank()) {
            text.line().append(t.strip());
        }
    }

    private static long count(InputStream in) throws IOException {
        long n = 0;
        byte[] buf = new byte[8192];
        for (int r; (r = in.read(buf)) > 0; ) {
            n += r;
        }
        return n;
    }
}
