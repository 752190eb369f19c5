package io.attachkit.server;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attachkit.StorageLimits;
import io.attachkit.storage.local.LocalFileStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/** A real server on an ephemeral loopback port over a real local store, with an HTTP client. */
final class ServerFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    final Path root;
    final LocalFileStore store;
    final AttachkitServer server;
    final HttpClient client = HttpClient.newHttpClient();

    ServerFixture(Path root, ServerLimits limits, StorageLimits storageLimits) {
        this.root = root;
        this.store = LocalFileStore.builder().root(root).limits(storageLimits).build();
        this.server = AttachkitServer.builder().store(store).port(0).limits(limits).build().start();
    }

    ServerFixture(Path root) {
        this(root, ServerLimits.defaults(), StorageLimits.defaults());
    }

    URI uri(String rawPath) {
        return URI.create(server.baseUri() + rawPath);
    }

    HttpResponse<String> get(String rawPath, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(rawPath)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String rawPath, String contentType, byte[] body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(rawPath)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, Object> json(String body) throws IOException {
        return JSON.readValue(body, new TypeReference<>() { });
    }

    /** @return how many stored content files the store's directory holds (sidecars and temp files excluded) */
    long storedFileCount() {
        return store.fileCount();
    }

    long filesOnDisk() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
