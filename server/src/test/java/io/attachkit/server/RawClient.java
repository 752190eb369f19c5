package io.attachkit.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A client on a plain socket that sends a request's head and body in pieces, when the test says so. */
final class RawClient implements AutoCloseable {
    final Socket socket = new Socket();
    private final OutputStream out;

    RawClient(int port, int readTimeoutMillis) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(readTimeoutMillis);
        out = socket.getOutputStream();
    }

    /** Sends a POST's head declaring {@code contentLength}. */
    RawClient head(String path, String contentType, long contentLength) throws IOException {
        return send(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + contentLength + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** @return everything the server sends until it closes the connection */
    String readToEnd() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
