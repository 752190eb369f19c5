package io.attachkit.storage.s3;

import io.attachkit.FileStore;
import io.attachkit.StorageLimits;
import io.attachkit.testkit.FileStoreContract;
import java.util.UUID;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The FileStore contract against LocalStack's S3 in a container: runs wherever Docker is available and is
 * skipped cleanly elsewhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class S3FileStoreLocalStackContractTest extends FileStoreContract {
    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer("localstack/localstack:4.4").withServices("s3");

    @Override
    protected FileStore createStore(StorageLimits limits) {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()));
        String bucket = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        try (S3Client admin = S3Client.builder().endpointOverride(LOCALSTACK.getEndpoint()).forcePathStyle(true)
                .region(Region.of(LOCALSTACK.getRegion())).credentialsProvider(credentials).build()) {
            admin.createBucket(b -> b.bucket(bucket));
        }
        return S3FileStore.builder()
                .bucket(bucket)
                .keyPrefix("contract")
                .endpointOverride(LOCALSTACK.getEndpoint())
                .pathStyleAccess(true)
                .region(LOCALSTACK.getRegion())
                .credentialsProvider(credentials)
                .partSize(5 * 1024 * 1024)
                .limits(limits)
                .build();
    }
}
