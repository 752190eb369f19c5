package io.attachkit.spring.boot;

import io.attachkit.Attachment;
import io.attachkit.AttachmentException;
import io.attachkit.Attachments;
import io.attachkit.InvalidContentException;
import io.attachkit.ProcessingQueueFullException;
import io.attachkit.StoredFileNotFoundException;
import io.attachkit.ingest.AcceptedAttachments;
import io.attachkit.ingest.IngestMode;
import io.attachkit.ingest.MultipartRules;
import io.attachkit.ingest.TrackAttachmentsRequest;
import io.attachkit.ingest.TrackAttachmentsResponse;
import io.attachkit.ingest.TrackedItem;
import io.attachkit.internal.JsonMemoryBudget;
import io.attachkit.internal.StoragePaths;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletDiskFileUpload;
import org.apache.commons.io.function.IOSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * {@code POST {path-prefix}/attachments} in the application's Spring MVC: the track-attachments request as base64
 * JSON ({@link TrackAttachmentsRequest}) or multipart/form-data (streamed part by part, never buffered), with the
 * standalone server's limits, statuses and JSON ({@link TrackAttachmentsResponse}). Each file is stored and its
 * processing queued; {@code ?wait=SECONDS} waits for processing before the answer. A request that fails as a whole
 * (413, a malformed body, a full queue) deletes what it had stored.
 */
