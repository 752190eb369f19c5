package io.attachkit.storage.s3;

import java.net.URI;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** A real S3 server the tests run against: S3Proxy in this JVM, or an independent server in a child process. */
interface S3TestServer {
    /** @return a short name for test and log output */
    String name();

    /** @return the server's endpoint */
    URI endpoint();

    /** @return credentials the server accepts */
    StaticCredentialsProvider accessCredentials();

    /** @return whether SDK uploads must not use aws-chunked encoding (the server would store the framing) */
    default boolean needsPlainUploads() {
        return false;
    }

    /** @return a plain SDK client that knows nothing of attachkit (one per call; the caller closes it) */
    default S3Client newClient() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(accessCredentials())
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(!needsPlainUploads()).build())
                .build();
    }

    /** @return a plain SDK client, kept by the server */
    S3Client client();

    /** @return the name of a new, empty bucket */
    default String createBucket() {
        String name = "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        client().createBucket(b -> b.bucket(name));
        return name;
    }

    /**
     * @param bucket the bucket
     * @return a store builder pointed at this server, with the settings the server needs
     */
    default S3FileStore.Builder storeBuilder(String bucket) {
        S3FileStore.Builder b = S3FileStore.builder()
                .bucket(bucket)
                .endpointOverride(endpoint())
                .pathStyleAccess(true)
                .region("us-east-1")
                .credentialsProvider(accessCredentials());
        if (needsPlainUploads()) {
            b.chunkedEncoding(false);
        }
        return b;
    }
}
