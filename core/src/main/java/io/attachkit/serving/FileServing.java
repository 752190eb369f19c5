package io.attachkit.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.attachkit.FileStore;
import io.attachkit.StorageException;
import io.attachkit.StoredFile;
import io.attachkit.StoredFileNotFoundException;
import io.attachkit.UnsafePathException;
import io.attachkit.internal.StoragePaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The rules for answering {@code GET} and {@code HEAD} of a stored file, for any HTTP engine: the type, length,
 * ETag (the SHA-256), Last-Modified, {@code nosniff}, a sandboxing Content-Security-Policy, active types (HTML, SVG,
 * XML, scripts, anything unknown) only as downloads with RFC 6266 names, conditional GET (304), single byte ranges
 * (206), If-Range and 416. The storage path is checked in its raw, still percent-encoded form, so no spelling of a
 * traversal ({@code ..}, {@code %2e%2e}, {@code %2f}, backslashes, absolute paths) reaches the store.
 *
 * <pre>{@code
 * FileServing serving = new FileServing(store);
 * ServingResponse r = serving.respond(ServingRequest.of("GET", "ab/cdef.pdf", headers::get));
 * // copy r.status() and r.headers(); if r.hasBody(), send r.bodyLength() bytes of serving.openBody(r)
 * }</pre>
 *
 * <p>A file's metadata, and the headers made from it, are kept for a short while ({@link #DEFAULT_METADATA_TTL} unless
 * given) and reused for further requests of the same path: files are served again and again (a thread re-rendered,
 * a preview and its download), and reading a sidecar (or asking S3) for each would cost more than the rest of the
 * answer. Stored files never change under their id, so only a delete made since can make it stale: a GET then
 * opens the file, finds it gone and answers 404; a HEAD or a 304 within the lifetime still answers as before.
 *
 * <p>Thread-safe.
 */
public final class FileServing {
    /** How long a file's metadata is reused when no lifetime is given. */
    public static final Duration DEFAULT_METADATA_TTL = Duration.ofSeconds(1);
    private static final String CSP = "default-src 'none'; sandbox";
    private static final int METADATA_ENTRIES = 10_000;

    private final FileStore store;
    private final Cache<String, FileFacts> facts;

    /** @param store the store whose files are served (metadata reused for {@link #DEFAULT_METADATA_TTL}) */
    public FileServing(FileStore store) {
        this(store, DEFAULT_METADATA_TTL);
    }

    /**
     * @param store the store whose files are served
     * @param metadataTtl how long a file's metadata is reused for more requests of the same path; zero reads it
     *     for every request
     * @throws IllegalArgumentException if the lifetime is negative
     */
    public FileServing(FileStore store, Duration metadataTtl) {
        this.store = Objects.requireNonNull(store, "store");
        Objects.requireNonNull(metadataTtl, "metadataTtl");
        if (metadataTtl.isNegative()) {
            throw new IllegalArgumentException("metadataTtl must be zero or positive, was " + metadataTtl);
        }
        this.facts = metadataTtl.isZero() ? null
                : Caffeine.newBuilder().maximumSize(METADATA_ENTRIES).expireAfterWrite(metadataTtl).build();
    }

    /** What the answers for one stored file share: its metadata and the headers made from it. */
    private record FileFacts(StoredFile meta, String etag, Instant modified, Map<String, String> headers) {
        static FileFacts of(StoredFile meta, String storagePath) {
            Map<String, String> h = new LinkedHashMap<>();
            String mime = meta.mimeType() != null ? meta.mimeType() : "application/octet-stream";
            String etag = meta.sha256() != null ? "\"" + meta.sha256() + "\"" : null;
            Instant modified = meta.createdAt() != null ? meta.createdAt().truncatedTo(ChronoUnit.SECONDS) : null;
            h.put("Content-Type", mime);
            h.put("X-Content-Type-Options", "nosniff");
            h.put("Content-Security-Policy", CSP);
            h.put("Accept-Ranges", "bytes");
            h.put("Cache-Control", "private, max-age=0, must-revalidate");
            h.put("Content-Disposition", ContentDisposition.header(mime,
                    meta.filename() != null ? meta.filename() : storagePath.substring(storagePath.lastIndexOf('/') + 1)));
            if (etag != null) {
                h.put("ETag", etag);
            }
            if (modified != null) {
                h.put("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.atZone(ZoneOffset.UTC)));
            }
            return new FileFacts(meta, etag, modified, java.util.Collections.unmodifiableMap(h));
        }
    }

