package io.attachkit.processors;

import io.attachkit.processors.internal.Texts;
import io.attachkit.ContentProcessor;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fallback for every type no other processor reads: it reports what the file is, not what is in it.
 *
 * <p>Result keys: {@code type} = {@code binary}; {@code size}; {@code detected_type} (the MIME type
 * detected from the bytes); {@code sha256}; {@code overview}. Has the lowest priority
 * ({@value #PRIORITY}), so any other processor for the type wins. Thread-safe.
 */
public final class BinaryProcessor implements ContentProcessor {
    /** Below every other processor. */
    public static final int PRIORITY = -1_000;

    /** Creates the processor. */
    public BinaryProcessor() {
    }

    @Override
    public String name() {
        return "binary";
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public boolean supports(String mimeType) {
        return true;
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        long size = input.size();
        String sha256 = input.sha256();
        if (sha256 == null || size < 0) {
            try (InputStream in = new DigestInputStream(input.open(), MessageDigest.getInstance("SHA-256"))) {
                size = in.transferTo(OutputStreamSink.INSTANCE);
                sha256 = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
            } catch (IOException e) {
                throw new ProcessingException("Reading '" + input.filename() + "' failed: " + e.getMessage(), e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }
        String type = input.mimeType() == null ? "application/octet-stream" : input.mimeType();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "binary");
        out.put("size", size);
        out.put("detected_type", type);
        out.put("sha256", sha256);
        out.put("overview", "A binary file (" + type + ") of " + Texts.bytes(size) + "; its content was not extracted.");
        return ProcessedContent.of(out);
    }

    /** Discards bytes. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
