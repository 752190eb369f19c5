package io.attachkit.spring.boot;

import io.attachkit.FileStore;
import io.attachkit.serving.ErrorAnswer;
import io.attachkit.serving.FileServing;
import io.attachkit.serving.ServingRequest;
import io.attachkit.serving.ServingResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * {@code GET/HEAD {path-prefix}/files/{storage_path}} in the application's Spring MVC: {@link FileServing} decides
 * the answer (the same engine-neutral rules as the standalone server: Range, If-Range, ETag, 304, 416, nosniff, CSP,
 * active types as downloads); this writes it to the servlet response.
 */
@Controller
final class FilesEndpoint extends JsonAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(FilesEndpoint.class);
    private static final int BUFFER = 64 * 1024;

    private final FileServing serving;
    private final String prefix;

    FilesEndpoint(FileStore store, String pathPrefix) {
        this.serving = new FileServing(store);
        this.prefix = pathPrefix + "/files/";
    }

    /** Every method: FileServing answers 405 (with {@code Allow}) to anything but GET and HEAD, as the server does. */
    @RequestMapping("${attachkit.web.path-prefix:}/files/**")
    void serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // the raw, still percent-encoded path: FileServing checks it before anything reaches the store
        String uri = request.getRequestURI();
        String base = request.getContextPath() + prefix;
        String storagePath = uri.startsWith(base) ? uri.substring(base.length()) : "";
        ServingResponse r = serving.respond(ServingRequest.of(request.getMethod(), storagePath, request::getHeader));
        // opened before any header is set: a file deleted since its metadata was read is a clean 404 JSON
        try (ReadableByteChannel body = r.hasBody() ? serving.openBody(r) : null) {
            answer(request, response, r, body);
        }
    }

    private void answer(HttpServletRequest request, HttpServletResponse response, ServingResponse r, ReadableByteChannel body)
            throws IOException {
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            response.setHeader(h.getKey(), h.getValue());
        }
        if (r.error() != null) {
            byte[] json = bytes(ErrorAnswer.body(r.status(), r.error()));
            response.setStatus(r.status());
            response.setHeader("Content-Type", "application/json; charset=utf-8");
            response.setContentLength(json.length);
            response.getOutputStream().write(json);
            return;
        }
        response.setStatus(r.status());
        if (body == null) {
            return;
        }
        try {
            copy(body, response.getOutputStream(), r.bodyLength());
        } catch (IOException e) {
            // the headers are out: nothing more can be said to this client (often it went away)
            LOG.debug("{} {}: the download ended early: {}", request.getMethod(), request.getRequestURI(), e.toString());
            throw e;
        }
    }

    private static void copy(ReadableByteChannel in, OutputStream out, long length) throws IOException {
        byte[] buf = new byte[BUFFER];
        ByteBuffer wrap = ByteBuffer.wrap(buf);
        long left = length;
        while (left > 0) {
            wrap.clear().limit((int) Math.min(buf.length, left));
            int n = in.read(wrap);
            if (n < 0) {
                throw new IOException("The stored file ended " + left + " bytes early");
            }
            out.write(buf, 0, n);
            left -= n;
        }
        out.flush();
    }
}