    private FileFacts factsOf(String fileId, String storagePath) {
        if (facts == null) {
            return readFacts(fileId, storagePath);
        }
        FileFacts cached = facts.getIfPresent(storagePath);
        if (cached != null) {
            return cached;
        }
        FileFacts read = readFacts(fileId, storagePath); // outside the cache's lock: a slow store read blocks no other path
        facts.put(storagePath, read);
        return read;
    }

    private FileFacts readFacts(String fileId, String storagePath) {
        StoredFile meta = store.stat(fileId, storagePath);
        if (!meta.storagePath().equals(storagePath)) {
            throw new StoredFileNotFoundException(fileId, store.backendName());
        }
        return FileFacts.of(meta, storagePath);
    }

    /**
     * Decides the answer to a request for a stored file, reading only its metadata.
     *
     * @param request the request
     * @return the answer
     * @throws UnsafePathException if the storage path is not a valid one (answer 400)
     * @throws StoredFileNotFoundException if there is no file at that path (answer 404)
     * @throws StorageException if the store cannot be read (answer 502 or 503)
     */
    public ServingResponse respond(ServingRequest request) {
        String method = request.method();
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) {
            return new ServingResponse(405, Map.of("Allow", "GET, HEAD"), null, 0, 0, false,
                    "Method " + method + " is not allowed on /files; use GET or HEAD");
        }
        String storagePath = request.storagePath();
        String fileId = StoragePaths.fileIdOf(storagePath);
        FileFacts f = factsOf(fileId, storagePath);
        StoredFile meta = f.meta();
        String etag = f.etag();
        Instant modified = f.modified();
        Map<String, String> h = new LinkedHashMap<>(f.headers());
        if (notModified(request, etag, modified)) {
            return new ServingResponse(304, h, meta, 0, 0, false, null);
        }

        long size = meta.size();
        ByteRange range = rangeFor(request, etag, modified, size);
        if (range == ByteRange.UNSATISFIABLE) {
            h.remove("Content-Disposition");
            h.put("Content-Range", "bytes */" + size);
            return new ServingResponse(416, h, meta, 0, 0, false, "Range not satisfiable for a file of " + size + " bytes");
        }
        long start = range == null ? 0 : range.start();
        long length = range == null ? size : range.length();
        if (range != null) {
            h.put("Content-Range", "bytes " + range.start() + "-" + range.end() + "/" + size);
        }
        h.put("Content-Length", String.valueOf(length));
        return new ServingResponse(range == null ? 200 : 206, h, meta, start, length, !head && length > 0, null);
    }

    /**
     * Opens the bytes to send for an answer that {@link ServingResponse#hasBody() has a body}. An engine opens them
     * before it sends any header: a file deleted since its metadata was read is then still a clean 404. When the store keeps
     * the file on local disk this is a {@link FileChannel} positioned at {@link ServingResponse#bodyStart()}, which
     * an engine can send with {@code sendfile} ({@link FileChannel#transferTo}); otherwise a channel over the
     * store's stream with the bytes before the range already skipped. The caller closes it.
     *
     * @param response an answer from {@link #respond(ServingRequest)}
     * @return the content, positioned at the first byte to send
     * @throws StoredFileNotFoundException if the file was deleted since its metadata was read (answer 404)
     * @throws IOException if the content cannot be opened or skipped to the range
     * @throws IllegalArgumentException if the answer has no body
     */
    public ReadableByteChannel openBody(ServingResponse response) throws IOException {
        if (!response.hasBody()) {
            throw new IllegalArgumentException("The answer has no body: " + response);
        }
        StoredFile f = response.file();
        ReadableByteChannel channel;
        try {
            channel = store.openChannel(f.fileId(), f.storagePath());
        } catch (StoredFileNotFoundException e) {
            if (facts != null) {
                facts.invalidate(f.storagePath()); // deleted since its metadata was read: the next request reads again
            }
            throw e;
        }
        if (response.bodyStart() == 0) {
            return channel;
        }
        if (channel instanceof FileChannel file) {
            file.position(response.bodyStart());
            return file;
        }
        InputStream in = Channels.newInputStream(channel);
        try {
            in.skipNBytes(response.bodyStart());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        return Channels.newChannel(in);
    }

    private static boolean notModified(ServingRequest req, String etag, Instant modified) {
        String inm = req.header("If-None-Match");
        if (inm != null) {
            return etag != null && etagMatches(inm, etag);
        }
        String ims = req.header("If-Modified-Since");
        if (ims != null && modified != null) {
            Instant since = parseDate(ims);
            return since != null && !modified.isAfter(since);
        }
        return false;
    }

    private static ByteRange rangeFor(ServingRequest req, String etag, Instant modified, long size) {
        String ifRange = req.header("If-Range");
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
        return ByteRange.parse(req.header("Range"), size);
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
}
