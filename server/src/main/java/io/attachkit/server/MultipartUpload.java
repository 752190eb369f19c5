package io.attachkit.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.AbstractRequestContext;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.io.function.IOSupplier;

/**
 * Streams the parts of a multipart/form-data body with Commons FileUpload's streaming API: each part is
 * read straight from the request, never buffered to memory or disk as a whole.
 */
final class MultipartUpload extends AbstractFileUpload<MultipartUpload.Request, DiskFileItem, DiskFileItemFactory> {

    /** A request body with its Content-Type. */
    static final class Request extends AbstractRequestContext<InputStream> {
        private final String contentType;
        private final InputStream body;

        Request(String contentType, long contentLength, InputStream body) {
            super(name -> null, () -> contentLength, body);
            this.contentType = contentType;
            this.body = body;
        }

        @Override
        public String getCharacterEncoding() {
            return "UTF-8";
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public InputStream getInputStream() {
            return body;
        }
    }

    /**
     * Runs one step of the multipart parser. Commons FileUpload 2.0.0-M5 throws an unchecked
     * {@link IndexOutOfBoundsException} on some malformed bodies (a boundary cut short at the end of the body,
     * found by fuzzing); that is a malformed body, answered 400 like the parser's own {@link FileUploadException}.
     */
    static <T> T guarded(IOSupplier<T> step) throws IOException {
        try {
            return step.get();
        } catch (IndexOutOfBoundsException e) {
            throw new FileUploadException("The multipart body is malformed: " + e.getMessage(), e);
        }
    }

    /** @return the part's content, with the parser's unchecked failures turned into {@link FileUploadException}s */
    static InputStream contentOf(FileItemInput part) throws IOException {
        return new FilterInputStream(guarded(part::getInputStream)) {
            @Override
            public int read() throws IOException {
                return guarded(in::read);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                java.util.Objects.checkFromIndexSize(off, len, b.length);
                return guarded(() -> in.read(b, off, len));
            }

            @Override
            public long skip(long n) throws IOException {
                return guarded(() -> in.skip(n));
            }
        };
    }

    MultipartUpload(int maxPartHeaderSize) {
        setMaxPartHeaderSize(maxPartHeaderSize);
        setHeaderCharset(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public FileItemInputIterator getItemIterator(Request request) throws FileUploadException, IOException {
        return getItemIterator((org.apache.commons.fileupload2.core.RequestContext) request);
    }

    @Override
    public Map<String, List<DiskFileItem>> parseParameterMap(Request request) throws FileUploadException {
        throw new UnsupportedOperationException("attachkit streams parts; it never parses a whole request into items");
    }

    @Override
    public List<DiskFileItem> parseRequest(Request request) throws FileUploadException {
        throw new UnsupportedOperationException("attachkit streams parts; it never parses a whole request into items");
    }
}
