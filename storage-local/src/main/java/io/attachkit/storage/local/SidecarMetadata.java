package io.attachkit.storage.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.attachkit.StoredFile;
import io.attachkit.internal.mime.MimeDetector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and writes the small JSON file that keeps a stored file's metadata next to it. */
final class SidecarMetadata {
    private static final Logger LOG = LoggerFactory.getLogger(SidecarMetadata.class);
    private static final int MAX_SIDECAR_BYTES = 16 * 1024;
    private final ObjectMapper mapper = new ObjectMapper();
    private final MimeDetector detector = new MimeDetector();

    byte[] toJson(StoredFile f) throws IOException {
        ObjectNode n = mapper.createObjectNode();
        n.put("file_id", f.fileId());
        n.put("storage_path", f.storagePath());
        n.put("filename", f.filename());
        n.put("mime_type", f.mimeType());
        n.put("size", f.size());
        n.put("sha256", f.sha256());
        n.put("created_at", f.createdAt().toString());
        return mapper.writeValueAsBytes(n);
    }

    /** @return the metadata, or {@code null} if the sidecar is missing or unreadable (then we fall back) */
    StoredFile read(Path sidecar) {
        try {
            if (Files.size(sidecar) > MAX_SIDECAR_BYTES) {
                return null;
            }
            JsonNode n = mapper.readTree(Files.readAllBytes(sidecar));
            return new StoredFile(n.path("file_id").asText(), n.path("storage_path").asText(), "local",
                    n.path("size").asLong(-1), textOrNull(n, "sha256"), textOrNull(n, "mime_type"),
                    Instant.parse(n.path("created_at").asText()), textOrNull(n, "filename"));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Ignoring unreadable metadata {}: {}", sidecar, e.toString());
            return null;
        }
    }

    String guessMimeType(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return detector.detect(in.readNBytes(detector.headerLength()), file.getFileName().toString(), null).mimeType();
        } catch (IOException e) {
            return null;
        }
    }

    private static String textOrNull(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }
}
