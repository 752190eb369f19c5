package io.attachkit.storage.s3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Adobe S3Mock (a Spring Boot S3 server, from Maven Central) in a child JVM with 512 MiB of heap, started once per
 * test JVM on first use. The build copies its executable jar to {@code target/test-servers} (system property
 * {@code attachkit.s3mock.jar}); without it the tests fail and say how to get it.
 *
 * <p>What it does with checksums (S3Mock 4.7.0): checks part CRC32Cs, keeps and reports composite CRC32Cs, but
 * refuses a {@code FULL_OBJECT} CRC32C on CompleteMultipartUpload with
 * {@code 400 BadRequest (Value for x-amz-checksum-crc32c header is invalid.)}, the reply a mismatch also gets.
 */
final class S3MockServer implements S3TestServer {
    private static S3MockServer shared;

    private final ChildServer process;
    private S3Client client;

    private S3MockServer(ChildServer process) {
        this.process = process;
    }

    /** @return the JVM's S3Mock, started on first call */
    static synchronized S3MockServer shared() throws Exception {
        if (shared == null) {
            String jarProperty = System.getProperty("attachkit.s3mock.jar", "target/test-servers/s3mock-exec.jar");
            Path jar = Path.of(jarProperty);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("S3Mock's jar is missing at " + jar.toAbsolutePath() + ": run the tests"
                        + " with Maven (mvn -pl storage-s3 -am verify copies com.adobe.testing:s3mock:exec there)");
            }
            int port = ChildServer.freePort();
            Path data = Files.createTempDirectory("attachkit-s3mock-");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            shared = new S3MockServer(ChildServer.start("s3mock", List.of(java, "-Xmx512m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                    "--com.adobe.testing.s3mock.http-port=" + port,
                    "--server.port=0", // its HTTPS port: any free one
                    "--com.adobe.testing.s3mock.store.root=" + data,
                    "--spring.main.banner-mode=off",
                    "--logging.level.root=WARN"), port, data, Duration.ofSeconds(120)));
        }
        return shared;
    }

    @Override
    public String name() {
        return "S3Mock";
    }

    @Override
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + process.port());
    }

    @Override
    public StaticCredentialsProvider accessCredentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("s3mock", "s3mock-secret"));
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
