package io.attachkit.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.Attachment;
import io.attachkit.AttachmentException;
import io.attachkit.AttachmentStatus;
import io.attachkit.FileTooLargeException;
import io.attachkit.StorageLimits;
import io.attachkit.StoreHealth;
import io.attachkit.StoredFile;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Multipart uploads against one S3 server, the same assertions for every server: round trips in every checksum
 * mode the server supports, the mode {@link ChecksumMode#AUTO} settles on, and failures that leave nothing behind.
 */
abstract class S3ServerMultipartTest {
    static final long MIB = 1024 * 1024;
    String bucket;

    /** @return the server, started once per JVM */
    abstract S3TestServer server() throws Exception;

    /** @return the mode AUTO settles on against this server after one multipart upload */
    abstract ChecksumMode autoSettlesOn();

    /** @return whether the server accepts what this fixed mode sends */
    abstract boolean accepts(ChecksumMode mode);

    @BeforeEach
    void newBucket() throws Exception {
        bucket = server().createBucket();
    }

    S3FileStore.Builder smallParts() throws Exception {
        return server().storeBuilder(bucket).keyPrefix("mp").partSize(5 * MIB).maxConcurrency(2)
                .limits(StorageLimits.defaults());
    }

    void assertNothingLeft() throws Exception {
        S3Client plain = server().client();
        assertThat(plain.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
    }

    @Test
    void auto_overOnePart_isStoredVerifiedAndReadBack_andTheModeItSettlesOnIsInTheHealthCheck() throws Exception {
        long size = 11 * MIB + 123;
        try (S3FileStore store = smallParts().build()) {
            assertThat(store.checksumMode()).isEqualTo(ChecksumMode.AUTO);
            StoredFile f = store.save(new TestContent(size, 7), "big.txt", null);
            StoredFile g = store.save(new TestContent(size, 8), "second.txt", null);

            assertThat(f.size()).isEqualTo(size);
            assertThat(f.sha256()).isEqualTo(TestContent.sha256(size, 7));
            try (InputStream in = store.open(f.fileId())) {
                assertThat(TestContent.firstDifference(in, size, 7)).isEqualTo(-1);
            }
            try (InputStream in = store.open(g.fileId(), g.storagePath())) {
                assertThat(TestContent.firstDifference(in, size, 8)).isEqualTo(-1);
            }
            assertThat(store.stat(f.fileId()).sha256()).isEqualTo(f.sha256());
            assertThat(store.checksumModeInEffect()).isEqualTo(autoSettlesOn());
            StoreHealth health = store.checkHealth();
            assertThat(health.healthy()).as("errors: %s", health.errors()).isTrue();
            assertThat(health.details()).containsKey(S3FileStore.HEALTH_CHECKSUM_MODE);
            assertThat(health.details().get(S3FileStore.HEALTH_CHECKSUM_MODE)).startsWith(autoSettlesOn().name())
                    .contains("configured AUTO");

            store.delete(f.fileId(), f.storagePath());
            store.delete(g.fileId(), g.storagePath());
            assertNothingLeft();
        }
    }

    @ParameterizedTest
    @EnumSource(value = ChecksumMode.class, names = {"FULL_OBJECT", "COMPOSITE", "NONE_VERIFY_BY_READ"})
    void fixedMode_roundTrips_orFailsWithNothingLeft_neverFallingBack(ChecksumMode mode) throws Exception {
        long size = 10 * MIB + 1;
        try (S3FileStore store = smallParts().checksumMode(mode).build()) {
            Attachment a = Attachment.fromStream("fixed.txt", new TestContent(size, 3), null);
            if (accepts(mode)) {
                a.ensureStored(store);
                assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
                try (InputStream in = store.open(a.fileId(), a.storagePath())) {
                    assertThat(TestContent.firstDifference(in, size, 3)).isEqualTo(-1);
                }
                StoredFile small = store.save(new TestContent(1000, 4), "small.txt", null);
                assertThat(store.get(small.fileId(), small.storagePath())).hasSize(1000);
            } else {
                assertThatThrownBy(() -> a.ensureStored(store)).isInstanceOf(AttachmentException.class)
                        .hasMessageContaining("checksum");
                assertThat(a.status()).isEqualTo(AttachmentStatus.FAILED);
                assertNothingLeft();
            }
            assertThat(store.checksumModeInEffect()).isEqualTo(mode);
        }
    }

    @Test
    void streamThrowingMidway_abortsTheUpload_andTheAttachmentFails() throws Exception {
        try (S3FileStore store = smallParts().build()) {
            Attachment a = Attachment.fromStream("broken.txt",
                    new S3MultipartTest.FailingAfter(new TestContent(40 * MIB, 1), 12 * MIB), null);
            assertThatThrownBy(() -> a.ensureStored(store)).isInstanceOf(AttachmentException.class)
                    .hasMessageContaining("disk went away");
            assertThat(a.status()).isEqualTo(AttachmentStatus.FAILED);
            assertNothingLeft();
        }
    }

    @Test
    void overTheSizeLimit_isRefusedWhileStreaming() throws Exception {
        StorageLimits limits = StorageLimits.builder(Map.of()).maxFileSize(12 * MIB).build();
        try (S3FileStore store = smallParts().limits(limits).build()) {
            S3MultipartTest.CountingStream source = new S3MultipartTest.CountingStream(new TestContent(200 * MIB, 2));
            assertThatThrownBy(() -> store.save(source, "too-big.txt", null)).isInstanceOf(FileTooLargeException.class);
            assertThat(source.count).isLessThan(20 * MIB);
            assertNothingLeft();
        }
    }
}
