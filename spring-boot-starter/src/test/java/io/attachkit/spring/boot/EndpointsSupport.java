package io.attachkit.spring.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.test.web.server.LocalServerPort;

/** HTTP helpers for tests against the application on its random port. */
abstract class EndpointsSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient client = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpResponse<byte[]> post(String path, String contentType, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(byte[] body) throws Exception {
        return JSON.readValue(body, Map.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> item(Map<String, Object> answer, int i) {
        return ((List<Map<String, Object>>) answer.get("items")).get(i);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> attachment(Map<String, Object> item) {
        return (Map<String, Object>) item.get("attachment");
    }

    static Map<String, Object> error(int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("error", message);
        return m;
    }
}
