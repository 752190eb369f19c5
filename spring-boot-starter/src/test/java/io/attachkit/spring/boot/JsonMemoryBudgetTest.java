package io.attachkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * JSON uploads share one heap budget, as in the standalone server: while one JSON body holds the whole budget, another
 * JSON request is answered 503 with Retry-After and the server's JSON, and multipart (streamed) is still accepted.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "attachkit.store=file:target/json-budget-store",
        "attachkit.web.enabled=true",
        "attachkit.web.json-memory-budget=64KB"})
class JsonMemoryBudgetTest extends EndpointsSupport {

    @Test
    void aJsonRequestBeyondTheBudget_is503WithRetryAfter_whileMultipartStillStreams() throws Exception {
        byte[] held = ("{\"attachments\":[{\"filename\":\"held.txt\",\"data\":\""
                + Base64.getEncoder().encodeToString("h".repeat(30_000).getBytes(StandardCharsets.US_ASCII)) + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] small = ("{\"attachments\":[{\"filename\":\"small.txt\",\"data\":\""
                + Base64.getEncoder().encodeToString("small".getBytes(StandardCharsets.US_ASCII)) + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        try (Socket first = new Socket("127.0.0.1", port)) {
            // its head and half its body, then it holds: its share (4 x 40 KB, capped) is the whole budget
            OutputStream out = first.getOutputStream();
            out.write(("POST /attachments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                    + held.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(Arrays.copyOf(held, held.length / 2));
            out.flush();

            HttpResponse<byte[]> refused = null;
            for (int attempt = 0; attempt < 20 && refused == null; attempt++) {
                HttpResponse<byte[]> r = post("/attachments", "application/json", small);
                if (r.statusCode() == 503) {
                    refused = r;
                } else {
                    assertThat(r.statusCode()).isEqualTo(200); // the held request had not reached its handler yet
                }
            }
            assertThat(refused).as("a 503 while the first request holds the budget").isNotNull();
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
            assertThat(json(refused.body())).isEqualTo(error(503, "The server is already handling as many JSON request"
                    + " bodies as its memory budget allows; nothing of this request was read or stored. Retry after 2 s,"
                    + " or send the files as multipart/form-data (streamed, not held in memory)"));

            Multipart mp = new Multipart().file("f", "streamed.txt", "text/plain", "streamed".getBytes(StandardCharsets.US_ASCII));
            assertThat(post("/attachments", mp.contentType(), mp.build()).statusCode()).isEqualTo(200);
        }
        // the first request gave its share back when its connection went away
        HttpResponse<byte[]> after = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            after = post("/attachments", "application/json", small);
            if (after.statusCode() == 200) {
                break;
            }
        }
        assertThat(after.statusCode()).isEqualTo(200);
    }
}
