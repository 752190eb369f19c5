package io.attachkit.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.FileStore;
import io.attachkit.FileStores;
import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Opening S3 stores from s3:// URIs, and the builder's checks. */
class S3FileStoreProviderTest {

    @Test
    void fileStoresOpen_s3Uri_usesTheDefaultCredentialChain_andTheUriSettings() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.inMemory()) {
            String bucket = server.createBucket();
            System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
            try (FileStore store = FileStores.open("s3://" + bucket + "/chat/files?region=us-east-1&endpoint="
                    + server.endpoint() + "&path_style=true&part_size=6MiB&max_concurrency=3&presign_expiry=PT1H"
                    + "&sha256_in_object_metadata=true",
                    StorageLimits.defaults())) {
                assertThat(store).isInstanceOf(S3FileStore.class);
                S3FileStore s3 = (S3FileStore) store;
                assertThat(s3.bucket()).isEqualTo(bucket);
                assertThat(s3.keyPrefix()).isEqualTo("chat/files/");
                assertThat(s3.partSize()).isEqualTo(6 * 1024 * 1024);
                assertThat(s3.maxConcurrency()).isEqualTo(3);
                assertThat(s3.presignedUrlExpiry()).isEqualTo(Duration.ofHours(1));
                assertThat(s3.sha256InObjectMetadata()).isTrue();

                StoredFile f = store.save(new ByteArrayInputStream("via URI".getBytes(StandardCharsets.UTF_8)), "u.txt", null);
                assertThat(server.client().headObject(b -> b.bucket(bucket).key("chat/files/" + f.storagePath())).contentLength())
                        .isEqualTo(7);
            } finally {
                System.clearProperty("aws.accessKeyId");
                System.clearProperty("aws.secretAccessKey");
            }
        }
    }

    @Test
    void checksumMode_fromTheUri_andItsDefault() {
        S3FileStoreProvider p = new S3FileStoreProvider();
        StorageLimits limits = StorageLimits.defaults();
        try (S3FileStore composite = (S3FileStore) p.open(URI.create("s3://b/p?region=us-east-1&endpoint=http://127.0.0.1:9"
                + "&checksum_mode=composite"), limits);
                S3FileStore byRead = (S3FileStore) p.open(URI.create("s3://b/p?region=us-east-1&endpoint=http://127.0.0.1:9"
                        + "&checksums=false"), limits);
                S3FileStore auto = (S3FileStore) p.open(URI.create("s3://b/p?region=us-east-1&endpoint=http://127.0.0.1:9"),
                        limits)) {
            assertThat(composite.checksumMode()).isEqualTo(ChecksumMode.COMPOSITE);
            assertThat(composite.checksumModeInEffect()).isEqualTo(ChecksumMode.COMPOSITE);
            assertThat(byRead.checksumMode()).isEqualTo(ChecksumMode.NONE_VERIFY_BY_READ);
            assertThat(auto.checksumMode()).isEqualTo(ChecksumMode.AUTO);
            assertThat(auto.checksumModeInEffect()).as("AUTO starts with the strongest").isEqualTo(ChecksumMode.FULL_OBJECT);
        }
        assertThatThrownBy(() -> p.open(URI.create("s3://b/p?checksum_mode=crc64"), limits))
                .hasMessageContaining("checksum_mode=crc64").hasMessageContaining("none_verify_by_read");
    }

    @Test
    void badUris_areRefusedWithTheReason() {
        S3FileStoreProvider p = new S3FileStoreProvider();
        StorageLimits limits = StorageLimits.defaults();
        assertThatThrownBy(() -> p.open(URI.create("s3:///prefix"), limits)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no bucket");
        assertThatThrownBy(() -> p.open(URI.create("s3://b/p?colour=blue&region=us-east-1"), limits))
                .hasMessageContaining("colour").hasMessageContaining("known are")
                .hasMessageContaining("sha256_in_object_metadata");
        assertThatThrownBy(() -> p.open(URI.create("s3://b/p?sha256_in_object_metadata=sometimes"), limits))
                .hasMessageContaining("sha256_in_object_metadata=sometimes").hasMessageContaining("true or false");
        assertThatThrownBy(() -> p.open(URI.create("s3://b/p?secret_key=abc"), limits)).hasMessageContaining("credentials");
        assertThatThrownBy(() -> p.open(URI.create("s3://AKIA:secret@b/p"), limits)).hasMessageContaining("credentials")
                .message().doesNotContain("secret@");
        assertThatThrownBy(() -> p.open(URI.create("s3://b/p?part_size=1MiB&region=us-east-1"), limits))
                .hasMessageContaining("partSize");
        assertThatThrownBy(() -> p.open(URI.create("s3://b/p?path_style=maybe"), limits)).hasMessageContaining("true or false");
        assertThatThrownBy(() -> p.open(URI.create("s3://b/a/../b?region=us-east-1"), limits)).hasMessageContaining("keyPrefix");
    }

    @Test
    void builder_checksEachSettingAtOnce() {
        S3FileStore.Builder b = S3FileStore.builder();
        assertThatThrownBy(() -> b.bucket("has/slash")).hasMessageContaining("bucket");
        assertThatThrownBy(() -> b.partSize(1024)).hasMessageContaining("partSize must be between");
        assertThatThrownBy(() -> b.maxConcurrency(0)).hasMessageContaining("maxConcurrency must be between 1 and 64, was 0");
        assertThatThrownBy(() -> b.presignedUrlExpiry(Duration.ofDays(8))).hasMessageContaining("at most 7 days");
        assertThatThrownBy(() -> b.presignedUrlExpiry(Duration.ZERO)).hasMessageContaining("positive");
        assertThatThrownBy(() -> b.storageClass("COLD_AS_ICE")).hasMessageContaining("storageClass must be one of");
        assertThatThrownBy(() -> b.serverSideEncryption("rot13")).hasMessageContaining("serverSideEncryption");
        assertThatThrownBy(() -> b.keyPrefix("a//b")).hasMessageContaining("keyPrefix");
        assertThatThrownBy(() -> b.endpointOverride(URI.create("ftp://x"))).hasMessageContaining("http(s)");
        assertThatThrownBy(() -> b.maxAttempts(0)).hasMessageContaining("maxAttempts");
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("bucket is required");
        assertThatThrownBy(() -> S3FileStore.builder().bucket("b").region("us-east-1").kmsKeyId("k").build())
                .hasMessageContaining("kmsKeyId needs serverSideEncryption");
    }

    @Test
    void partSize_growsSoTheMaximumFileFitsInTenThousandParts() {
        StorageLimits huge = StorageLimits.builder(java.util.Map.of()).maxFileSize(200L * 1024 * 1024 * 1024).build();
        try (S3FileStore store = S3FileStore.builder().bucket("b").region("us-east-1").endpointOverride(URI.create("http://127.0.0.1:1"))
                .credentialsProvider(S3ProxyServer.credentialsProvider()).limits(huge).build()) {
            assertThat((long) store.partSize() * ObjectUpload.MAX_PARTS).isGreaterThanOrEqualTo(huge.maxFileSize());
            assertThat(store.partSize() % (1024 * 1024)).isZero();
        }
    }
}
