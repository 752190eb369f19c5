package io.attachkit.server;

import io.attachkit.AttachmentException;
import io.attachkit.Attachments;
import io.attachkit.ContentProcessor;
import io.attachkit.FileStore;
import io.attachkit.StoreHealth;
import io.attachkit.internal.StoragePaths;
import io.attachkit.serving.FileUrlSigner;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.HttpContinueReadHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.Options;
import org.xnio.XnioExecutor;

/**
 * The attachkit HTTP server, on Undertow (HTTP/1.1 with keep-alive; files on local disk sent with {@code sendfile}).
 *
 * <pre>{@code
 * try (FileStore store = FileStores.open("file:///var/lib/attachkit");
 *      AttachkitServer server = AttachkitServer.builder().store(store).port(8080).build().start()) {
 *     server.awaitTermination();
 * }
 * }</pre>
 *
 * <p>Endpoints:
 * <ul>
 *   <li>{@code GET/HEAD /files/{storage_path}}: the stored file, with ETag, Last-Modified, 304, single ranges;
 *       active types (HTML, SVG, XML, ...) only as downloads (the rules are {@link io.attachkit.serving.FileServing}'s).</li>
 *   <li>{@code POST /attachments}: the track-attachments request, JSON (base64) or multipart/form-data (streamed).</li>
 *   <li>{@code POST /query}: the agent query request, answered by the {@link AgentHandler}.</li>
 *   <li>{@code GET /attachments/{file_id}}: the attachment's JSON in Tyler's shape.</li>
 *   <li>{@code GET /health}: the store's health.</li>
 * </ul>
 * Errors are JSON: {@code {"status":400,"error":"..."}}. A request whose body is over a declared limit is answered
 * (413) before any of its body is read, and without {@code 100 Continue} when the client sent
 * {@code Expect: 100-continue}. After an error answer to a request whose body was not read to its end, the rest of the
 * body is discarded within {@link ServerLimits#maxLingerBytes()} and {@link ServerLimits#lingerTimeout()} before the
 * connection closes, so that clients which write their whole body before reading get the answer. A connection whose
 * request (head and body) has not fully arrived within the request timeout plus {@value #STALLED_REQUEST_GRACE_SECONDS}
 * s is closed, which frees the worker a stalled client holds. The caller owns the store (and the {@link Attachments} if
 * it passed one); {@link #close()} stops only the server and what it created.
 *
 * <p>Access: with {@link Builder#apiKeys API keys} configured, {@code POST /attachments} and {@code POST /query} need a
 * read-write key, {@code GET /attachments/{file_id}} a read key, and {@code /files} a read key or a URL signed by the
 * {@link Builder#urlSigner signer} (the {@code signed_url} added beside each {@code processed_content.url}), unless
 * {@link Builder#publicFiles}. Keys are checked before anything is looked up: 401 (with {@code WWW-Authenticate}) or
 * 403 JSON never tells whether an id exists. Without keys the server is open, which it allows on a loopback address
 * only (with a warning), or with {@link Builder#insecureOpen}. {@code /health} is always open.
 *
 * <p>Each request is logged in one line through the {@code io.attachkit.server.access} SLF4J logger (method, path
 * without query, status, bytes, milliseconds, key id, request id); the request id ({@code X-Request-Id}, echoed or
 * made) is in every answer's headers and every error JSON. {@link #shutdown(Duration)} drains gracefully.
 */
