package io.attachkit.storage.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A TCP proxy on loopback between an S3 client and an S3 server that injects network faults on command.
 *
 * <p>Bytes are copied unchanged in both directions. In the client-to-server direction the proxy follows just
 * enough HTTP/1.1 to know where each request starts and how far into its body it is (request line and
 * {@code Content-Length}; a connection using {@code Transfer-Encoding: chunked} is passed through untouched),
 * so a fault can hit a chosen kind of request at a chosen byte of its body. One fault plan is armed at a time
 * ({@link #arm(Fault, Predicate, long, int)}); each time a request matching the plan's filter reaches the
 * plan's byte offset, the fault fires, until the plan's budget is spent. The kinds:
 * <ul>
 *   <li>{@link Fault#RESET}: the client connection is closed with a TCP RST ({@code SO_LINGER 0}), the
 *       server connection closed: the client sees "Connection reset" or "Broken pipe" mid-request.</li>
 *   <li>{@link Fault#BLACK_HOLE}: the proxy stops forwarding and never answers, but keeps reading (and
 *       discarding) what the client sends, like a server that hangs after accepting a request: only the
 *       client's read (socket) timeout can end the wait.</li>
 *   <li>{@link Fault#FREEZE}: the proxy stops reading from the client and never answers, like a peer that
 *       hangs with a full receive window: the client's write blocks once the TCP buffers are full, which no
 *       socket read timeout covers.</li>
 *   <li>{@link Fault#SLOW_DOWN}: instead of forwarding the request, the proxy answers it itself with S3's
 *       {@code 503 SlowDown} error (and {@code Connection: close}), before any of its body is sent upstream.</li>
 *   <li>{@link Fault#KILL}: {@link #kill()}, then the {@link #onKill(Runnable)} action (e.g. stop the real
 *       server and schedule its restart).</li>
 *   <li>{@link Fault#REFUSE_CHECKSUM}: like {@link Fault#SLOW_DOWN}, but the answer is the
 *       {@code 400 BadRequest (Value for x-amz-checksum-crc32c header is invalid.)} of a server that does not
 *       support the checksum the request carries (the reply S3Mock gives a FULL_OBJECT CRC32C).</li>
 *   <li>{@link Fault#CORRUPT}: the byte at the plan's offset of the body is flipped on its way to the server and
 *       the rest forwarded unchanged, like damage in transit that no TCP checksum caught.</li>
 * </ul>
 * {@link #kill()} makes the server vanish: every open connection is reset and new ones are refused until
 * {@link #revive()} listens again on the same port.
 *
 * <p>Every fault that fires is counted ({@link #injected(Fault)}, {@link #totalInjected()}). Threads are daemons,
 * two per connection; {@link #close()} stops everything.
 */
final class FaultProxy implements AutoCloseable {
    /** What happens to a request the armed plan hits. */
    enum Fault { RESET, BLACK_HOLE, FREEZE, SLOW_DOWN, KILL, REFUSE_CHECKSUM, CORRUPT }

    /** Request lines of S3 UploadPart requests ({@code PUT /bucket/key?partNumber=..&uploadId=..}). */
    static final Predicate<String> UPLOAD_PART = line -> line.startsWith("PUT ") && line.contains("partNumber=");
    /** Request lines of single-request uploads (a PUT that is not a part and not a copy). */
    static final Predicate<String> PUT_OBJECT = line -> line.startsWith("PUT ") && !line.contains("partNumber=")
            && !line.contains("uploadId=");
    /** Request lines of CompleteMultipartUpload ({@code POST ...?uploadId=..}). */
    static final Predicate<String> COMPLETE_UPLOAD = line -> line.startsWith("POST ") && line.contains("uploadId=");
    /** Request lines of CreateMultipartUpload ({@code POST ...?uploads}). */
    static final Predicate<String> CREATE_UPLOAD = line -> line.startsWith("POST ") && line.contains("?uploads");
    /** Every request. */
    static final Predicate<String> ANY = line -> true;

    private static final int MAX_HEAD = 64 * 1024;
    /** A fixed receive buffer (no autotuning), so a {@link Fault#FREEZE} fills the client's buffers soon. */
    private static final int RECEIVE_BUFFER = 256 * 1024;
    /** {@code \r\n\r\n} as four bytes of an int. */
    private static final int BLANK_LINE = 0x0d0a0d0a;
    private static final byte[] SLOW_DOWN_BODY = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
            + "<Message>Please reduce your request rate.</Message><RequestId>faultproxy</RequestId></Error>")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] REFUSE_CHECKSUM_BODY = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>BadRequest"
            + "</Code><Message>Value for x-amz-checksum-crc32c header is invalid.</Message><RequestId>faultproxy</RequestId>"
            + "</Error>").getBytes(StandardCharsets.UTF_8);

    private final int upstreamPort;
    private final int port;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);
    private volatile Runnable onKill = () -> { };
    private volatile Plan plan;
    private volatile ServerSocket listener;
    private volatile boolean closed;

    /**
     * Starts listening on a free loopback port.
     *
     * @param upstreamPort the loopback port of the real server
     */
    FaultProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        for (Fault f : Fault.values()) {
            injected.put(f, new AtomicInteger());
        }
        ServerSocket first = new ServerSocket();
        first.setReceiveBufferSize(RECEIVE_BUFFER);
        first.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        this.port = first.getLocalPort();
        listen(first);
    }

    /** @return the endpoint clients use instead of the server's */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /**
     * Arms a fault plan, replacing any other.
     *
     * @param fault what to do
     * @param requests which requests it hits (their request line, e.g. {@link #UPLOAD_PART})
     * @param afterBodyBytes how many bytes of the request body pass before it fires ({@link Fault#SLOW_DOWN}
     *     fires before the body whatever this says)
     * @param times how many times it fires, then the proxy is healthy again ({@link Integer#MAX_VALUE}: until
     *     {@link #heal()})
     */
    void arm(Fault fault, Predicate<String> requests, long afterBodyBytes, int times) {
        arm(fault, requests, head -> true, afterBodyBytes, times);
    }

    /**
     * Arms a fault plan for requests whose head (request line and headers, lower-cased) also matches.
     *
     * @param fault what to do
     * @param requests which requests it hits (their request line)
     * @param heads which of those it hits, by their lower-cased head, e.g. {@code h -> h.contains("x-amz-checksum-crc32c:")}
     * @param afterBodyBytes see {@link #arm(Fault, Predicate, long, int)}
     * @param times see {@link #arm(Fault, Predicate, long, int)}
     */
    void arm(Fault fault, Predicate<String> requests, Predicate<String> heads, long afterBodyBytes, int times) {
        boolean answers = fault == Fault.SLOW_DOWN || fault == Fault.REFUSE_CHECKSUM;
        plan = new Plan(fault, requests, heads, answers ? 0 : afterBodyBytes, times);
    }

    /** Disarms the plan; connections already faulted stay as they are. */
    void heal() {
        plan = null;
    }

    /** @return how often a fault of this kind fired */
    int injected(Fault fault) {
        return injected.get(fault).get();
    }

    /** @return faults fired of every kind */
    int totalInjected() {
        return injected.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** @param action what a {@link Fault#KILL} does after {@link #kill()}, on the proxy's thread */
    void onKill(Runnable action) {
        this.onKill = action;
    }

    /**
     * Resets every open connection and refuses new ones (the port is closed) until {@link #revive()}; counted
     * as a {@link Fault#KILL}.
     */
    void kill() throws IOException {
        injected.get(Fault.KILL).incrementAndGet();
        ServerSocket l = listener;
        listener = null;
        if (l != null) {
            l.close();
        }
        for (Connection c : connections) {
            c.reset();
        }
    }

    /** Listens again on the same port after {@link #kill()}. */
    void revive() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.setReceiveBufferSize(RECEIVE_BUFFER);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        listen(s);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        ServerSocket l = listener;
        if (l != null) {
            l.close();
        }
        for (Connection c : connections) {
            c.closeBoth();
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("FaultProxy{");
        injected.forEach((f, n) -> sb.append(f.name().toLowerCase(Locale.ROOT)).append('=').append(n.get()).append(", "));
        sb.setLength(sb.length() - 2);
        return sb.append('}').toString();
    }

    private void listen(ServerSocket s) {
        listener = s;
        Thread acceptor = new Thread(() -> {
            while (!closed && listener == s) {
                Socket client;
                try {
                    client = s.accept();
                } catch (IOException e) {
                    return; // killed or closed
                }
                try {
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                    Connection c = new Connection(client, server);
                    connections.add(c);
                    c.start();
                } catch (IOException e) {
                    closeQuietly(client); // the server is gone: the client sees the connection close
                }
            }
        }, "fault-proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** An armed plan: a kind of fault, the requests it hits, where in their body, how many times. */
    private static final class Plan {
        final Fault fault;
        final Predicate<String> requests;
        final Predicate<String> heads;
        final long afterBodyBytes;
        final AtomicInteger budget;

        Plan(Fault fault, Predicate<String> requests, Predicate<String> heads, long afterBodyBytes, int times) {
            this.fault = fault;
            this.requests = requests;
            this.heads = heads;
            this.afterBodyBytes = afterBodyBytes;
            this.budget = new AtomicInteger(times);
        }

        /** @return whether this firing is within the budget (and uses it up) */
        boolean claim() {
            return budget.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0;
        }
    }

    /** One client connection and its server connection, with a pump thread per direction. */
    private final class Connection {
        private final Socket client;
        private final Socket server;
        /** Set once a fault fired: the server-to-client pump then forwards nothing more. */
        private volatile boolean faulted;

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            Thread up = new Thread(this::pumpRequests, "fault-proxy-up-" + client.getPort());
            Thread down = new Thread(this::pumpResponses, "fault-proxy-down-" + client.getPort());
            up.setDaemon(true);
            down.setDaemon(true);
            up.start();
            down.start();
        }

        /** Client to server, following request boundaries; fires the armed fault where it says. */
        private void pumpRequests() {
            try {
                InputStream in = client.getInputStream();
                OutputStream out = server.getOutputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                int last4 = 0; // the last four head bytes, to spot the blank line that ends the head
                boolean passThrough = false;
                String requestLine = null;
                String lower = "";
                long bodyLeft = 0;
                long bodyDone = 0;
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    int i = 0;
                    while (i < n) {
                        if (passThrough) {
                            out.write(buf, i, n - i);
                            break;
                        }
                        if (requestLine == null) {
                            // collecting a request head up to the blank line
                            while (i < n && last4 != BLANK_LINE) {
                                last4 = (last4 << 8) | (buf[i] & 0xff);
                                head.write(buf[i++]);
                            }
                            if (last4 != BLANK_LINE) {
                                if (head.size() > MAX_HEAD) {
                                    out.write(head.toByteArray());
                                    passThrough = true;
                                }
                                continue;
                            }
                            last4 = 0;
                            String text = head.toString(StandardCharsets.ISO_8859_1);
                            requestLine = text.substring(0, text.indexOf("\r\n"));
                            lower = text.toLowerCase(Locale.ROOT);
                            bodyLeft = contentLength(lower);
                            bodyDone = 0;
                            if (lower.contains("\r\ntransfer-encoding:")) {
                                passThrough = true;
                            }
                            Plan p = plan;
                            if (p != null && p.afterBodyBytes == 0 && p.fault != Fault.CORRUPT && p.requests.test(requestLine)
                                    && p.heads.test(lower) && p.claim()) {
                                fire(p.fault, in, bodyLeft);
                                return;
                            }
                            out.write(head.toByteArray());
                            head.reset();
                            if (bodyLeft == 0) {
                                requestLine = null;
                            }
                            continue;
                        }
                        int take = (int) Math.min(n - i, bodyLeft);
                        Plan p = plan;
                        if (p != null && p.fault == Fault.CORRUPT && bodyDone <= p.afterBodyBytes
                                && p.afterBodyBytes < bodyDone + take && p.requests.test(requestLine) && p.heads.test(lower)
                                && p.claim()) {
                            buf[i + (int) (p.afterBodyBytes - bodyDone)] ^= 0x5a;
                            injected.get(Fault.CORRUPT).incrementAndGet();
                        } else if (p != null && p.fault != Fault.CORRUPT && bodyDone < p.afterBodyBytes
                                && bodyDone + take >= p.afterBodyBytes
                                && p.requests.test(requestLine) && p.heads.test(lower) && p.claim()) {
                            int before = (int) (p.afterBodyBytes - bodyDone);
                            out.write(buf, i, before);
                            out.flush();
                            fire(p.fault, in, bodyLeft - before);
                            return;
                        }
                        out.write(buf, i, take);
                        i += take;
                        bodyDone += take;
                        bodyLeft -= take;
                        if (bodyLeft == 0) {
                            requestLine = null;
                        }
                    }
                }
            } catch (IOException e) {
                // either side went away; the other pump notices
            } finally {
                if (!faulted) {
                    closeBoth();
                }
            }
        }

        /** Server to client, unchanged, until a fault stops the connection. */
        private void pumpResponses() {
            try {
                // not try-with-resources: closing a socket's stream closes the socket, which a fault decides
                InputStream in = server.getInputStream();
                OutputStream out = client.getOutputStream();
                byte[] buf = new byte[64 * 1024];
                int n;
                while (!faulted && (n = in.read(buf)) >= 0) {
                    if (faulted) {
                        break;
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // either side went away
            } finally {
                if (!faulted) {
                    closeBoth();
                }
            }
        }

        /** Runs on the request pump's thread, which it may keep until the client gives up. */
        private void fire(Fault fault, InputStream fromClient, long bodyLeft) throws IOException {
            faulted = true;
            if (fault == Fault.KILL) {
                kill();
                onKill.run();
                return;
            }
            injected.get(fault).incrementAndGet();
            closeQuietly(server);
            switch (fault) {
                case RESET -> reset();
                case BLACK_HOLE -> {
                    // keep reading so the client's writes never block; answer nothing
                    byte[] sink = new byte[64 * 1024];
                    try {
                        while (fromClient.read(sink) >= 0) {
                            // discard
                        }
                    } catch (SocketException gone) {
                        // the client timed out and closed
                    }
                    closeQuietly(client);
                }
                case FREEZE -> {
                    // read nothing, answer nothing, until the proxy is closed (the connection stays listed for that)
                    while (!client.isClosed() && !closed) {
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                    closeQuietly(client);
                }
                case SLOW_DOWN, REFUSE_CHECKSUM -> {
                    OutputStream out = client.getOutputStream();
                    byte[] body = fault == Fault.SLOW_DOWN ? SLOW_DOWN_BODY : REFUSE_CHECKSUM_BODY;
                    out.write(((fault == Fault.SLOW_DOWN ? "HTTP/1.1 503 Slow Down" : "HTTP/1.1 400 Bad Request")
                            + "\r\nContent-Type: application/xml\r\nContent-Length: "
                            + body.length + "\r\nx-amz-request-id: faultproxy\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                    client.shutdownOutput();
                    // read what body the client still sends (none after "Expect: 100-continue"), briefly
                    client.setSoTimeout(2000);
                    byte[] sink = new byte[64 * 1024];
                    long left = bodyLeft;
                    try {
                        int r;
                        while (left > 0 && (r = fromClient.read(sink)) >= 0) {
                            left -= r;
                        }
                    } catch (IOException ignored) {
                        // the client closed or sent nothing more
                    }
                    closeQuietly(client);
                }
                default -> throw new IllegalStateException(fault.name());
            }
            connections.remove(this);
        }

        /** Closes the client side with a TCP RST, and the server side. */
        void reset() {
            faulted = true;
            try {
                client.setSoLinger(true, 0);
            } catch (SocketException ignored) {
                // already closed
            }
            closeQuietly(client);
            closeQuietly(server);
            connections.remove(this);
        }

        void closeBoth() {
            closeQuietly(client);
            closeQuietly(server);
            connections.remove(this);
        }
    }

    /** @return the Content-Length of a lower-cased request head, 0 without one */
    private static long contentLength(String lowerHead) {
        int at = lowerHead.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return 0;
        }
        int start = at + "\r\ncontent-length:".length();
        int end = lowerHead.indexOf("\r\n", start);
        return Long.parseLong(lowerHead.substring(start, end).trim());
    }
}
