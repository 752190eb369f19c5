package io.attachkit.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.attachkit.StoredFile;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Shared output helpers for the commands. */
final class Cli {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Cli() {
    }

    static void printJson(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON: " + e.getOriginalMessage(), e);
        }
        out.flush();
    }

    static Map<String, Object> describe(StoredFile f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file_id", f.fileId());
        m.put("storage_path", f.storagePath());
        m.put("filename", f.filename());
        m.put("mime_type", f.mimeType());
        m.put("size", f.size());
        m.put("sha256", f.sha256());
        m.put("created_at", f.createdAt() == null ? null : f.createdAt().toString());
        m.put("storage_backend", f.storageBackend());
        m.put("url", f.url());
        return m;
    }

    static Map<String, Object> error(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        return m;
    }

    /** @return an id from an id, a storage path, or a /files/ URL path */
    static String fileIdOf(String idOrPath) {
        String v = idOrPath.startsWith("/files/") ? idOrPath.substring("/files/".length()) : idOrPath;
        return v.contains("/") ? io.attachkit.internal.StoragePaths.fileIdOf(v) : io.attachkit.internal.StoragePaths.requireFileId(v);
    }
}