public final class AttachkitServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AttachkitServer.class);

    /** Seconds past the request timeout after which a request that has not fully arrived loses its connection. */
    static final long STALLED_REQUEST_GRACE_SECONDS = 2;
    /** Longest a kept-alive connection may wait for its next request, in milliseconds. */
    static final int IDLE_CONNECTION_MILLIS = 30_000;

    private final Attachments attachments;
    private final boolean ownsAttachments;
    private final String bindAddress;
    private final int requestedPort;
    private final int threads;
    private final ServerLimits limits;
    private final FilesHandler files;
    private final IngestHandler ingest;
    private final AttachmentRegistry registry;
    private final LingeringClose lingering;
    private final Guard guard;
    private final SignedUrls signedUrls;
    private final AccessLog accessLog = new AccessLog();
    private final Duration shutdownGrace;
    private volatile boolean draining;
    /**
     * Set just before the engine itself stops: from then on its worker pool and timers may refuse work (Undertow would
     * answer a refused dispatch with a bare 503, a refused timer with a bare 500), so requests are answered on the I/O
     * thread that read them.
     */
    private volatile boolean stopping;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicInteger inFlight = new AtomicInteger();
    /** The requests in flight and the worker each runs on, so that a shutdown past its grace can cut them off. */
    private final Map<HttpServerExchange, Thread> active = new java.util.concurrent.ConcurrentHashMap<>();
    private Undertow server;
    private InetSocketAddress address;

    private AttachkitServer(Builder b) {
        this.ownsAttachments = b.attachments == null;
        this.attachments = b.attachments != null ? b.attachments : Attachments.builder().store(b.store).build();
        this.bindAddress = b.bindAddress;
        this.requestedPort = b.port;
        this.threads = b.threads;
        this.limits = b.limits;
        this.registry = new AttachmentRegistry(attachments, 16L << 20);
        this.files = new FilesHandler(attachments.store(), clampMillis(limits.requestTimeout()), TcpCork.load());
        FileUrlSigner signer = b.urlSigner;
        if (signer == null && b.apiKeys.configured() && !b.publicFiles) {
            // signed links then last until the next restart at most: configure a signer to keep them across restarts
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            signer = FileUrlSigner.builder().key(key).build();
        }
        this.guard = new Guard(b.apiKeys, signer, b.publicFiles);
        this.signedUrls = new SignedUrls(b.apiKeys.configured() && !b.publicFiles ? signer : null);
        this.shutdownGrace = b.shutdownGrace;
        this.ingest = new IngestHandler(attachments, registry, limits, b.agentHandler, signedUrls);
        this.lingering = new LingeringClose(limits.maxLingerBytes(), limits.lingerTimeout());
    }

    /** @return a builder; a store or an {@link Attachments} is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts serving.
     *
     * @return this server
     * @throws UncheckedIOException if the address cannot be bound
     * @throws IllegalStateException if already started
     */
    public synchronized AttachkitServer start() {
        if (server != null) {
            throw new IllegalStateException("The server is already started on port " + port());
        }
        // 100 Continue goes out only when a handler first reads the body: a request refused before that (413 for its
        // declared length, 415, 503) gets its answer instead of 100, and its connection is closed after it
        HttpHandler root = new HttpContinueReadHandler(this::dispatch);
        Undertow undertow = Undertow.builder()
                .addHttpListener(requestedPort, bindAddress)
                .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
                .setWorkerThreads(threads)
                .setServerOption(UndertowOptions.DECODE_URL, false) // paths are checked raw, still percent-encoded
                .setServerOption(UndertowOptions.ENABLE_HTTP2, false)
                // Undertow's own cap (2 MiB by default) would cut the connection without an answer: ServerLimits decide
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, Long.MAX_VALUE)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, IDLE_CONNECTION_MILLIS)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, clampMillis(limits.requestTimeout()))
                .setSocketOption(Options.TCP_NODELAY, true)
                .setSocketOption(Options.BACKLOG, 128)
                .setHandler(root)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            throw new UncheckedIOException("Cannot listen on " + bindAddress + ":" + requestedPort + ": " + e.getMessage(),
                    e.getCause() instanceof IOException io ? io : new IOException(e));
        }
        server = undertow;
        address = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        LOG.info("attachkit server listening on {} ({} store, {})", baseUri(), attachments.store().backendName(), limits);
        if (guard.open()) {
            LOG.warn("attachkit server on {} is OPEN: no API keys are configured, so anyone who can reach it may upload and read"
                    + " attachments", baseUri());
        }
        resumePendingInTheBackground();
        return this;
    }

    /** Finishes what a crashed instance had accepted for processing, without delaying the start. */
    private void resumePendingInTheBackground() {
        Thread resume = new Thread(() -> {
            try {
                attachments.resumePending();
            } catch (RuntimeException e) {
                LOG.warn("Resuming the processing accepted before a restart failed: {}", e.getMessage(), e);
            }
        }, "attachkit-resume");
        resume.setDaemon(true);
        resume.start();
    }

    private static int clampMillis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /** @return the port the server listens on (the actual one when 0 was requested) */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("The server is not started");
        }
        return address.getPort();
    }

    /** @return the server's base URI, e.g. {@code http://127.0.0.1:8080} */
    public URI baseUri() {
        String host = bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
        return URI.create("http://" + host + ":" + port());
    }

    /** @return the KiB of the JSON memory budget not reserved by requests in flight (for tests and monitoring) */
    int jsonBudgetAvailableKib() {
        return ingest.jsonBudgetAvailableKib();
    }

    /** @return the attachments service the server stores and processes with */
    public Attachments attachments() {
        return attachments;
    }

    /** @return the limits requests are held to */
    public ServerLimits limits() {
        return limits;
    }

    /**
     * Blocks until {@link #close()} is called.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    /** Stops serving (requests in flight get up to a second to finish) and the worker threads it created. */
    @Override
    public void close() {
        shutdown(Duration.ofSeconds(1));
    }

    /**
     * Stops gracefully: new requests are answered 503 JSON (with {@code Connection: close}) at once, requests in flight
     * get up to {@code grace} to finish, then the server stops. An upload still running then loses its connection and
     * is rolled back: the store keeps only whole files.
     *
     * @param grace the longest wait for requests in flight
     * @return whether every request in flight finished within the grace
     */
    public boolean shutdown(Duration grace) {
        draining = true;
        boolean drained = true;
        synchronized (this) {
            if (server != null) {
                awaitInFlight(grace);
                drained = inFlight.get() == 0;
                if (!drained) {
                    LOG.warn("Stopping with {} requests still in flight after the {} grace; their connections are closed and"
                            + " what they were storing is rolled back", inFlight.get(), grace);
                    // a worker blocked reading a body would wait for its client (up to the request timeout): the connection
                    // is closed and the blocked read woken, so the read fails and the request's scope removes what it stored
                    active.forEach((exchange, worker) -> {
                        IoUtils.safeClose(exchange.getConnection());
                        worker.interrupt();
                    });
                    awaitInFlight(Duration.ofSeconds(5));
                }
                stopping = true;
                server.stop();
                server = null;
            }
            if (ownsAttachments) {
                attachments.close();
            }
        }
        stopped.countDown();
        return drained;
    }

    private void awaitInFlight(Duration max) {
        long until = System.nanoTime() + Math.max(0, max.toNanos());
        while (inFlight.get() > 0 && System.nanoTime() < until) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** @return the grace {@code attachkit serve} gives requests in flight when it is asked to stop */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    private void dispatch(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            if (stopping) {
                refuseWhileStopping(exchange);
                return;
            }
            // handlers block (store, parse, process): they run on worker threads. A dispatch the stopping engine's
            // pool refuses (stop() may begin between the check above and the hand-off) gets the 503 JSON here,
            // not Undertow's bare 503
            exchange.dispatch(task -> {
                try {
                    exchange.getConnection().getWorker().execute(task);
                } catch (RejectedExecutionException e) {
                    refuseWhileStopping(exchange);
                }
            }, this::dispatch);
            return;
        }
        exchange.startBlocking();
        accessLog.begin(exchange);
        inFlight.incrementAndGet();
        active.put(exchange, Thread.currentThread());
        XnioExecutor.Key stalled = cutOffIfStalled(exchange);
        String path = exchange.getRequestPath();
        try {
            try {
                if (draining) {
                    markShuttingDown(exchange);
                    throw new HttpError(503, SHUTTING_DOWN);
                }
                guard.check(exchange, path); // before anything is looked up: a refusal says nothing about the id
                route(exchange, path);
                if (!exchange.isRequestComplete()) {
                    // answered without reading to the end (a multipart epilogue): Undertow's own end-of-request
                    // drain has no bound, so the rest is drained here within the lingering bounds
                    lingering.drain(exchange);
                }
            } catch (HttpError e) {
                answerError(exchange, e.status(), e.getMessage());
            } catch (AttachmentException e) {
                int status = Exchanges.statusOf(e);
                if (e instanceof io.attachkit.ProcessingQueueFullException full) {
                    Exchanges.setHeader(exchange, "Retry-After", String.valueOf(Math.max(1, full.retryAfter().toSeconds())));
                }
                if (status >= 500) {
                    LOG.warn("{} {} failed", exchange.getRequestMethod(), path, e);
                }
                answerError(exchange, status, e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", exchange.getRequestMethod(), path, e);
                answerError(exchange, 500, "Internal error: " + e);
            }
        } catch (IOException e) {
            // the response was already started, or the client went away: nothing more can be said to it
            LOG.debug("{} {}: the exchange failed: {}", exchange.getRequestMethod(), path, e.toString());
            IoUtils.safeClose(exchange.getConnection());
        } finally {
            stalled.remove();
            active.remove(exchange);
            inFlight.decrementAndGet();
        }
    }

    private static final String SHUTTING_DOWN = "The server is shutting down; retry on another instance or after its restart";

    private static void markShuttingDown(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.CONNECTION, "close");
        Exchanges.setHeader(exchange, "Retry-After", "5");
    }

    /**
     * Answers the 503 JSON without leaving the I/O thread (the engine is stopping: a dispatch could be refused). The
     * body is not read; the connection closes after the answer, or when the engine closes it.
     */
    private void refuseWhileStopping(HttpServerExchange exchange) {
        accessLog.begin(exchange);
        markShuttingDown(exchange);
        exchange.setPersistent(false);
        Exchanges.sendErrorNonBlocking(exchange, 503, SHUTTING_DOWN);
    }

    /** Answers with a JSON error and, if the body was not read to its end, lingers before closing. */
    private void answerError(HttpServerExchange exchange, int status, String message) throws IOException {
        if (exchange.isResponseStarted()) {
            throw new IOException("Failed after the response started (" + status + ": " + message + ")");
        }
        boolean linger = LingeringClose.prepare(exchange);
        try {
            Exchanges.sendError(exchange, status, message);
        } catch (IllegalStateException e) {
            // a shutdown past its grace closed the connection under this request: its response counts as started
            throw new IOException("The exchange ended before its " + status + " answer: " + e.getMessage(), e);
        }
        if (linger) {
            lingering.drain(exchange);
        }
    }

    /**
     * Closes the connection if the request has not fully arrived by the request timeout plus a grace: a client that
     * stopped sending would otherwise hold a worker thread (blocked in a read) until the connection drops.
     */
    private XnioExecutor.Key cutOffIfStalled(HttpServerExchange exchange) {
        if (exchange.isRequestComplete()) {
            // nothing left to arrive (a GET, a HEAD): no timer, which would cost two wake-ups of the I/O thread
            return XnioExecutor.Key.IMMEDIATE;
        }
        long millis = Math.min(Long.MAX_VALUE / 2, limits.requestTimeout().toMillis())
                + TimeUnit.SECONDS.toMillis(STALLED_REQUEST_GRACE_SECONDS);
        try {
            return exchange.getIoThread().executeAfter(() -> {
                if (!exchange.isRequestComplete()) {
                    LOG.debug("{} {}: the request did not arrive within the request timeout; closing its connection",
                            exchange.getRequestMethod(), exchange.getRequestPath());
                    IoUtils.safeClose(exchange.getConnection());
                }
            }, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the engine is stopping (its I/O thread takes no timers): the request is answered 503 as while draining,
            // and the engine closes its connection as it stops, which bounds it as the timer would
            return XnioExecutor.Key.IMMEDIATE;
        }
    }

    private void route(HttpServerExchange exchange, String path) throws IOException {
        if (path.startsWith(FilesHandler.PREFIX)) {
            files.handle(exchange, path);
        } else if (path.equals("/attachments")) {
            requireMethod(exchange, "POST");
            ingest.track(exchange);
        } else if (path.startsWith("/attachments/")) {
            requireMethod(exchange, "GET", "HEAD");
            String id = StoragePaths.requireFileId(path.substring("/attachments/".length()));
            Exchanges.sendJson(exchange, 200, signedUrls.addTo(registry.describe(id, Exchanges.waitParameter(exchange, limits.maxWait()))));
        } else if (path.equals("/query")) {
            requireMethod(exchange, "POST");
            ingest.query(exchange);
        } else if (path.equals("/health")) {
            requireMethod(exchange, "GET", "HEAD");
            health(exchange);
        } else {
            throw new HttpError(404, "No endpoint at " + StoragePaths.quote(path)
                    + "; try /files/{storage_path}, /attachments, /attachments/{file_id}, /query or /health");
        }
    }

    private static void requireMethod(HttpServerExchange exchange, String... allowed) {
        for (String m : allowed) {
            if (m.equals(exchange.getRequestMethod().toString())) {
                return;
            }
        }
        exchange.getResponseHeaders().put(Headers.ALLOW, String.join(", ", allowed));
        throw new HttpError(405, "Method " + exchange.getRequestMethod() + " is not allowed here; use " + String.join(" or ", allowed));
    }

    private void health(HttpServerExchange exchange) throws IOException {
        StoreHealth h = attachments.store().checkHealth();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", h.healthy() ? "ok" : "unhealthy");
        body.put("backend", h.backend());
        body.put("storage_size", h.storageSize());
        body.put("file_count", h.fileCount());
        body.put("errors", h.errors());
        if (!h.details().isEmpty()) {
            body.put("details", h.details()); // e.g. the S3 checksum mode in effect after a fall-back
        }
        body.put("queue_depth", attachments.queueDepth());
        body.put("processors", attachments.processors().all().stream().map(ContentProcessor::name).toList());
        Exchanges.sendJson(exchange, h.healthy() ? 200 : 503, body);
    }

    /** Builds an {@link AttachkitServer}. */
    public static final class Builder {
        private FileStore store;
        private Attachments attachments;
        private String bindAddress = "127.0.0.1";
        private int port = 8080;
        private int threads = 16;
        private ServerLimits limits = ServerLimits.defaults();
        private AgentHandler agentHandler = AgentHandler.CONTEXT;
        private ApiKeys apiKeys = ApiKeys.none();
        private FileUrlSigner urlSigner;
        private boolean publicFiles;
        private boolean insecureOpen;
        private Duration shutdownGrace = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * @param store the store to serve and save to (an {@link Attachments} is built for it)
         * @return this builder
         */
        public Builder store(FileStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * @param attachments the service to store and process with (its store is served)
         * @return this builder
         */
        public Builder attachments(Attachments attachments) {
            this.attachments = Objects.requireNonNull(attachments, "attachments");
            return this;
        }

        /**
         * @param address the address to listen on (default 127.0.0.1)
         * @return this builder
         */
        public Builder bindAddress(String address) {
            this.bindAddress = Objects.requireNonNull(address, "bindAddress");
            return this;
        }

        /**
         * @param port the port, 0 for any free one (default 8080)
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * @param threads request worker threads, positive (default 16)
         * @return this builder
         */
        public Builder threads(int threads) {
            if (threads <= 0) {
                throw new IllegalArgumentException("threads must be positive, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * @param limits the per-request limits
         * @return this builder
         */
        public Builder limits(ServerLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * @param agentHandler what answers {@code POST /query} (default: the context as JSON)
         * @return this builder
         */
        public Builder agentHandler(AgentHandler agentHandler) {
            this.agentHandler = Objects.requireNonNull(agentHandler, "agentHandler");
            return this;
        }

        /**
         * @param apiKeys the keys requests must carry (default none: open, allowed on loopback only)
         * @return this builder
         */
        public Builder apiKeys(ApiKeys apiKeys) {
            this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
            return this;
        }

        /**
         * @param urlSigner signs the {@code signed_url} of JSON answers and checks signed {@code /files} requests; its
         *     {@link FileUrlSigner#lifetime() lifetime} is the links' (default: a random key made at start, so links
         *     do not outlive a restart)
         * @return this builder
         */
        public Builder urlSigner(FileUrlSigner urlSigner) {
            this.urlSigner = Objects.requireNonNull(urlSigner, "urlSigner");
            return this;
        }

        /**
         * @param publicFiles whether {@code /files} is served without a key or signature even when keys are configured
         *     (default false)
         * @return this builder
         */
        public Builder publicFiles(boolean publicFiles) {
            this.publicFiles = publicFiles;
            return this;
        }

        /**
         * @param insecureOpen whether to run without keys on an address other than loopback (default false: refused)
         * @return this builder
         */
        public Builder insecureOpen(boolean insecureOpen) {
            this.insecureOpen = insecureOpen;
            return this;
        }

        /**
         * @param grace how long {@code attachkit serve} lets requests in flight finish when stopped (default 30 s;
         *     {@link AttachkitServer#shutdown(Duration)} takes its own)
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder shutdownGrace(Duration grace) {
            if (grace == null || grace.isNegative()) {
                throw new IllegalArgumentException("shutdownGrace must be zero or positive, was " + grace);
            }
            this.shutdownGrace = grace;
            return this;
        }

        /**
         * @return the server, not yet started
         * @throws IllegalStateException if neither a store nor an Attachments was given, or no keys are configured for
         *     an address other than loopback without {@link #insecureOpen}
         */
        public AttachkitServer build() {
            if (!apiKeys.configured() && !insecureOpen && !isLoopback(bindAddress)) {
                throw new IllegalStateException("Refusing to serve " + bindAddress + " without API keys: anyone who can reach it"
                        + " could upload and read attachments. Make a key with `attachkit keys new --scope read-write"
                        + " --key-file keys.txt` and start with --key-file keys.txt (or set " + ApiKeys.ENVIRONMENT_VARIABLE
                        + "=id:read-write:<key>), or bind 127.0.0.1, or pass --insecure-open to run open anyway");
            }
            if (store == null && attachments == null) {
                throw new IllegalStateException("a store is required: AttachkitServer.builder().store(FileStores.open(\"file:///...\"))");
            }
            if (store != null && attachments != null && attachments.store() != store) {
                throw new IllegalStateException("store and attachments were both set but attachments uses another store; set one of them");
            }
            return new AttachkitServer(this);
        }

        private static boolean isLoopback(String address) {
            try {
                return InetAddress.getByName(address).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
    }
}
