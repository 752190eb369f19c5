package io.attachkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The endpoints contract over an S3 store: a real S3 protocol server (S3Proxy, memory blob store) in this JVM, and
 * {@code attachkit.store=s3://...} in the application's properties, credentials from the SDK's default chain.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "attachkit.web.enabled=true",
        "attachkit.web.path-prefix=/api",
        EndpointsContract.LIMIT_PROPERTIES_JSON,
        EndpointsContract.LIMIT_PROPERTIES_BODY,
        "management.endpoints.web.exposure.include=health,metrics",
        "management.endpoint.health.show-details=always"})
@DirtiesContext
class S3StoreEndpointsTest extends EndpointsContract {
    private static final String ACCESS_KEY = "attachkit-spring";
    private static final String SECRET_KEY = "attachkit-spring-secret";
    private static final String BUCKET = "spring-attachments";
    private static S3Proxy proxy;

    /** Starts S3Proxy before the application context, which opens the store from the property set here. */
    @DynamicPropertySource
    static void s3Store(DynamicPropertyRegistry registry) throws Exception {
        Properties p = new Properties();
        p.setProperty("jclouds.identity", ACCESS_KEY);
        p.setProperty("jclouds.credential", SECRET_KEY);
        proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("transient", p))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!"STARTED".equals(proxy.getState()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build()) {
            s3.createBucket(b -> b.bucket(BUCKET));
        }
        // the SDK's default credentials chain reads these, as it would read the environment in production
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        registry.add("attachkit.store",
                () -> "s3://" + BUCKET + "/uploads?region=us-east-1&endpoint=" + endpoint + "&path_style=true");
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Override
    String backend() {
        return "s3";
    }

    @Override
    void healthDetails(Map<String, Object> details) {
        assertThat(details).containsKey("details"); // the S3 store reports the checksum mode in effect against its endpoint
    }
}
