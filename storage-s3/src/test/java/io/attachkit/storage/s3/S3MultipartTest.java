package io.attachkit.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.AttachmentException;
import io.attachkit.Attachment;
import io.attachkit.AttachmentStatus;
import io.attachkit.FileTooLargeException;
import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** Multipart uploads against a real S3 server: round trips, and failures that must leave no parts behind. */
class S3MultipartTest {
    private static final long MIB = 1024 * 1024;
    private static S3ProxyServer server;
    private String bucket;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.inMemory();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void newBucket() {
        bucket = server.createBucket();
    }

    private S3FileStore.Builder smallParts() {
        return server.storeBuilder(bucket).keyPrefix("mp").partSize(5 * MIB).maxConcurrency(2)
                .limits(StorageLimits.defaults());
    }

    private void assertNothingLeft() {
        S3Client plain = server.client();
        assertThat(plain.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
        assertThat(plain.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
    }

    @Test
    void unknownLength_overOnePart_roundTripsByteForByte_withItsDigestRecorded() throws Exception {
        long size = 17 * MIB + 123;
        try (S3FileStore store = smallParts().build()) {
            StoredFile f = store.save(new TestContent(size, 7), "big.txt", null);

            assertThat(f.size()).isEqualTo(size);
            assertThat(f.sha256()).isEqualTo(TestContent.sha256(size, 7));
            try (InputStream in = store.open(f.fileId())) {
                assertThat(TestContent.firstDifference(in, size, 7)).isEqualTo(-1);
            }
            assertThat(store.stat(f.fileId()).sha256()).isEqualTo(f.sha256());
            HeadObjectResponse head = server.client().headObject(b -> b.bucket(bucket).key("mp/" + f.storagePath())
                    .checksumMode(ChecksumMode.ENABLED));
            assertThat(head.contentLength()).isEqualTo(size);
            assertThat(head.checksumCRC32C()).as("S3's full-object CRC32C").isNotNull();
            assertThat(server.client().getObjectAsBytes(b -> b.bucket(bucket).key("mp/.attachkit-digests/" + f.storagePath()))
                    .asUtf8String()).contains("sha256=" + f.sha256()).contains("size=" + size);
            assertThat(head.contentType()).startsWith("text/plain");
            assertThat(head.contentDisposition()).contains("filename*=UTF-8''big.txt");
            assertThat(server.client().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
        }
    }

    @Test
    void compatibilitySwitchesOff_noChecksumsNoChunkedEncoding_stillRoundTripAndVerify() throws Exception {
        long size = 11 * MIB + 1;
        try (S3FileStore store = smallParts().objectChecksums(false).chunkedEncoding(false)
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .build()) {
            StoredFile big = store.save(new TestContent(size, 21), "compat.txt", null);
            StoredFile small = store.save(new TestContent(1000, 22), "small.txt", null);

            try (InputStream in = store.open(big.fileId())) {
                assertThat(TestContent.firstDifference(in, size, 21)).isEqualTo(-1);
            }
            try (InputStream in = store.open(small.fileId())) {
                assertThat(TestContent.firstDifference(in, 1000, 22)).isEqualTo(-1);
            }
            assertThat(store.stat(big.fileId(), big.storagePath()).sha256()).isEqualTo(TestContent.sha256(size, 21));
            assertThat(store.stat(small.fileId(), small.storagePath()).sha256()).isEqualTo(TestContent.sha256(1000, 22));
        }
    }

    @Test
    void exactlyOnePart_isStoredWithOnePut() throws Exception {
        long size = 5 * MIB;
        try (S3FileStore store = smallParts().build()) {
            StoredFile f = store.save(new TestContent(size, 3), "edge.txt", null);
            HeadObjectResponse head = server.client().headObject(b -> b.bucket(bucket).key("mp/" + f.storagePath())
                    .checksumMode(ChecksumMode.ENABLED));
            assertThat(head.contentLength()).isEqualTo(size);
            // a single PUT carries the full-object SHA-256 as its S3 checksum
            assertThat(head.checksumSHA256()).isEqualTo(ObjectUpload.base64OfHex(f.sha256()));
        }
    }

    @Test
    void multipartDigestRecord_isHiddenFromListing_usedByStatAndReads_andDeletedWithTheFile() throws Exception {
        long size = 12 * MIB + 5;
        try (S3FileStore store = smallParts().build()) {
            StoredFile f = store.save(new TestContent(size, 11), "huge.txt", null);
            String key = "mp/" + f.storagePath();
            String recordKey = "mp/.attachkit-digests/" + f.storagePath();

            // no server-side copy: the object's own metadata has the filename but not the digest
            assertThat(server.client().headObject(b -> b.bucket(bucket).key(key)).metadata())
                    .containsKey("filename").doesNotContainKey("sha256");
            assertThat(store.stat(f.fileId()).sha256()).isEqualTo(TestContent.sha256(size, 11));
            assertThat(store.list()).containsExactly(f.fileId());
            assertThat(store.fileCount()).isEqualTo(1);
            assertThat(store.storageSize()).isEqualTo(size);

            // reads are checked against the record: a record that disagrees with the bytes fails the read
            try (InputStream in = store.open(f.fileId(), f.storagePath())) {
                assertThat(TestContent.firstDifference(in, size, 11)).isEqualTo(-1);
            }
            String body = server.client().getObjectAsBytes(b -> b.bucket(bucket).key(recordKey)).asUtf8String();
            server.client().putObject(b -> b.bucket(bucket).key(recordKey),
                    software.amazon.awssdk.core.sync.RequestBody.fromString(body.replaceAll("crc32c=.*", "crc32c=AAAAAA==")
                            .replaceAll("sha256=.*", "sha256=" + "0".repeat(64))));
            assertThatThrownBy(() -> store.get(f.fileId(), f.storagePath())).isInstanceOf(io.attachkit.StorageException.class)
                    .hasMessageContaining("CRC32C");

            store.delete(f.fileId(), f.storagePath());
            assertNothingLeft();
        }
    }

    @Test
    void streamThrowingMidway_abortsTheUpload_andTheAttachmentFails() throws Exception {
        try (S3FileStore store = smallParts().build()) {
            InputStream failing = new FailingAfter(new TestContent(40 * MIB, 1), 13 * MIB);

            assertThatThrownBy(() -> store.save(failing, "broken.txt", null))
                    .isInstanceOf(AttachmentException.class)
                    .hasMessageContaining("disk went away");
            assertNothingLeft();

            Attachment a = Attachment.fromStream("broken.txt", new FailingAfter(new TestContent(40 * MIB, 1), 13 * MIB), null);
            assertThatThrownBy(() -> a.ensureStored(store)).isInstanceOf(AttachmentException.class);
            assertThat(a.status()).isEqualTo(AttachmentStatus.FAILED);
            assertThat(a.fileId()).isNull();
            assertNothingLeft();
        }
    }

    @Test
    void overTheSizeLimit_isRefusedWhileStreaming_andTheUploadAborted() throws Exception {
        StorageLimits limits = StorageLimits.builder(java.util.Map.of()).maxFileSize(12 * MIB).build();
        try (S3FileStore store = smallParts().limits(limits).build()) {
            CountingStream source = new CountingStream(new TestContent(200 * MIB, 2));

            assertThatThrownBy(() -> store.save(source, "too-big.txt", null)).isInstanceOf(FileTooLargeException.class);
            assertThat(source.count).isLessThan(20 * MIB); // stopped right after the limit, not read to the end
            assertNothingLeft();
        }
    }

    @Test
    void serverStoppingMidway_failsTheSave_andTheUploadIsAbortedOnceItIsBack() throws Exception {
        try (S3FileStore store = smallParts().maxAttempts(2).retryBaseDelay(Duration.ofMillis(10))
                .retryMaxBackoff(Duration.ofMillis(50)).throttlingBaseDelay(Duration.ofMillis(10))
                .abortTimeout(Duration.ofSeconds(20)).build()) {
            Thread[] restarter = new Thread[1];
            InputStream stopsServer = new FilterInputStream(new TestContent(40 * MIB, 5)) {
                private long count;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (count >= 12 * MIB && restarter[0] == null) {
                        try {
                            server.stop(); // parts 1 and 2 are up or in flight; part 3 will meet a dead server
                        } catch (Exception e) {
                            throw new IOException(e);
                        }
                        restarter[0] = new Thread(() -> {
                            try {
                                Thread.sleep(2500);
                                server.restart();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        restarter[0].start();
                    }
                    int n = super.read(b, off, len);
                    count += Math.max(0, n);
                    return n;
                }
            };
            Attachment a = Attachment.fromStream("during-outage.txt", stopsServer, null);

            assertThatThrownBy(() -> a.ensureStored(store)).isInstanceOf(AttachmentException.class);

            restarter[0].join();
            assertThat(a.status()).isEqualTo(AttachmentStatus.FAILED);
            assertNothingLeft();
        }
    }

    @Test
    void abortIncompleteUploads_removesLeftoversUnderThePrefixOnly() {
        S3Client plain = server.client();
        plain.createMultipartUpload(b -> b.bucket(bucket).key("mp/ab/cdef.txt"));
        plain.createMultipartUpload(b -> b.bucket(bucket).key("other/ab/cdef.txt"));
        try (S3FileStore store = smallParts().build()) {
            assertThat(store.abortIncompleteUploads(Duration.ZERO)).isEqualTo(1);
        }
        assertThat(plain.listMultipartUploads(b -> b.bucket(bucket)).uploads()).extracting(u -> u.key())
                .containsExactly("other/ab/cdef.txt");
    }

    /** Throws an IOException once {@code limit} bytes have been read. */
    static final class FailingAfter extends FilterInputStream {
        private final long limit;
        private long count;

        FailingAfter(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (count >= limit) {
                throw new IOException("disk went away");
            }
            int n = super.read(b, off, (int) Math.min(len, limit - count));
            count += Math.max(0, n);
            return n;
        }
    }

    static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }
    }
}
