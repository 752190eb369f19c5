package io.attachkit.benchmarks.s3;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * One S3 server for the throughput benchmark: S3Proxy in this JVM (filesystem blob store), or Adobe S3Mock (a child
 * JVM from its executable jar, system property {@code s3mock.jar}) or s3rver (a child node process, system
 * property {@code s3rver.js}), each storing on disk under the benchmark's temporary folder. The storage-s3 build
 * puts both under {@code storage-s3/target/test-servers/} when its tests run.
 */
final class BenchServer implements AutoCloseable {
    private final String name;
    private final URI endpoint;
    private final StaticCredentialsProvider credentials;
    private final boolean plainUploads;
    private final AutoCloseable stopper;

    private BenchServer(String name, URI endpoint, StaticCredentialsProvider credentials, boolean plainUploads,
            AutoCloseable stopper) {
        this.name = name;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.plainUploads = plainUploads;
        this.stopper = stopper;
    }

    /**
     * @param name {@code s3proxy}, {@code s3mock} or {@code s3rver}
     * @param work a folder for the server's data
     * @return the running server
     */
    static BenchServer start(String name, Path work) throws Exception {
        Path data = Files.createDirectories(work.resolve(name + "-data"));
        switch (name.toLowerCase(Locale.ROOT)) {
            case "s3proxy" -> {
                Properties p = new Properties();
                p.setProperty("jclouds.identity", "bench");
                p.setProperty("jclouds.credential", "bench-secret");
                p.setProperty("jclouds.filesystem.basedir", data.toString());
                BlobStore blobStore = BlobStores.create("filesystem", p);
                S3Proxy proxy = S3Proxy.builder().blobStore(blobStore)
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "bench", "bench-secret")
                        .endpoint(URI.create("http://127.0.0.1:0")).ignoreUnknownHeaders(true).build();
                proxy.start();
                while (!"STARTED".equals(proxy.getState())) {
                    Thread.sleep(10);
                }
                return new BenchServer("S3Proxy 4.1.0 (filesystem, in-process)", URI.create("http://127.0.0.1:" + proxy.getPort()),
                        credentials("bench", "bench-secret"), false, proxy::stop);
            }
            case "s3mock" -> {
                Path jar = required(Path.of(System.getProperty("s3mock.jar", "storage-s3/target/test-servers/s3mock-exec.jar")));
                int port = freePort();
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                Process p = start(List.of(java, "-Xmx512m", "-jar", jar.toString(), "--com.adobe.testing.s3mock.http-port=" + port,
                        "--server.port=0", "--com.adobe.testing.s3mock.store.root=" + data, "--spring.main.banner-mode=off",
                        "--logging.level.root=WARN"), work.resolve("s3mock.log"), port);
                return new BenchServer("Adobe S3Mock 4.7.0 (child JVM, -Xmx512m)", URI.create("http://127.0.0.1:" + port),
                        credentials("s3mock", "s3mock-secret"), false, () -> stop(p));
            }
            case "s3rver" -> {
                Path js = required(Path.of(System.getProperty("s3rver.js",
                        "storage-s3/target/test-servers/s3rver-3.7.1/node_modules/s3rver/bin/s3rver.js")));
                int port = freePort();
                Process p = start(List.of("node", js.toString(), "-d", data.toString(), "-a", "127.0.0.1", "-p",
                        String.valueOf(port), "--silent"), work.resolve("s3rver.log"), port);
                return new BenchServer("s3rver 3.7.1 (node child process)", URI.create("http://127.0.0.1:" + port),
                        credentials("S3RVER", "S3RVER"), true, () -> stop(p));
            }
            default -> throw new IllegalArgumentException("unknown server '" + name + "': use s3proxy, s3mock or s3rver");
        }
    }

    private static Path required(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file.toAbsolutePath() + " is missing: run the storage-s3 tests once (they put"
                    + " S3Mock and s3rver into storage-s3/target/test-servers) or set -Ds3mock.jar= / -Ds3rver.js=");
        }
        return file;
    }

    private static StaticCredentialsProvider credentials(String access, String secret) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret));
    }

    private static Process start(List<String> command, Path log, int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(command.get(0) + " exited: " + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() > 0) {
                    return p;
                }
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        stop(p);
        throw new IllegalStateException("server did not start: " + Files.readString(log));
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String name() {
        return name;
    }

    URI endpoint() {
        return endpoint;
    }

    StaticCredentialsProvider credentials() {
        return credentials;
    }

    /** @return whether both clients must send plain (not aws-chunked) bodies, which s3rver would otherwise store */
    boolean plainUploads() {
        return plainUploads;
    }

    @Override
    public void close() throws Exception {
        stopper.close();
    }
}
