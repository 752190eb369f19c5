package io.attachkit.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.attachkit.AttachmentException;
import io.attachkit.Attachments;
import io.attachkit.ContentProcessor;
import io.attachkit.FileStore;
import io.attachkit.StoreHealth;
import io.attachkit.internal.StoragePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attachkit HTTP server, on the JDK's built-in {@code com.sun.net.httpserver}.
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
 *       active types (HTML, SVG, XML, ...) only as downloads.</li>
 *   <li>{@code POST /attachments}: the track-attachments request, JSON (base64) or multipart/form-data.</li>
 *   <li>{@code POST /query}: the agent query request, answered by the {@link AgentHandler}.</li>
 *   <li>{@code GET /attachments/{file_id}}: the attachment's JSON in Tyler's shape.</li>
 *   <li>{@code GET /health}: the store's health.</li>
 * </ul>
 * Errors are JSON: {@code {"status":400,"error":"..."}}. Unless the application set it, the JDK server's
 * {@code sun.net.httpserver.nodelay} property is turned on (small responses otherwise wait ~40 ms for
 * delayed ACKs); the JDK reads it when the first server in the JVM is created. Likewise, unless the application set
 * it, {@code sun.net.httpserver.maxReqTime} is set from the first started server's request timeout (rounded up to
 * whole seconds, plus {@value #MAX_REQ_TIME_GRACE_SECONDS} s so that a slow client still gets its 408): the JDK server
 * then closes a connection whose request (headers and body) has not fully arrived by then, which frees the worker
 * thread a client that stopped sending would otherwise block until the connection drops. It is one value for the
 * whole JVM. The caller owns the store (and the
 * {@link Attachments} if it passed one); {@link #close()} stops only the server and what it created.
 */
public final class AttachkitServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AttachkitServer.class);

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm and delayed
        // ACKs add ~40 ms to every small response. The JDK reads this once, when its first server is created;
        // a value the application set itself is kept.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Seconds added to the request timeout for {@code sun.net.httpserver.maxReqTime}. */
    static final long MAX_REQ_TIME_GRACE_SECONDS = 2;

    private final Attachments attachments;
    private final boolean ownsAttachments;
    private final String bindAddress;
    private final int requestedPort;
    private final int threads;
    private final ServerLimits limits;
    private final FilesHandler files;
    private final IngestHandler ingest;
    private final AttachmentRegistry registry;
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    private final AtomicInteger inFlight = new AtomicInteger();
    private HttpServer server;
    private ExecutorService executor;

    private AttachkitServer(Builder b) {
        this.ownsAttachments = b.attachments == null;
        this.attachments = b.attachments != null ? b.attachments : Attachments.builder().store(b.store).build();
        this.bindAddress = b.bindAddress;
        this.requestedPort = b.port;
        this.threads = b.threads;
        this.limits = b.limits;
        this.registry = new AttachmentRegistry(attachments, 16L << 20);
        this.files = new FilesHandler(attachments.store());
        this.ingest = new IngestHandler(attachments, registry, limits, b.agentHandler);
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
        closeStalledRequestsAfter(limits.requestTimeout());
        try {
            server = HttpServer.create(new InetSocketAddress(bindAddress, requestedPort), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + bindAddress + ":" + requestedPort + ": " + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "attachkit-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
        LOG.info("attachkit server listening on {} ({} store, {})", baseUri(), attachments.store().backendName(), limits);
        return this;
    }

    /**
     * Sets {@code sun.net.httpserver.maxReqTime} (seconds) from the request timeout unless it is already set. The
     * JDK reads it once, when the first server in the JVM is created, so the first server started decides.
     */
    private static void closeStalledRequestsAfter(java.time.Duration requestTimeout) {
        synchronized (AttachkitServer.class) {
            if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
                long whole = Math.min(requestTimeout.getSeconds(), Long.MAX_VALUE / 1000 - MAX_REQ_TIME_GRACE_SECONDS - 1);
                long seconds = whole + (requestTimeout.getNano() > 0 ? 1 : 0) + MAX_REQ_TIME_GRACE_SECONDS;
                System.setProperty("sun.net.httpserver.maxReqTime", String.valueOf(seconds));
            }
        }
    }

    /** @return the port the server listens on (the actual one when 0 was requested) */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("The server is not started");
        }
        return server.getAddress().getPort();
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

    /** Stops serving (requests in flight get up to a second to finish) and the worker pool it created. */
    @Override
    public synchronized void close() {
        if (server != null) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (inFlight.get() > 0 && System.nanoTime() < until) {
                Thread.onSpinWait();
                Thread.yield();
            }
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
        if (ownsAttachments) {
            attachments.close();
        }
        stopped.countDown();
    }

    private void dispatch(HttpExchange exchange) {
        inFlight.incrementAndGet();
        try (exchange) {
            try {
                route(exchange);
            } catch (HttpError e) {
                Exchanges.sendError(exchange, e.status(), e.getMessage());
            } catch (AttachmentException e) {
                int status = Exchanges.statusOf(e);
                if (status >= 500) {
                    LOG.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
                }
                Exchanges.sendError(exchange, status, e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
                Exchanges.sendError(exchange, 500, "Internal error: " + e);
            }
        } catch (IOException e) {
            // the response was already started, or the client went away: nothing more can be said to it
            LOG.debug("{} {}: the exchange failed: {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e.toString());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        if (path.startsWith(FilesHandler.PREFIX)) {
            files.handle(exchange);
        } else if (path.equals("/attachments")) {
            requireMethod(exchange, "POST");
            ingest.track(exchange);
        } else if (path.startsWith("/attachments/")) {
            requireMethod(exchange, "GET", "HEAD");
            String id = StoragePaths.requireFileId(path.substring("/attachments/".length()));
            Exchanges.sendJson(exchange, 200, registry.describe(id));
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

    private static void requireMethod(HttpExchange exchange, String... allowed) {
        for (String m : allowed) {
            if (m.equals(exchange.getRequestMethod())) {
                return;
            }
        }
        exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
        throw new HttpError(405, "Method " + exchange.getRequestMethod() + " is not allowed here; use " + String.join(" or ", allowed));
    }

    private void health(HttpExchange exchange) throws IOException {
        StoreHealth h = attachments.store().checkHealth();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", h.healthy() ? "ok" : "unhealthy");
        body.put("backend", h.backend());
        body.put("storage_size", h.storageSize());
        body.put("file_count", h.fileCount());
        body.put("errors", h.errors());
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
         * @return the server, not yet started
         * @throws IllegalStateException if neither a store nor an Attachments was given
         */
        public AttachkitServer build() {
            if (store == null && attachments == null) {
                throw new IllegalStateException("a store is required: AttachkitServer.builder().store(FileStores.open(\"file:///...\"))");
            }
            if (store != null && attachments != null && attachments.store() != store) {
                throw new IllegalStateException("store and attachments were both set but attachments uses another store; set one of them");
            }
            return new AttachkitServer(this);
        }
    }
}
