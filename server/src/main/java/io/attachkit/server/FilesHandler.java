package io.attachkit.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.attachkit.FileStore;
import io.attachkit.StoredFile;
import io.attachkit.StoredFileNotFoundException;
import io.attachkit.internal.StoragePaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * {@code GET/HEAD /files/{storage_path}}: streams a stored file with its type, length, ETag (the SHA-256),
 * Last-Modified, conditional GET and single byte ranges. The path is checked by
 * {@link StoragePaths#fileIdOf(String)} in its raw, still percent-encoded form, so no spelling of a
 * traversal ({@code ..}, {@code %2e%2e}, {@code %2f}, backslashes, absolute paths) reaches the store.
 */
final class FilesHandler {
    static final String PREFIX = "/files/";
    private static final int BUFFER = 256 * 1024;

    private final FileStore store;

    FilesHandler(FileStore store) {
        this.store = store;
    }

    void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            throw new HttpError(405, "Method " + method + " is not allowed on /files; use GET or HEAD");
        }
        String raw = exchange.getRequestURI().getRawPath();
        String storagePath = raw.startsWith(PREFIX) ? raw.substring(PREFIX.length()) : "";
        String fileId = StoragePaths.fileIdOf(storagePath); // UnsafePathException -> 400
        StoredFile meta = store.stat(fileId, storagePath);
        if (!meta.storagePath().equals(storagePath)) {
            throw new StoredFileNotFoundException(fileId, store.backendName());
        }

        Headers h = exchange.getResponseHeaders();
        String mime = meta.mimeType() != null ? meta.mimeType() : "application/octet-stream";
        String etag = meta.sha256() != null ? "\"" + meta.sha256() + "\"" : null;
        Instant modified = meta.createdAt() != null ? meta.createdAt().truncatedTo(ChronoUnit.SECONDS) : null;
        h.set("Content-Type", mime);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Content-Security-Policy", "default-src 'none'; sandbox");
        h.set("Accept-Ranges", "bytes");
        h.set("Cache-Control", "private, max-age=0, must-revalidate");
        h.set("Content-Disposition", ContentDisposition.header(mime, meta.filename() != null ? meta.filename() : lastSegment(storagePath)));
        if (etag != null) {
            h.set("ETag", etag);
        }
        if (modified != null) {
            h.set("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.atZone(ZoneOffset.UTC)));
        }

        if (notModified(exchange.getRequestHeaders(), etag, modified)) {
            exchange.sendResponseHeaders(304, -1);
            exchange.close();
            return;
        }

        long size = meta.size();
        ByteRange range = rangeFor(exchange.getRequestHeaders(), etag, modified, size);
        if (range == ByteRange.UNSATISFIABLE) {
            h.set("Content-Range", "bytes */" + size);
            h.remove("Content-Disposition");
            throw new HttpError(416, "Range not satisfiable for a file of " + size + " bytes");
        }
        int status = range == null ? 200 : 206;
        long start = range == null ? 0 : range.start();
        long length = range == null ? size : range.length();
        if (range != null) {
            h.set("Content-Range", "bytes " + range.start() + "-" + range.end() + "/" + size);
        }
        if (head) {
            h.set("Content-Length", String.valueOf(length));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        try (InputStream in = store.open(fileId, storagePath)) {
            in.skipNBytes(start);
            exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
            try (OutputStream out = exchange.getResponseBody()) {
                copy(in, out, length);
            }
        }
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buf = new byte[BUFFER];
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("The stored file ended " + left + " bytes early");
            }
            Exchanges.write(out, buf, 0, n);
            left -= n;
        }
    }

    private static boolean notModified(Headers req, String etag, Instant modified) {
        String inm = req.getFirst("If-None-Match");
        if (inm != null) {
            return etag != null && etagMatches(inm, etag);
        }
        String ims = req.getFirst("If-Modified-Since");
        if (ims != null && modified != null) {
            Instant since = parseDate(ims);
            return since != null && !modified.isAfter(since);
        }
        return false;
    }

    private static ByteRange rangeFor(Headers req, String etag, Instant modified, long size) {
        String ifRange = req.getFirst("If-Range");
        if (ifRange != null) {
            String v = ifRange.trim();
            boolean current;
            if (v.startsWith("\"") || v.startsWith("W/")) {
                current = etag != null && v.equals(etag); // strong comparison only
            } else {
                Instant date = parseDate(v);
                current = date != null && modified != null && modified.equals(date);
            }
            if (!current) {
                return null;
            }
        }
        return ByteRange.parse(req.getFirst("Range"), size);
    }

    private static boolean etagMatches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.equals("*")) {
                return true;
            }
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static Instant parseDate(String value) {
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
