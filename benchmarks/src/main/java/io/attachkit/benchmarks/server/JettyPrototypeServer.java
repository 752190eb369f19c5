package io.attachkit.benchmarks.server;

import io.attachkit.Attachment;
import io.attachkit.AttachmentException;
import io.attachkit.Attachments;
import io.attachkit.StorageLimits;
import io.attachkit.ingest.TrackAttachmentsRequest;
import io.attachkit.ingest.TrackAttachmentsResponse;
import io.attachkit.ingest.TrackedItem;
import io.attachkit.serving.FileServing;
import io.attachkit.serving.ServingRequest;
import io.attachkit.serving.ServingResponse;
import io.attachkit.storage.local.LocalFileStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A Jetty 12 prototype of the server's two hot paths, for {@code benchmarks/server-engines.sh} to measure against
 * Undertow before choosing an engine: {@code GET /files/...} through the same engine-neutral {@link FileServing} rules,
 * sent as a memory-mapped buffer (Jetty 12 has no sendfile), and {@code POST /attachments} in JSON (base64) mode through
 * the same core calls as the server. Not a server to run: no limits, no error JSON, no lingering close.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.attachkit.benchmarks.server.JettyPrototypeServer STORE_ROOT PORT
 * </pre>
 */
public final class JettyPrototypeServer {
    private JettyPrototypeServer() {
    }

    /**
     * @param args the local store's root and the port
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        LocalFileStore store = LocalFileStore.builder().root(Path.of(args[0])).limits(StorageLimits.defaults()).build();
        Attachments attachments = Attachments.builder().store(store).build();
        FileServing serving = new FileServing(store);
        Server server = new Server(new QueuedThreadPool(16, 4));
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[1]));
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = request.getHttpURI().getPath();
                if (path.startsWith("/files/")) {
                    files(serving, request, response, callback, path.substring("/files/".length()));
                } else if (path.equals("/attachments") && request.getMethod().equals("POST")) {
                    track(attachments, request, response, callback);
                } else {
                    Response.writeError(request, response, callback, 404);
                }
                return true;
            }
        });
        server.start();
        System.out.println("jetty prototype listening on 127.0.0.1:" + connector.getLocalPort());
        server.join();
    }

    private static void files(FileServing serving, Request request, Response response, Callback callback, String storagePath)
            throws Exception {
        ServingResponse r;
        try {
            r = serving.respond(ServingRequest.of(request.getMethod(), storagePath, name -> request.getHeaders().get(name)));
        } catch (AttachmentException e) {
            Response.writeError(request, response, callback, 404);
            return;
        }
        response.setStatus(r.status());
        r.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        if (!r.hasBody()) {
            response.write(true, null, callback);
            return;
        }
        try (ReadableByteChannel body = serving.openBody(r)) {
            ByteBuffer bytes = body instanceof FileChannel file
                    ? file.map(FileChannel.MapMode.READ_ONLY, r.bodyStart(), r.bodyLength())
                    : ByteBuffer.wrap(Channels.readAll(body, r.bodyLength()));
            response.write(true, bytes, callback); // a mapping stays valid after its channel is closed
        }
    }

    private static void track(Attachments attachments, Request request, Response response, Callback callback) throws Exception {
        String json;
        try (InputStream in = Content.Source.asInputStream(request)) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        TrackAttachmentsRequest parsed = TrackAttachmentsRequest.fromJson(json);
        TrackAttachmentsResponse.Builder answer = TrackAttachmentsResponse.builder();
        for (TrackedItem item : parsed.items()) {
            if (!item.valid()) {
                answer.failure(item.index(), item.filename(), item.error());
                continue;
            }
            Attachment a = item.attachment();
            try {
                attachments.storeAndProcess(a);
                answer.success(item.index(), a);
            } catch (AttachmentException e) {
                answer.failure(item.index(), a.filename(), e.getMessage());
            }
        }
        byte[] bytes = answer.build().toJson().getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.getHeaders().put("Content-Type", "application/json; charset=utf-8");
        response.getHeaders().put("Content-Length", String.valueOf(bytes.length));
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            out.write(bytes);
        }
        callback.succeeded();
    }

    /** Reads a channel whole (a store without local files). */
    private static final class Channels {
        private Channels() {
        }

        static byte[] readAll(ReadableByteChannel in, long length) throws java.io.IOException {
            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(length));
            while (b.hasRemaining() && in.read(b) >= 0) {
                // keep reading
            }
            return b.array();
        }
    }
}
