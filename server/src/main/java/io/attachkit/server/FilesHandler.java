package io.attachkit.server;

import io.attachkit.FileStore;
import io.attachkit.serving.FileServing;
import io.attachkit.serving.FileUrlSigner;
import io.attachkit.serving.ServingRequest;
import io.attachkit.serving.ServingResponse;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.xnio.channels.StreamSinkChannel;

/**
 * {@code GET/HEAD /files/{storage_path}} on Undertow: {@link FileServing} decides the answer (the engine-neutral
 * serving rules); this writes it, with {@code sendfile} ({@link FileChannel#transferTo}) when the store keeps the file
 * on local disk, and with a plain copy otherwise.
 */
final class FilesHandler {
    static final String PREFIX = "/files/";
    private static final int BUFFER = 64 * 1024;

    /** Bodies from this size on are sent corked: below it a body leaves in a few segments anyway. */
    private static final long CORK_FROM = 1024 * 1024;

    private final FileServing serving;
    private final long stallNanos;
    private final TcpCork cork;

    /**
     * @param store the store to serve
     * @param stallMillis how long a client may go without taking any bytes before the download is given up
     * @param cork how large files' sockets are corked (or not, where the JVM does not allow it)
     */
    FilesHandler(FileStore store, long stallMillis, TcpCork cork) {
        this.serving = new FileServing(store);
        this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMillis);
        this.cork = cork;
    }

    void handle(HttpServerExchange exchange, String rawPath) throws IOException {
        String storagePath = rawPath.startsWith(PREFIX) ? rawPath.substring(PREFIX.length()) : "";
        ServingResponse r = serving.respond(ServingRequest.of(exchange.getRequestMethod().toString(), storagePath,
                name -> Exchanges.requestHeader(exchange, name)));
        // opened before any header is set: a file deleted since its metadata was read is a clean 404 JSON
        try (ReadableByteChannel body = r.hasBody() ? serving.openBody(r) : null) {
            answer(exchange, r, body);
        }
    }

    private void answer(HttpServerExchange exchange, ServingResponse r, ReadableByteChannel body) throws IOException {
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            Exchanges.setHeader(exchange, h.getKey(), h.getValue());
        }
        String disposition = r.headers().get("Content-Disposition");
        if (exchange.getAttachment(Guard.DISPOSITION) == FileUrlSigner.Disposition.ATTACHMENT && disposition != null
                && disposition.startsWith("inline")) {
            // the link was signed as a download: the signature covers the disposition, so it cannot be turned inline
            Exchanges.setHeader(exchange, "Content-Disposition", "attachment" + disposition.substring("inline".length()));
        }
        if (r.error() != null) {
            throw new HttpError(r.status(), r.error());
        }
        exchange.setStatusCode(r.status());
        if (body == null) {
            exchange.endExchange();
        } else if (body instanceof FileChannel file) {
            sendFile(exchange, file, r.bodyStart(), r.bodyLength());
        } else {
            copy(body, exchange.getOutputStream(), r.bodyLength());
        }
    }

    /** Zero-copy: Undertow's socket conduit turns {@code transferFrom} into {@code FileChannel.transferTo}. */
    private void sendFile(HttpServerExchange exchange, FileChannel file, long start, long length) throws IOException {
        StreamSinkChannel sink = exchange.getResponseChannel();
        long lastProgress = System.nanoTime();
        // the head goes out first: a transferFrom that has to write the head along with the first bytes miscounts the
        // fixed length, and Undertow then truncates the response and closes the kept-alive connection
        lastProgress = flush(sink, lastProgress);
        long position = start;
        long left = length;
        try (TcpCork.Corked corked = length >= CORK_FROM ? cork.cork(exchange) : TcpCork.Corked.NONE) {
            while (left > 0) {
                long n = sink.transferFrom(file, position, left);
                if (n > 0) {
                    position += n;
                    left -= n;
                    lastProgress = System.nanoTime();
                    if (left > 0) {
                        // a short send means the socket is full: wait until it has room for a batch, as nginx
                        // does, rather than send each sliver the client frees (20x fewer calls on 100 MiB)
                        sink.awaitWritable(1, TimeUnit.SECONDS);
                    }
                } else if (position >= file.size()) {
                    throw new IOException("The stored file ended " + left + " bytes early");
                } else if (System.nanoTime() - lastProgress > stallNanos) {
                    throw new IOException("The client took no bytes for " + TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s");
                } else {
                    sink.awaitWritable(1, TimeUnit.SECONDS);
                }
            }
        }
        sink.shutdownWrites();
        flush(sink, lastProgress);
    }

    private long flush(StreamSinkChannel sink, long lastProgress) throws IOException {
        while (!sink.flush()) {
            if (System.nanoTime() - lastProgress > stallNanos) {
                throw new IOException("The client took no bytes for " + TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s");
            }
            sink.awaitWritable(1, TimeUnit.SECONDS);
        }
        return System.nanoTime();
    }

    private static void copy(ReadableByteChannel in, OutputStream out, long length) throws IOException {
        byte[] buf = new byte[BUFFER];
        ByteBuffer wrap = ByteBuffer.wrap(buf);
        long left = length;
        try (OutputStream o = out) {
            while (left > 0) {
                wrap.clear().limit((int) Math.min(buf.length, left));
                int n = in.read(wrap);
                if (n < 0) {
                    throw new IOException("The stored file ended " + left + " bytes early");
                }
                o.write(buf, 0, n);
                left -= n;
            }
        }
    }
}
