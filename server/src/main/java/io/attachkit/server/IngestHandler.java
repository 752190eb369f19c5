package io.attachkit.server;

import io.attachkit.internal.JsonMemoryBudget;
import io.attachkit.Attachment;
import io.attachkit.AttachmentException;
import io.attachkit.Attachments;
import io.attachkit.InvalidContentException;
import io.attachkit.ingest.AcceptedAttachments;
import io.attachkit.ingest.IngestMode;
import io.attachkit.ingest.MultipartRules;
import io.attachkit.ingest.QueryContext;
import io.attachkit.ingest.QueryPart;
import io.attachkit.ingest.QueryRequest;
import io.attachkit.ingest.TrackAttachmentsRequest;
import io.attachkit.ingest.TrackAttachmentsResponse;
import io.attachkit.ingest.TrackedItem;
import io.attachkit.internal.StoragePaths;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.util.Map;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /attachments} (the track-attachments request, as base64 JSON or multipart/form-data) and
 * {@code POST /query} (the agent query request). Every file goes through {@link Attachments#storeAndProcess};
 * a request that fails as a whole is undone by its {@link RequestScope}. A JSON body is read whole, so a JSON
 * request first reserves its share of the server's {@link JsonMemoryBudget} (503 when it cannot); multipart streams.
 */
final class IngestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(IngestHandler.class);
    /** Largest form field (conversation_id, metadata, mode) read into memory. */
    private static final int MAX_FIELD_BYTES = 64 * 1024;
    /** Longest a JSON request waits for its share of the memory budget before it is answered 503. */
    private static final long MAX_BUDGET_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
    /** The {@code Retry-After} sent with that 503, in seconds. */
    static final int RETRY_AFTER_SECONDS = 2;

    private final Attachments attachments;
    private final AttachmentRegistry registry;
    private final ServerLimits limits;
    private final AgentHandler agent;
    private final JsonMemoryBudget jsonBudget;
    private final SignedUrls signedUrls;

    IngestHandler(Attachments attachments, AttachmentRegistry registry, ServerLimits limits, AgentHandler agent, SignedUrls signedUrls) {
        this.signedUrls = signedUrls;
        this.attachments = attachments;
        this.registry = registry;
        this.limits = limits;
        this.agent = agent;
        this.jsonBudget = new JsonMemoryBudget(limits.jsonMemoryBudget());
    }

    /** @return the KiB of the JSON memory budget not reserved right now */
    int jsonBudgetAvailableKib() {
        return jsonBudget.availableKib();
    }

    // ------------------------------------------------------------------ POST /attachments

    void track(HttpServerExchange exchange) throws IOException {
        RequestScope scope = new RequestScope(attachments.store(), deadline());
        String type = Exchanges.mediaType(exchange);
        boolean json = type.equals("application/json") || type.isEmpty();
        LimitedBody body = body(exchange, scope, json ? limits.maxJsonBodySize() : limits.maxBodySize());
        if (!json && !type.equals("multipart/form-data")) {
            throw new HttpError(415, "POST /attachments takes application/json (mode base64) or multipart/form-data"
                    + " (mode form_data), not " + StoragePaths.quote(type));
        }
        // a JSON body is held whole (several times over) while it is handled; multipart streams and needs no share
        try (JsonMemoryBudget.Reservation heap = json ? reserveHeap(exchange, scope) : null) {
            TrackAttachmentsResponse response;
            AcceptedAttachments accepted = new AcceptedAttachments(Exchanges.waitParameter(exchange, limits.maxWait()));
            try {
                response = json ? trackJson(readJson(body), scope, accepted) : trackMultipart(exchange, body, scope, accepted);
            } catch (RuntimeException | IOException e) {
                scope.rollback();
                throw limitOr(body, e);
            }
            scope.storedAttachments().forEach(registry::remember);
            Exchanges.sendJson(exchange, 200, signedUrls.addTo(response.toMap()));
        }
    }

    private TrackAttachmentsResponse trackJson(String json, RequestScope scope, AcceptedAttachments accepted) {
        TrackAttachmentsRequest request = TrackAttachmentsRequest.fromJson(json);
        if (request.items().size() > limits.maxParts()) {
            throw new HttpError(400, "The request has " + request.items().size() + " attachments; at most "
                    + limits.maxParts() + " are accepted per request");
        }
        TrackAttachmentsResponse.Builder response = TrackAttachmentsResponse.builder();
        for (TrackedItem item : request.items()) {
            scope.checkDeadline();
            if (!item.valid()) {
                response.failure(item.index(), item.filename(), item.error());
                continue;
            }
            storeItem(item.index(), item.attachment(), scope, response, accepted);
        }
        scope.checkDeadline();
        return accepted.answer(response);
    }

    /**
     * Stores one item and queues its processing; it is answered (as stored, with its {@code processing_status})
     * once the request's items are all handled, after the request's {@code ?wait}.
     */
    private void storeItem(int index, Attachment a, RequestScope scope, TrackAttachmentsResponse.Builder response, AcceptedAttachments accepted) {
        try {
            CompletableFuture<Attachment> processed = attachments.storeAndProcessAsync(a);
            scope.stored(a);
            processed.thenAccept(registry::remember);
            accepted.add(index, a, processed);
        } catch (io.attachkit.ProcessingQueueFullException full) {
            throw full; // the whole request is refused (503 + Retry-After) and what it stored is rolled back
        } catch (AttachmentException e) {
            HttpError limit = Exchanges.limitIn(e);
            if (limit != null) {
                throw limit; // the request as a whole is over a limit: not this item's fault
            }
            response.failure(index, a.filename(), e.getMessage());
        }
    }

    private TrackAttachmentsResponse trackMultipart(HttpServerExchange exchange, LimitedBody body, RequestScope scope,
            AcceptedAttachments accepted) throws IOException {
        MultipartUpload upload = new MultipartUpload(16 * 1024);
        MultipartUpload.Request request = new MultipartUpload.Request(Exchanges.requestHeader(exchange, "Content-Type"),
                Exchanges.contentLength(exchange), body);
        FileItemInputIterator parts = MultipartUpload.guarded(() -> upload.getItemIterator(request));
        TrackAttachmentsResponse.Builder response = TrackAttachmentsResponse.builder();
        IngestMode mode = IngestMode.FORM_DATA; // multipart carries raw bytes unless the client says otherwise
        int index = 0;
        int seen = 0;
        while (MultipartUpload.guarded(parts::hasNext)) {
            FileItemInput part = MultipartUpload.guarded(parts::next);
            scope.checkDeadline();
            if (++seen > limits.maxParts() + 3) { // items plus conversation_id, metadata and mode
                throw new HttpError(400, "The request has more than " + limits.maxParts() + " parts; at most "
                        + limits.maxParts() + " attachments are accepted per request");
            }
            String field = part.getFieldName() == null ? "" : part.getFieldName();
            String filename;
            String badFilename = null;
            try {
                filename = filenameOf(part);
            } catch (InvalidContentException e) {
                filename = null;
                badFilename = e.getMessage();
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
            if (itemIndex >= limits.maxParts()) {
                throw new HttpError(400, "The request has more than " + limits.maxParts() + " attachments; at most "
                        + limits.maxParts() + " are accepted per request");
            }
            String error = MultipartRules.itemError(field, mode, isFile, filename, badFilename);
            if (error != null) {
                response.failure(itemIndex, filename == null || filename.isBlank() ? null : filename, error);
                continue;
            }
            Attachment a;
            try {
                a = Attachment.fromStream(filename, MultipartUpload.contentOf(part), contentTypeOf(part));
            } catch (InvalidContentException e) {
                response.failure(itemIndex, filename, e.getMessage());
                continue;
            }
            storeItem(itemIndex, a, scope, response, accepted);
        }
        if (seen == 0) {
            throw new HttpError(400, "The multipart body has no parts: it never contains the boundary given in its"
                    + " Content-Type (RFC 2046 requires at least one part)");
        }
        scope.checkDeadline();
        return accepted.answer(response);
    }

    /**
     * @return the part's filename, or {@code null} if it has none
     * @throws InvalidContentException if the filename holds a NUL character (Commons FileUpload refuses it with an
     *     unchecked {@link InvalidPathException}, which would otherwise surface as a 500)
     */
    static String filenameOf(FileItemInput part) {
        try {
            return part.getName();
        } catch (InvalidPathException e) {
            throw new InvalidContentException("the filename " + StoragePaths.quote(e.getInput()) + " contains a NUL character", e);
        }
    }

    private static String contentTypeOf(FileItemInput part) {
        String ct = part.getContentType();
        if (ct == null || ct.isBlank() || ct.equalsIgnoreCase("application/octet-stream")) {
            return null; // no declaration: detect from the bytes
        }
        return ct;
    }

    private static String readField(FileItemInput part) throws IOException {
        try (InputStream in = MultipartUpload.contentOf(part)) {
            byte[] bytes = in.readNBytes(MAX_FIELD_BYTES + 1);
            if (bytes.length > MAX_FIELD_BYTES) {
                throw new HttpError(400, "Form field '" + part.getFieldName() + "' is longer than " + MAX_FIELD_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    // ------------------------------------------------------------------ POST /query

    void query(HttpServerExchange exchange) throws IOException {
        RequestScope scope = new RequestScope(attachments.store(), deadline());
        LimitedBody body = body(exchange, scope, limits.maxJsonBodySize());
        String type = Exchanges.mediaType(exchange);
        if (!type.equals("application/json") && !type.isEmpty()) {
            throw new HttpError(415, "POST /query takes application/json, not " + StoragePaths.quote(type));
        }
        try (JsonMemoryBudget.Reservation heap = reserveHeap(exchange, scope)) {
            answerQuery(exchange, body, scope);
        }
    }

    private void answerQuery(HttpServerExchange exchange, LimitedBody body, RequestScope scope) throws IOException {
        QueryContext context;
        try {
            QueryRequest request = QueryRequest.fromJson(readJson(body));
            if (request.parts().size() > limits.maxParts()) {
                throw new HttpError(400, "The query has " + request.parts().size() + " parts; at most "
                        + limits.maxParts() + " are accepted per request");
            }
            List<CompletableFuture<Attachment>> processing = new ArrayList<>();
            for (QueryPart.File file : request.fileParts()) {
                scope.checkDeadline();
                try {
                    CompletableFuture<Attachment> processed = attachments.storeAndProcessAsync(file.attachment());
                    scope.stored(file.attachment());
                    processed.thenAccept(registry::remember);
                    processing.add(processed);
                } catch (io.attachkit.ProcessingQueueFullException full) {
                    throw full;
                } catch (AttachmentException e) {
                    LOG.info("Query file part {} ('{}') was not stored: {}", file.index(), file.name(), e.getMessage());
                }
            }
            // the agent gets its context once processing is done, or what is done at the query timeout (each file's
            // processing_status says which are still running)
            AcceptedAttachments.awaitAll(processing, limits.queryTimeout());
            scope.checkDeadline();
            context = QueryContext.of(request.kwargs(), request.parts());
        } catch (RuntimeException | IOException e) {
            scope.rollback();
            throw limitOr(body, e);
        }
        scope.storedAttachments().forEach(registry::remember);
        Map<String, ?> answer;
        try {
            answer = agent.answer(context);
        } catch (Exception e) {
            LOG.warn("The agent handler failed", e);
            throw new HttpError(500, "The agent failed: " + e.getMessage(), e);
        }
        Exchanges.sendJson(exchange, 200, signedUrls.addTo(answer));
    }

    // ------------------------------------------------------------------ shared

    private long deadline() {
        return System.nanoTime() + limits.requestTimeout().toNanos();
    }

    private LimitedBody body(HttpServerExchange exchange, RequestScope scope, long maxBytes) {
        long declared = Exchanges.contentLength(exchange);
        if (declared > maxBytes) {
            throw new HttpError(413, "The request body (" + declared + " bytes) is larger than the limit of "
                    + maxBytes + " bytes; nothing of it was stored");
        }
        return new LimitedBody(exchange.getInputStream(), maxBytes, scope.deadlineNanos());
    }

    /**
     * Reserves this JSON request's share of the {@link JsonMemoryBudget}: for its declared body size, or for the
     * largest JSON body when the size is not declared (chunked).
     *
     * @throws HttpError 503 with {@code Retry-After} when the share cannot be had within
     *     {@link #MAX_BUDGET_WAIT_NANOS} (or before the request's deadline); nothing of the body has been read then
     */
    private JsonMemoryBudget.Reservation reserveHeap(HttpServerExchange exchange, RequestScope scope) {
        long declared = Exchanges.contentLength(exchange);
        long size = declared >= 0 ? declared : limits.maxJsonBodySize();
        long wait = Math.min(MAX_BUDGET_WAIT_NANOS, scope.deadlineNanos() - System.nanoTime());
        JsonMemoryBudget.Reservation reservation;
        try {
            reservation = jsonBudget.reserve(size, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reservation = null;
        }
        if (reservation == null) {
            Exchanges.setHeader(exchange, "Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
            throw new HttpError(503, "The server is already handling as many JSON request bodies as its memory budget"
                    + " allows; nothing of this request was read or stored. Retry after " + RETRY_AFTER_SECONDS
                    + " s, or send the files as multipart/form-data (streamed, not held in memory)");
        }
        return reservation;
    }

    private static String readJson(LimitedBody body) throws IOException {
        return new String(body.readAllBounded(), StandardCharsets.UTF_8);
    }

    /** @return the limit that stopped the body if one did, else the failure itself */
    private static RuntimeException limitOr(LimitedBody body, Exception e) {
        if (body.tripped() != null) {
            return body.tripped();
        }
        HttpError inChain = Exchanges.limitIn(e);
        if (inChain != null) {
            return inChain;
        }
        if (e instanceof RuntimeException re) {
            return re;
        }
        if (e instanceof org.apache.commons.fileupload2.core.FileUploadException) {
            return new HttpError(400, "The multipart body is malformed: " + e.getMessage(), e);
        }
        return new HttpError(400, "Reading the request failed: " + e.getMessage(), e);
    }
}
