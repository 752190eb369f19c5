package io.attachkit.server.cli;

import io.attachkit.FileStore;
import io.attachkit.server.ApiKeys;
import io.attachkit.server.AttachkitServer;
import io.attachkit.server.ServerLimits;
import io.attachkit.serving.FileUrlSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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

    @Option(names = "--key-file", paramLabel = "PATH",
            description = {"API keys, id:scope:sha256-hex lines (written by `attachkit keys new`), read again when the file",
                    "changes. Keys also come from $" + ApiKeys.ENVIRONMENT_VARIABLE + " (id:scope:key, comma-separated)."})
    Path keyFile;

    @Option(names = "--signing-key-file", paramLabel = "PATH",
            description = {"Keys for signed /files URLs, base64 of at least 32 bytes, one a line: the first signs, the",
                    "others are still accepted (rotation). Default: $ATTACHKIT_SIGNING_KEYS (comma-separated),",
                    "else a random key made at start (links then do not outlive a restart)."})
    Path signingKeyFile;

    @Option(names = "--signed-url-lifetime", paramLabel = "DURATION", defaultValue = "PT1H",
            description = "How long the signed_url in JSON answers stays valid, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration signedUrlLifetime;

    @Option(names = "--public-files", description = "Serve /files without a key or signature even when keys are configured.")
    boolean publicFiles;

    @Option(names = "--insecure-open", description = "Run without API keys on an address other than loopback (anyone may upload and read).")
    boolean insecureOpen;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION", defaultValue = "PT30S",
            description = "On SIGTERM, how long requests in flight may take to finish, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration shutdownGrace;

    @Spec
    CommandSpec spec;

    private ApiKeys apiKeys() {
        try {
            ApiKeys.Builder keys = ApiKeys.builder().fromEnvironmentValue(System.getenv(ApiKeys.ENVIRONMENT_VARIABLE));
            if (keyFile != null) {
                keys.keyFile(keyFile);
            }
            return keys.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private FileUrlSigner signer() {
        List<String> encoded = new ArrayList<>();
        try {
            if (signingKeyFile != null) {
                for (String line : Files.readAllLines(signingKeyFile, StandardCharsets.UTF_8)) {
                    if (!line.isBlank() && !line.strip().startsWith("#")) {
                        encoded.add(line.strip());
                    }
                }
            } else if (System.getenv("ATTACHKIT_SIGNING_KEYS") != null) {
                encoded.addAll(List.of(System.getenv("ATTACHKIT_SIGNING_KEYS").split(",")));
            }
            if (encoded.isEmpty() && signingKeyFile == null) {
                byte[] random = new byte[32];
                new java.security.SecureRandom().nextBytes(random);
                return FileUrlSigner.builder().key(random).lifetime(signedUrlLifetime).build();
            }
            if (encoded.isEmpty()) {
                throw new IllegalArgumentException("the signing key file " + signingKeyFile + " holds no key");
            }
            FileUrlSigner.Builder b = FileUrlSigner.builder().lifetime(signedUrlLifetime).key(Base64.getDecoder().decode(encoded.get(0).strip()));
            for (String other : encoded.subList(1, encoded.size())) {
                b.acceptAlso(Base64.getDecoder().decode(other.strip()));
            }
            return b.build();
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "Cannot read the signing key file " + signingKeyFile + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Signing keys: " + e.getMessage()
                    + " (make one with: head -c 32 /dev/urandom | base64)", e);
        }
    }

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
        ApiKeys keys = apiKeys();
        FileUrlSigner signer = signer();
        if (shutdownGrace.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--shutdown-grace must be zero or positive, was " + shutdownGrace);
        }
        AttachkitServer.Builder builder = AttachkitServer.builder().bindAddress(bind).port(port).limits(limits).apiKeys(keys)
                .urlSigner(signer).publicFiles(publicFiles).insecureOpen(insecureOpen).shutdownGrace(shutdownGrace);
        FileStore store = storeOption.open();
        AttachkitServer server;
        try {
            server = builder.store(store).build();
        } catch (IllegalStateException refused) {
            store.close();
            spec.commandLine().getErr().println(refused.getMessage());
            return 2;
        }
        server.start();
        SERVING.set(true);
        // SIGTERM and Ctrl-C: new requests get 503, those in flight get the grace, then the store is closed
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown(server.shutdownGrace());
            store.close();
        }, "attachkit-shutdown"));
        spec.commandLine().getErr().println("attachkit serving " + storeOption.uri() + " at " + server.baseUri() + " (Ctrl-C to stop)");
        spec.commandLine().getErr().flush();
        server.awaitTermination();
        return 0;
    }
}
