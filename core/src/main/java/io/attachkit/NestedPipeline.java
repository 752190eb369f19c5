package io.attachkit;

import io.attachkit.internal.mime.MimeDetector;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the processors on files found inside a file being processed (an email's attachments), on the calling
 * thread, so the outer file's timeout covers them. One instance per outer file and nesting level; the count of
 * inner files is shared by every level of one outer file.
 */
final class NestedPipeline implements ProcessingInput.Nested {
    private static final MimeDetector DETECTOR = new MimeDetector();
    private final ContentProcessors processors;
    private final ProcessingListener listener;
    private final int depth;
    private final AtomicInteger files;

    private NestedPipeline(ContentProcessors processors, ProcessingListener listener, int depth, AtomicInteger files) {
        this.processors = processors;
        this.listener = listener;
        this.depth = depth;
        this.files = files;
    }

    /** @return the pipeline for the files inside one top-level file */
    static NestedPipeline forTopLevel(ContentProcessors processors, ProcessingListener listener) {
        return new NestedPipeline(processors, listener, 1, new AtomicInteger());
    }

    @Override
    public ProcessedContent process(String filename, String declaredType, long size, ProcessingInput.Opener opener,
            ProcessingLimits limits) {
        if (depth > Attachments.MAX_NESTING_DEPTH) {
            return skipped("nested deeper than " + Attachments.MAX_NESTING_DEPTH + " levels");
        }
        if (files.incrementAndGet() > Attachments.MAX_NESTED_FILES) {
            return skipped("more than " + Attachments.MAX_NESTED_FILES + " inner files in one file");
        }
        String name = filename == null ? "" : filename;
        String type;
        try (InputStream in = new BufferedInputStream(opener.open(), DETECTOR.headerLength() + 1)) {
            type = DETECTOR.detect(in, name, declaredType).mimeType();
        } catch (IOException | RuntimeException e) {
            return ProcessedContent.of(Map.of(ProcessedContent.ERROR, "reading the inner file failed: " + e.getMessage()));
        }
        Optional<ContentProcessor> processor = processors.find(type);
        if (processor.isEmpty()) {
            return ProcessedContent.of(Map.of("mime_type", type, "skipped", "no processor reads " + type));
        }
        ProcessingInput inner = new ProcessingInput(name, type, size, null, opener, listener)
                .withNested(new NestedPipeline(processors, listener, depth + 1, files));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mime_type", type);
        try {
            ProcessedContent pc = processor.get().process(inner, limits);
            if (pc != null) {
                out.putAll(pc.asMap());
            }
        } catch (ProcessingException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e; // the outer file's timeout: stop everything, not just this inner file
            }
            out.put(ProcessedContent.ERROR, processor.get().name() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            out.put(ProcessedContent.ERROR, processor.get().name() + ": " + e);
        }
        return ProcessedContent.of(out);
    }

    private static ProcessedContent skipped(String why) {
        return ProcessedContent.of(Map.of("skipped", why));
    }
}
