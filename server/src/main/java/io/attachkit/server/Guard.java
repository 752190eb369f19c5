package io.attachkit.server;

import io.attachkit.serving.FileUrlSigner;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides, from the path alone and before anything is looked up or read, whether a request may go on: attachment
 * JSON needs a read key, uploads and queries a read-write key, {@code /files} a read key or a valid signed URL.
 * A key presented must be valid, even beside a signed URL. Without configured keys everything is open. A refusal is an {@link HttpError} (401 with
 * {@code WWW-Authenticate: Bearer}, or 403) whose message says nothing about the requested id.
 */
final class Guard {
    /** The id of the key a request was made with, for the access log. */
    static final AttachmentKey<String> KEY_ID = AttachmentKey.create(String.class);
    /** How a signed {@code /files} URL lets the file be shown. */
    static final AttachmentKey<FileUrlSigner.Disposition> DISPOSITION = AttachmentKey.create(FileUrlSigner.Disposition.class);
    private static final String CHALLENGE = "Bearer realm=\"attachkit\"";

    private final ApiKeys keys;
    private final FileUrlSigner signer;
    private final boolean publicFiles;

    Guard(ApiKeys keys, FileUrlSigner signer, boolean publicFiles) {
        this.keys = keys;
        this.signer = signer;
        this.publicFiles = publicFiles;
    }

    /** @return whether requests need no key at all */
    boolean open() {
        return !keys.configured();
    }

    /**
     * @param exchange the request
     * @param path its raw path
     * @throws HttpError 401 or 403 if it may not go on
     */
    void check(HttpServerExchange exchange, String path) {
        if (open()) {
            return;
        }
        if (path.startsWith(FilesHandler.PREFIX)) {
            if (!publicFiles) {
                checkFiles(exchange, path);
            }
        } else if (path.equals("/attachments") || path.equals("/query")) {
            require(exchange, ApiKeyScope.READ_WRITE, path);
        } else if (path.startsWith("/attachments/")) {
            String method = exchange.getRequestMethod().toString();
            // reading needs a read key; any other method (there is none to delete yet) counts as a write
            require(exchange, method.equals("GET") || method.equals("HEAD") ? ApiKeyScope.READ : ApiKeyScope.READ_WRITE, path);
        }
    }

    private void checkFiles(HttpServerExchange exchange, String path) {
        String bearer = bearer(exchange);
        if (bearer != null) {
            Optional<ApiKeys.Holder> holder = keys.authenticate(bearer);
            if (holder.isEmpty()) {
                // a key presented is checked even when the URL is signed: a revoked or mistyped key is said so (RFC 6750
                // invalid_token), rather than working here and failing on the next JSON call
                throw unauthorized(exchange, true, null);
            }
            exchange.putAttachment(KEY_ID, holder.get().id()); // any scope may read
            return;
        }
        FileUrlSigner.Check check = signer.verify(path, name -> first(exchange, name));
        switch (check) {
            case VALID -> exchange.putAttachment(DISPOSITION, FileUrlSigner.dispositionOf(first(exchange, FileUrlSigner.DISPOSITION)));
            case EXPIRED -> throw new HttpError(403, "This signed URL has expired; ask for the attachment's JSON again for a fresh signed_url");
            case INVALID -> throw new HttpError(403, "This signed URL is not valid (altered, for another path, or signed with a key no longer in use)");
            case ABSENT -> throw unauthorized(exchange, false,
                    "/files needs an API key (Authorization: Bearer <key>) or a signed URL (the signed_url in the attachment's JSON)");
        }
    }

    private void require(HttpServerExchange exchange, ApiKeyScope needed, String path) {
        String bearer = bearer(exchange);
        Optional<ApiKeys.Holder> holder = bearer == null ? Optional.empty() : keys.authenticate(bearer);
        if (holder.isEmpty()) {
            throw unauthorized(exchange, bearer != null, "This endpoint needs an API key: Authorization: Bearer <key>");
        }
        exchange.putAttachment(KEY_ID, holder.get().id());
        if (!holder.get().scope().covers(needed)) {
            throw new HttpError(403, "The key " + holder.get().id() + " is " + holder.get().scope().token() + "; "
                    + exchange.getRequestMethod() + " " + (path.startsWith("/attachments/") ? "/attachments/{file_id}" : path)
                    + " needs a " + needed.token() + " key");
        }
    }

    private static HttpError unauthorized(HttpServerExchange exchange, boolean presented, String message) {
        Exchanges.setHeader(exchange, "WWW-Authenticate", presented ? CHALLENGE + ", error=\"invalid_token\"" : CHALLENGE);
        return new HttpError(401, presented ? "The API key is not valid (unknown or revoked)" : message);
    }

    /** @return the bearer token, or {@code null} when there is none */
    static String bearer(HttpServerExchange exchange) {
        String h = exchange.getRequestHeaders().getFirst("Authorization");
        if (h == null) {
            return null;
        }
        String v = h.strip();
        if (v.length() < 7 || !v.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return ""; // presented, but not a bearer key: refused as an invalid one
        }
        return v.substring(7).strip();
    }

    private static String first(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
