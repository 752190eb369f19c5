package io.attachkit.server.cli;

import io.attachkit.FileStore;
import io.attachkit.server.AttachkitServer;
import io.attachkit.server.ServerLimits;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code attachkit serve}: runs the HTTP server until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve /files/{storage_path}, POST /attachments, POST /query, GET /attachments/{file_id} and GET /health",
                "until interrupted (Ctrl-C)."})
final class ServeCommand implements Callable<Integer> {
    /** Set while {@code serve} runs, so {@code main} does not exit under it. */
    static final AtomicBoolean SERVING = new AtomicBoolean();

    @Mixin
    StoreOption storeOption;

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on, 0 for any free one (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--max-body-size", paramLabel = "BYTES", defaultValue = "104857600",
            description = "Largest request body (default ${DEFAULT-VALUE}).")
    long maxBodySize;

    @Option(names = "--max-json-body-size", paramLabel = "BYTES", defaultValue = "75497472",
            description = {"Largest JSON request body (base64 attachments, queries), read whole;",
                    "at most --max-body-size (default ${DEFAULT-VALUE}, or --max-body-size when smaller)."})
    long maxJsonBodySize;

    @Option(names = "--json-memory-budget", paramLabel = "BYTES",
            description = {"Heap that JSON requests in flight may reserve together (4x each body); a request that",
                    "cannot get its share within 2 s is answered 503 with Retry-After (default: a quarter of -Xmx)."})
    Long jsonMemoryBudget;

    @Option(names = "--max-parts", defaultValue = "100", description = "Most attachments or parts per request (default ${DEFAULT-VALUE}).")
    int maxParts;

    @Option(names = "--request-timeout", paramLabel = "DURATION", defaultValue = "PT5M",
            description = "Longest time per request, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(names = "--max-linger-bytes", paramLabel = "BYTES", defaultValue = "16777216",
            description = {"After an error answer, most bytes of the unread request body read and discarded before the",
                    "connection closes, so clients that write the whole body first get the answer (default ${DEFAULT-VALUE})."})
    long maxLingerBytes;

    @Option(names = "--linger-timeout", paramLabel = "DURATION", defaultValue = "PT10S",
            description = "Longest time spent discarding that body, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration lingerTimeout;

    @Spec
    CommandSpec spec;

    /** @return the limits from the options; a value the builder refuses is a usage error (exit code 2) */
    ServerLimits limits() {
        try {
            ServerLimits.Builder builder = ServerLimits.builder().maxBodySize(maxBodySize).maxParts(maxParts)
                    .requestTimeout(requestTimeout).maxLingerBytes(maxLingerBytes).lingerTimeout(lingerTimeout);
            if (maxJsonBodySize != ServerLimits.DEFAULT_MAX_JSON_BODY_SIZE) {
                builder.maxJsonBodySize(maxJsonBodySize); // the default follows a smaller --max-body-size
            }
            if (jsonMemoryBudget != null) {
                builder.jsonMemoryBudget(jsonMemoryBudget);
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        ServerLimits limits = limits();
        FileStore store = storeOption.open();
        AttachkitServer server = AttachkitServer.builder().store(store).bindAddress(bind).port(port).limits(limits).build();
        server.start();
        SERVING.set(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            store.close();
        }, "attachkit-shutdown"));
        spec.commandLine().getErr().println("attachkit serving " + storeOption.uri() + " at " + server.baseUri() + " (Ctrl-C to stop)");
        spec.commandLine().getErr().flush();
        server.awaitTermination();
        return 0;
    }
}
