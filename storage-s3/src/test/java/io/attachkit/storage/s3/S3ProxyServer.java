package io.attachkit.storage.s3;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server (S3Proxy) in this JVM, on a free port, with a memory or filesystem blob store that can be
 * wrapped to inject faults. It can be stopped and started again on the same port with the same contents.
 */
final class S3ProxyServer implements S3TestServer, AutoCloseable {
    static final String ACCESS_KEY = "attachkit-test";
    static final String SECRET_KEY = "attachkit-test-secret";

    private final BlobStore blobStore;
    private S3Proxy proxy;
    private int port;
    private S3Client client;

    private S3ProxyServer(BlobStore blobStore) throws Exception {
        this.blobStore = blobStore;
        startOn(0);
    }

    /** @return a server over a memory blob store */
    static S3ProxyServer inMemory() throws Exception {
        return new S3ProxyServer(BlobStores.create("transient", credentials()));
    }

    /**
     * @param wrap wraps the blob store (to inject faults)
     * @return a server over a wrapped memory blob store
     */
    static S3ProxyServer inMemory(UnaryOperator<BlobStore> wrap) throws Exception {
        return new S3ProxyServer(wrap.apply(BlobStores.create("transient", credentials())));
    }

    /**
     * @param dir where the blobs go
     * @return a server over a filesystem blob store (objects do not take heap)
     */
    static S3ProxyServer onDisk(Path dir) throws Exception {
        Properties p = credentials();
        p.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
        return new S3ProxyServer(BlobStores.create("filesystem", p));
    }

    private static Properties credentials() {
        Properties p = new Properties();
        p.setProperty("jclouds.identity", ACCESS_KEY);
        p.setProperty("jclouds.credential", SECRET_KEY);
        return p;
    }

    private void startOn(int wantedPort) throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:" + wantedPort))
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!"STARTED".equals(proxy.getState()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        port = proxy.getPort();
    }

    @Override
    public String name() {
        return "S3Proxy";
    }

    @Override
    public StaticCredentialsProvider accessCredentials() {
        return credentialsProvider();
    }

    /** @return the server's endpoint */
    @Override
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** @return the blob store behind the server */
    BlobStore blobStore() {
        return blobStore;
    }

    /** Stops serving; the contents stay. */
    void stop() throws Exception {
        proxy.stop();
    }

    /** Serves the same contents again on the same port. */
    void restart() throws Exception {
        startOn(port);
    }

    /** @return a plain SDK client that knows nothing of attachkit */
    @Override
    public synchronized S3Client client() {
        if (client == null) {
            client = S3Client.builder()
                    .endpointOverride(endpoint())
                    .forcePathStyle(true)
                    .region(Region.US_EAST_1)
                    .credentialsProvider(credentialsProvider())
                    .build();
        }
        return client;
    }

    static StaticCredentialsProvider credentialsProvider() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /** @return the name of a new, empty bucket */
    @Override
    public String createBucket() {
        String name = "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        client().createBucket(b -> b.bucket(name));
        return name;
    }

    /**
     * @param bucket the bucket
     * @return a store builder pointed at this server
     */
    @Override
    public S3FileStore.Builder storeBuilder(String bucket) {
        return S3FileStore.builder()
                .bucket(bucket)
                .endpointOverride(endpoint())
                .pathStyleAccess(true)
                .region("us-east-1")
                .credentialsProvider(credentialsProvider());
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
        }
        try {
            proxy.stop();
        } catch (Exception alreadyStopped) {
            // fine
        }
    }
}
