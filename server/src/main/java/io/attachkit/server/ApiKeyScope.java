package io.attachkit.server;

import java.util.Locale;

/** What an API key may do: read attachments' JSON and files, or also store (upload, query). */
public enum ApiKeyScope {
    /** {@code GET/HEAD /attachments/{file_id}} and {@code /files}. */
    READ,
    /** Everything {@link #READ} may, plus {@code POST /attachments} and {@code POST /query}. */
    READ_WRITE;

    /** @return the scope as written in key files and on the command line: {@code read} or {@code read-write} */
    public String token() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param needed the scope a request needs
     * @return whether a key of this scope may make it
     */
    public boolean covers(ApiKeyScope needed) {
        return this == READ_WRITE || needed == READ;
    }

    /**
     * @param token {@code read} or {@code read-write} (case-insensitive)
     * @return the scope
     * @throws IllegalArgumentException if the token is neither
     */
    public static ApiKeyScope parse(String token) {
        String t = token == null ? "" : token.trim().toLowerCase(Locale.ROOT);
        for (ApiKeyScope s : values()) {
            if (s.token().equals(t)) {
                return s;
            }
        }
        throw new IllegalArgumentException("scope must be read or read-write, was \"" + token + "\"");
    }
}
