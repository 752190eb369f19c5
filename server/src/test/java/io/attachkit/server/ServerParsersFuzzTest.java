package io.attachkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.attachkit.Attachment;
import io.attachkit.InvalidContentException;
import io.attachkit.ingest.IngestMode;
import io.attachkit.serving.ByteRange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz targets for the server's parsers of raw request input: multipart/form-data bodies (through
 * {@link MultipartUpload}, the parser {@code POST /attachments} streams with) and {@code Range} headers
 * ({@link ByteRange#parse}). In a normal {@code mvn verify} each target replays its checked-in seeds
 * ({@code src/test/resources/io/attachkit/server/ServerParsersFuzzTestInputs/<target>/}) as regression tests;
 * {@code JAZZER_FUZZ=1 mvn -pl server test -Dtest=ServerParsersFuzzTest#<target> -Djazzer.max_duration=90s}
 * fuzzes one target for real (see FUZZING.md).
 *
 * <p>Seed format, for both targets: the first line is a header value (the Content-Type, or the file size), the
 * rest is the body (the multipart body, or the Range header).
 */
class ServerParsersFuzzTest {
    private static final int MAX_PART_HEADER = 16 * 1024;
    private static final Pattern SINGLE_RANGE = Pattern.compile("[\\x00-\\x20]*bytes=[\\x00-\\x20]*([0-9]*)[\\x00-\\x20]*-[\\x00-\\x20]*([0-9]*)[\\x00-\\x20]*",
            Pattern.CASE_INSENSITIVE);

    /**
     * Multipart parsing as {@code IngestHandler} drives it: part by part, each part's content streamed. The
     * invariant: the body is read to parts or refused with the parser's {@link FileUploadException} / an
     * {@link IOException} (answered 400) or an {@link InvalidContentException} (a bad mode field or filename,
     * answered per item or 400); never another exception (a 500), never more content than the body had.
     */
    @FuzzTest(maxDuration = "10s")
    @Timeout(10)
    void multipartBody(byte[] input) throws Exception {
        int newline = indexOf(input, (byte) '\n');
        String contentType = new String(input, 0, Math.max(newline, 0), StandardCharsets.UTF_8).strip();
        byte[] body = newline < 0 ? input : Arrays.copyOfRange(input, newline + 1, input.length);
        LimitedBody limited = new LimitedBody(new ByteArrayInputStream(body), body.length, System.nanoTime() + 5_000_000_000L);
        MultipartUpload.Request request = new MultipartUpload.Request(contentType, body.length, limited);
        long content = 0;
        int parts = 0;
        try {
            FileItemInputIterator it = MultipartUpload.guarded(() -> new MultipartUpload(MAX_PART_HEADER).getItemIterator(request));
            while (MultipartUpload.guarded(it::hasNext)) {
                FileItemInput part = MultipartUpload.guarded(it::next);
                parts++;
                String field = part.getFieldName() == null ? "" : part.getFieldName();
                String filename;
                try {
                    filename = IngestHandler.filenameOf(part);
                } catch (InvalidContentException refusedName) {
                    // answered for this item alone; the rest of the body is still read
                    assertThat(refusedName.getMessage()).contains("NUL");
                    filename = null;
                }
                boolean isFile = !part.isFormField() || filename != null;
                for (Iterator<String> names = part.getHeaders().getHeaderNames(); names.hasNext(); ) {
                    String name = names.next();
                    assertThat(part.getHeaders().getHeader(name)).isNotNull();
                }
                if (!isFile && field.equals("mode")) {
                    try (InputStream in = MultipartUpload.contentOf(part)) {
                        String value = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                        content += value.getBytes(StandardCharsets.UTF_8).length;
                        IngestMode.fromJson(value);
                    } catch (InvalidContentException refusedMode) {
                        assertThat(refusedMode.getMessage()).contains("mode");
                    }
                    continue;
                }
                if (isFile && filename != null && !filename.isBlank()) {
                    try {
                        Attachment a = Attachment.fromStream(filename, MultipartUpload.contentOf(part), contentTypeOf(part));
                        assertThat(a.filename()).isNotBlank();
                    } catch (InvalidContentException refusedName) {
                        assertThat(refusedName.getMessage()).isNotBlank();
                    }
                }
                try (InputStream in = MultipartUpload.contentOf(part)) {
                    content += in.transferTo(java.io.OutputStream.nullOutputStream());
                }
                assertThat(content).isLessThanOrEqualTo(body.length);
            }
        } catch (IOException refused) { // FileUploadException is one
            // the handler answers these with 400 "The multipart body is malformed"
            assertThat(limited.tripped()).as("the body limit is the body's own length: never tripped").isNull();
        }
        assertThat(parts).isLessThanOrEqualTo(body.length / 2 + 1);
    }

    private static String contentTypeOf(FileItemInput part) {
        String ct = part.getContentType();
        return ct == null || ct.isBlank() || ct.equalsIgnoreCase("application/octet-stream") ? null : ct;
    }

    /**
     * Range parsing. The invariant: no exception; a range is within the file and is exactly what RFC 9110's
     * single {@code bytes=first-last} / {@code bytes=-suffix} range means; a header answered 416 is one no
     * reading of RFC 9110 can satisfy.
     */
    @FuzzTest(maxDuration = "10s")
    @Timeout(10)
    void rangeHeader(byte[] input) {
        int newline = indexOf(input, (byte) '\n');
        String sizeLine = new String(input, 0, Math.max(newline, 0), StandardCharsets.UTF_8).strip();
        String header = new String(input, newline + 1, input.length - newline - 1, StandardCharsets.UTF_8);
        long size;
        try {
            size = Math.max(0, Long.parseLong(sizeLine));
        } catch (NumberFormatException e) {
            size = sizeLine.length();
        }
        ByteRange range = ByteRange.parse(header, size);
        ByteRange expected = reference(header, size);
        if (range == ByteRange.UNSATISFIABLE) {
            assertThat(expected).as("416 for a satisfiable range").isSameAs(ByteRange.UNSATISFIABLE);
        } else if (range != null) {
            assertThat(range.start()).isBetween(0L, range.end());
            assertThat(range.end()).isLessThan(size);
            assertThat(range.length()).isPositive();
            assertThat(range).isEqualTo(expected);
        }
    }

    /** RFC 9110 section 14.1.2 for one range, with arbitrary-precision numbers; {@code null} when not a single bytes range. */
    private static ByteRange reference(String header, long size) {
        Matcher m = SINGLE_RANGE.matcher(header);
        if (!m.matches()) {
            return null;
        }
        String first = m.group(1);
        String last = m.group(2);
        BigInteger length = BigInteger.valueOf(size);
        if (first.isEmpty()) {
            if (last.isEmpty()) {
                return null;
            }
            BigInteger suffix = new BigInteger(last);
            if (suffix.signum() == 0 || size == 0) {
                return ByteRange.UNSATISFIABLE;
            }
            return new ByteRange(length.subtract(suffix).max(BigInteger.ZERO).longValueExact(), size - 1);
        }
        BigInteger start = new BigInteger(first);
        if (!last.isEmpty() && new BigInteger(last).compareTo(start) < 0) {
            return null;
        }
        if (start.compareTo(length) >= 0) {
            return ByteRange.UNSATISFIABLE;
        }
        BigInteger end = last.isEmpty() ? length.subtract(BigInteger.ONE) : new BigInteger(last).min(length.subtract(BigInteger.ONE));
        return new ByteRange(start.longValueExact(), end.longValueExact());
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
