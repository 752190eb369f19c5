package io.attachkit.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.AbstractRequestContext;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;

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
