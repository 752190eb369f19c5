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

    /** An answer's status line and headers (names in lower case), as read off the socket. */
    record Head(int status, java.util.Map<String, String> headers) {
        /** @return the Content-Length, or -1 when there is none */
        long contentLength() {
            String v = headers.get("content-length");
            return v == null ? -1 : Long.parseLong(v);
        }
    }

    /**
     * Reads one answer's head, leaving {@code in} at its body.
     *
     * @return the head, or {@code null} when the connection ended before the answer began
     * @throws java.io.EOFException if it ended inside the head
     */
    static Head readHead(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null || statusLine.isEmpty()) {
            return null;
        }
        java.util.Map<String, String> headers = new java.util.HashMap<>();
        for (String h; !(h = line(in)).isEmpty(); ) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), h.substring(colon + 1).trim());
        }
        return new Head(Integer.parseInt(statusLine.split(" ")[1]), headers);
    }

    /** @return the next line without its CR LF; {@code null} at once at the end of the stream */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                return sb.toString().replace("\r", "");
            }
            sb.append((char) b);
        }
        if (sb.length() == 0) {
            return null;
        }
        throw new java.io.EOFException("the connection ended inside an answer's head");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
