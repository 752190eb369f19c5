package io.attachkit.storage.s3;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * s3rver (a Node.js S3 server, from npm) in a child process, started once per test JVM on first use. It is
 * installed with npm into {@code target/test-servers/s3rver-<version>} on first use (system properties
 * {@code attachkit.s3rver.version} and {@code attachkit.s3rver.dir}); without node and npm the tests fail and
 * say so.
 *
 * <p>What it does with checksums (s3rver 3.7.1): accepts every {@code x-amz-checksum-*} header, checks none and
 * reports none, and over plain http stores the SDK's aws-chunked framing inside the object unless chunked
 * encoding is off ({@link #needsPlainUploads()}).
 */
final class S3rverServer implements S3TestServer {
    private static S3rverServer shared;

    private final ChildServer process;
    private S3Client client;

    private S3rverServer(ChildServer process) {
        this.process = process;
    }

    /** @return the JVM's s3rver, installed and started on first call */
    static synchronized S3rverServer shared() throws Exception {
        if (shared == null) {
            Path script = install();
            int port = ChildServer.freePort();
            Path data = Files.createTempDirectory("attachkit-s3rver-");
            shared = new S3rverServer(ChildServer.start("s3rver", List.of("node", script.toString(), "-d", data.toString(),
                    "-a", "127.0.0.1", "-p", String.valueOf(port), "--silent"), port, data, Duration.ofSeconds(60)));
        }
        return shared;
    }

    /** Installs s3rver with npm unless it is there; idempotent. */
    private static Path install() throws IOException, InterruptedException {
        String version = System.getProperty("attachkit.s3rver.version", "3.7.1");
        Path dir = Path.of(System.getProperty("attachkit.s3rver.dir", "target/test-servers/s3rver-" + version));
        Path script = dir.resolve("node_modules/s3rver/bin/s3rver.js");
        if (Files.isRegularFile(script)) {
            return script;
        }
        Files.createDirectories(dir);
        Path log = dir.resolve("npm-install.log");
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefer-offline", "--prefix",
                    dir.toString(), "s3rver@" + version).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("The s3rver tests need node and npm on the PATH (Debian: apt-get install"
                    + " nodejs npm): " + e.getMessage(), e);
        }
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0 || !Files.isRegularFile(script)) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm install s3rver@" + version + " into " + dir + " failed:\n"
                    + Files.readString(log));
        }
        return script;
    }

    @Override
    public String name() {
        return "s3rver";
    }

    @Override
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + process.port());
    }

    @Override
    public StaticCredentialsProvider accessCredentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("S3RVER", "S3RVER"));
    }

    @Override
    public boolean needsPlainUploads() {
        return true;
    }

    @Override
    public synchronized S3Client client() {
        if (client == null) {
            client = newClient();
        }
        return client;
    }

    @Override
    public String toString() {
        return process.toString();
    }
}