@Controller
final class AttachmentsEndpoint extends JsonAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(AttachmentsEndpoint.class);
    /** Largest form field (conversation_id, metadata, mode) read into memory, as in the server. */
    private static final int MAX_FIELD_BYTES = 64 * 1024;
    /** Longest a JSON request waits for its share of the memory budget before it is answered 503, as in the server. */
    private static final long MAX_BUDGET_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** The {@code Retry-After} sent with that 503, in seconds. */
    static final int RETRY_AFTER_SECONDS = 2;

    private final Attachments attachments;
    private final AttachkitProperties.Web limits;
    private final JsonMemoryBudget jsonBudget;

    AttachmentsEndpoint(Attachments attachments, AttachkitProperties.Web limits) {
        this.attachments = attachments;
        this.limits = limits;
        this.jsonBudget = new JsonMemoryBudget(limits.getJsonMemoryBudget() != null
                ? limits.getJsonMemoryBudget().toBytes() : Runtime.getRuntime().maxMemory() / 4);
    }

    @PostMapping("${attachkit.web.path-prefix:}/attachments")
    ResponseEntity<byte[]> track(HttpServletRequest request) throws IOException {
        String type = mediaType(request.getContentType());
        boolean json = type.equals("application/json") || type.isEmpty();
        long max = (json ? limits.getMaxJsonBodySize() : limits.getMaxBodySize()).toBytes();
        long declared = request.getContentLengthLong();
        if (declared > max) {
            throw new EndpointError(413, "The request body (" + declared + " bytes) is larger than the limit of "
                    + max + " bytes; nothing of it was stored");
        }
        if (!json && !type.equals("multipart/form-data")) {
            throw new EndpointError(415, "POST /attachments takes application/json (mode base64) or multipart/form-data"
                    + " (mode form_data), not " + StoragePaths.quote(type));
        }
        Duration wait = waitParameter(request.getQueryString());
        // a JSON body is held whole (several times over) while it is handled; multipart streams and needs no share
        try (JsonMemoryBudget.Reservation heap = json ? reserveHeap(declared >= 0 ? declared : max) : null) {
            BoundedBody body = new BoundedBody(request.getInputStream(), max);
            AcceptedAttachments accepted = new AcceptedAttachments(wait);
            TrackAttachmentsResponse response;
            try {
                response = json ? trackJson(body, accepted) : trackMultipart(request, body, accepted);
            } catch (RuntimeException | IOException e) {
                rollback(accepted);
                throw limitOr(body, e);
            }
            return json(200, response.toMap());
        }
    }

    /** @throws EndpointError 503 (with Retry-After) when the share cannot be had in time; nothing was read then */
    private JsonMemoryBudget.Reservation reserveHeap(long bodyBytes) {
        JsonMemoryBudget.Reservation reservation;
        try {
            reservation = jsonBudget.reserve(bodyBytes, MAX_BUDGET_WAIT_NANOS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reservation = null;
        }
        if (reservation == null) {
            throw new EndpointError(503, "The server is already handling as many JSON request bodies as its memory budget"
                    + " allows; nothing of this request was read or stored. Retry after " + RETRY_AFTER_SECONDS
                    + " s, or send the files as multipart/form-data (streamed, not held in memory)")
                    .retryAfter(RETRY_AFTER_SECONDS);
        }
        return reservation;
    }

    private TrackAttachmentsResponse trackJson(BoundedBody body, AcceptedAttachments accepted) throws IOException {
        TrackAttachmentsRequest request = TrackAttachmentsRequest.fromJson(
                new String(body.readAllBytes(), StandardCharsets.UTF_8));
        if (request.items().size() > limits.getMaxParts()) {
            throw new EndpointError(400, "The request has " + request.items().size() + " attachments; at most "
                    + limits.getMaxParts() + " are accepted per request");
        }
        TrackAttachmentsResponse.Builder response = TrackAttachmentsResponse.builder();
        for (TrackedItem item : request.items()) {
            if (!item.valid()) {
                response.failure(item.index(), item.filename(), item.error());
                continue;
            }
            storeItem(item.index(), item.attachment(), response, accepted);
        }
        return accepted.answer(response);
    }

    private void storeItem(int index, Attachment a, TrackAttachmentsResponse.Builder response, AcceptedAttachments accepted) {
        try {
            accepted.add(index, a, attachments.storeAndProcessAsync(a));
        } catch (ProcessingQueueFullException full) {
            throw full; // the whole request is refused (503 + Retry-After) and what it stored is deleted
        } catch (AttachmentException e) {
            EndpointError limit = EndpointError.in(e);
            if (limit != null) {
                throw limit; // the request as a whole is over a limit: not this item's fault
            }
            response.failure(index, a.filename(), e.getMessage());
        }
    }

    private TrackAttachmentsResponse trackMultipart(HttpServletRequest request, BoundedBody body, AcceptedAttachments accepted)
            throws IOException {
        JakartaServletDiskFileUpload upload = new JakartaServletDiskFileUpload();
        upload.setMaxPartHeaderSize(16 * 1024);
        upload.setHeaderCharset(StandardCharsets.UTF_8);
        FileItemInputIterator parts = guarded(() -> upload.getItemIterator(new BodyOf(request, body)));
        TrackAttachmentsResponse.Builder response = TrackAttachmentsResponse.builder();
        IngestMode mode = IngestMode.FORM_DATA; // multipart carries raw bytes unless the client says otherwise
        int index = 0;
        int seen = 0;
        while (guarded(parts::hasNext)) {
            FileItemInput part = guarded(parts::next);
            if (++seen > limits.getMaxParts() + 3) { // items plus conversation_id, metadata and mode
                throw new EndpointError(400, "The request has more than " + limits.getMaxParts() + " parts; at most "
                        + limits.getMaxParts() + " attachments are accepted per request");
            }
            String field = part.getFieldName() == null ? "" : part.getFieldName();
            String filename;
            String badFilename = null;
            try {
                filename = part.getName();
            } catch (InvalidPathException e) {
                filename = null;
                badFilename = "the filename " + StoragePaths.quote(e.getInput()) + " contains a NUL character";
            }
            boolean isFile = !part.isFormField() || filename != null || badFilename != null;
            if (MultipartRules.isRequestField(field, isFile)) {
                String value = readField(part);
                if (field.equals("mode")) {
                    mode = IngestMode.fromJson(value);
                } else if (field.equals("metadata")) {
                    MultipartRules.requireMetadataObject(value);
                }
                continue;
            }
            int itemIndex = index++;
            if (itemIndex >= limits.getMaxParts()) {
                throw new EndpointError(400, "The request has more than " + limits.getMaxParts() + " attachments; at most "
                        + limits.getMaxParts() + " are accepted per request");
            }
            String error = MultipartRules.itemError(field, mode, isFile, filename, badFilename);
            if (error != null) {
                response.failure(itemIndex, filename == null || filename.isBlank() ? null : filename, error);
                continue;
            }
            Attachment a;
            try {
                a = Attachment.fromStream(filename, contentOf(part), contentTypeOf(part));
            } catch (InvalidContentException e) {
                response.failure(itemIndex, filename, e.getMessage());
                continue;
            }
            storeItem(itemIndex, a, response, accepted);
        }
        if (seen == 0) {
            throw new EndpointError(400, "The multipart body has no parts: it never contains the boundary given in its"
                    + " Content-Type (RFC 2046 requires at least one part)");
        }
        return accepted.answer(response);
    }

    private static String contentTypeOf(FileItemInput part) {
        String ct = part.getContentType();
        if (ct == null || ct.isBlank() || ct.equalsIgnoreCase("application/octet-stream")) {
            return null; // no declaration: detect from the bytes
        }
        return ct;
    }

    private static String readField(FileItemInput part) throws IOException {
        try (InputStream in = contentOf(part)) {
            byte[] bytes = in.readNBytes(MAX_FIELD_BYTES + 1);
            if (bytes.length > MAX_FIELD_BYTES) {
                throw new EndpointError(400, "Form field '" + part.getFieldName() + "' is longer than " + MAX_FIELD_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * Runs one step of the multipart parser: Commons FileUpload 2.0.0-M5 throws an unchecked
     * {@link IndexOutOfBoundsException} on some malformed bodies, which is a malformed body (400), not a 500.
     */
    private static <T> T guarded(IOSupplier<T> step) throws IOException {
        try {
            return step.get();
        } catch (IndexOutOfBoundsException e) {
            throw new FileUploadException("The multipart body is malformed: " + e.getMessage(), e);
        }
    }

    private static InputStream contentOf(FileItemInput part) throws IOException {
        return new java.io.FilterInputStream(guarded(part::getInputStream)) {
            @Override
            public int read() throws IOException {
                return guarded(in::read);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                java.util.Objects.checkFromIndexSize(off, len, b.length);
                return guarded(() -> in.read(b, off, len));
            }
        };
    }

    /** @return the limit that stopped the body if one did, else the failure itself as an answer */
    private static RuntimeException limitOr(BoundedBody body, Exception e) {
        if (body.tripped() != null) {
            return body.tripped();
        }
        EndpointError inChain = EndpointError.in(e);
        if (inChain != null) {
            return inChain;
        }
        if (e instanceof RuntimeException re) {
            return re;
        }
        if (e instanceof FileUploadException) {
            return new EndpointError(400, "The multipart body is malformed: " + e.getMessage(), e);
        }
        return new EndpointError(400, "Reading the request failed: " + e.getMessage(), e);
    }

    /**
     * Reads {@code ?wait=SECONDS} from the raw query string (not {@code getParameter}, which would make the servlet
     * container parse a multipart body before it is streamed here).
     */
    private Duration waitParameter(String query) {
        if (query == null) {
            return Duration.ZERO;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (!name.equals("wait")) {
                continue;
            }
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            double seconds;
            try {
                seconds = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                seconds = -1;
            }
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new EndpointError(400, "wait must be a number of seconds from 0, was " + StoragePaths.quote(value));
            }
            Duration asked = Duration.ofMillis((long) Math.min(seconds * 1000, Long.MAX_VALUE / 2));
            return asked.compareTo(limits.getMaxWait()) > 0 ? limits.getMaxWait() : asked;
        }
        return Duration.ZERO;
    }

    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** Deletes every file this request stored: it failed as a whole. */
    private void rollback(AcceptedAttachments accepted) {
        for (Attachment a : accepted.attachments()) {
            if (a.fileId() == null) {
                continue;
            }
            try {
                attachments.store().delete(a.fileId(), a.storagePath());
            } catch (StoredFileNotFoundException gone) {
                // already gone
            } catch (RuntimeException e) {
                LOG.warn("Could not delete '{}' ({}) while undoing a failed request", a.filename(), a.fileId(), e);
            }
        }
    }

    /** The request with its body read through the limit. */
    private static final class BodyOf extends HttpServletRequestWrapper {
        private final BoundedBody body;

        BodyOf(HttpServletRequest request, BoundedBody body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return body.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return body.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return false;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("attachkit reads uploads blocking");
                }
            };
        }
    }
}
