package io.attachkit.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.StorageException;
import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Faults injected inside a real S3 server (S3Proxy with a wrapped blob store): throttling that the SDK's
 * retry strategy must ride out, and a server that stores something other than what it was sent.
 */
class S3FaultsTest {
    private S3ProxyServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Answers the first {@code failures} PUTs with 503 SlowDown, like S3 under load. */
    static final class SlowDownBlobStore extends ForwardingBlobStore {
        final AtomicInteger puts = new AtomicInteger();
        private final int failures;

        SlowDownBlobStore(BlobStore delegate, int failures) {
            super(delegate);
            this.failures = failures;
        }

        @Override
        public PutObjectResponse putBlob(PutObjectRequest request, InputStream in) {
            if (puts.incrementAndGet() <= failures) {
                try {
                    in.readAllBytes();
                } catch (IOException ignored) {
                    // the body is discarded either way
                }
                throw (S3Exception) S3Exception.builder().statusCode(503)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("SlowDown").errorMessage("Please reduce your request rate.").build())
                        .build();
            }
            return super.putBlob(request, in);
        }
    }

    /** Stores every object with extra bytes at the end, as a server that keeps aws-chunked framing does. */
    static final class PaddingBlobStore extends ForwardingBlobStore {
        PaddingBlobStore(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public PutObjectResponse putBlob(PutObjectRequest request, InputStream in) {
            byte[] junk = "\r\n0;chunk-signature=0000\r\n".getBytes(StandardCharsets.US_ASCII);
            PutObjectRequest longer = request.toBuilder()
                    .contentLength(request.contentLength() == null ? null : request.contentLength() + junk.length)
                    .checksumSHA256(null).build();
            return super.putBlob(longer, new SequenceInputStream(in, new ByteArrayInputStream(junk)));
        }
    }

    @Test
    void throttling_isRetriedWithBackoff_andTheSaveSucceeds() throws Exception {
        SlowDownBlobStore[] slow = new SlowDownBlobStore[1];
        server = S3ProxyServer.inMemory(b -> slow[0] = new SlowDownBlobStore(b, 2));
        String bucket = server.createBucket();
        try (S3FileStore store = server.storeBuilder(bucket).maxAttempts(3).throttlingBaseDelay(Duration.ofMillis(20))
                .limits(StorageLimits.defaults()).build()) {
            StoredFile f = store.save(new ByteArrayInputStream("busy day".getBytes(StandardCharsets.UTF_8)), "a.txt", null);

            assertThat(slow[0].puts.get()).isEqualTo(3);
            assertThat(store.get(f.fileId())).asString(StandardCharsets.UTF_8).isEqualTo("busy day");
        }
    }

    @Test
    void throttling_beyondTheAttempts_isARetryableStorageException_andNothingIsLeft() throws Exception {
        server = S3ProxyServer.inMemory(b -> new SlowDownBlobStore(b, 100));
        String bucket = server.createBucket();
        try (S3FileStore store = server.storeBuilder(bucket).maxAttempts(2).throttlingBaseDelay(Duration.ofMillis(10))
                .limits(StorageLimits.defaults()).build()) {
            assertThatThrownBy(() -> store.save(new ByteArrayInputStream("busy".getBytes(StandardCharsets.UTF_8)), "a.txt", null))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isTrue())
                    .hasMessageContaining("503").hasMessageContaining("SlowDown");
            assertThat(store.list()).isEmpty();
        }
    }

    @Test
    void serverStoringOtherBytesThanSent_failsTheSave_andDeletesTheObject() throws Exception {
        server = S3ProxyServer.inMemory(PaddingBlobStore::new);
        String bucket = server.createBucket();
        try (S3FileStore store = server.storeBuilder(bucket).limits(StorageLimits.defaults()).build()) {
            assertThatThrownBy(() -> store.save(new ByteArrayInputStream("exact bytes".getBytes(StandardCharsets.UTF_8)), "a.txt", null))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("holds 37 bytes but 11 were sent")
                    .hasMessageContaining("chunkedEncoding(false)");
            assertThat(server.client().listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
        }
    }
}
