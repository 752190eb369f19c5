package io.attachkit.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import io.attachkit.StoredFileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/**
 * {@code sha256InObjectMetadata(true)}: a multipart object is rewritten in place after completion so that a client
 * that knows nothing of attachkit sees {@code x-amz-meta-sha256} on the object, and no digest record remains;
 * the store behaves the same either way. Against S3Proxy, checked with a plain SDK client.
 */
class S3Sha256InObjectMetadataTest {
    private static final long MIB = 1024 * 1024;
    private static final String PREFIX = "mp/";
    private static final String RECORDS = PREFIX + DigestRecord.DIRECTORY;
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

    private S3FileStore.Builder smallParts(S3ProxyServer s, String b) {
        return s.storeBuilder(b).keyPrefix("mp").partSize(5 * MIB).maxConcurrency(2).limits(StorageLimits.defaults());
    }

    private static String crc32c(long size, long seed) throws IOException {
        CRC32C crc = new CRC32C();
        try (InputStream in = new TestContent(size, seed)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                crc.update(buf, 0, n);
            }
        }
        return ObjectUpload.crc32c(crc);
    }

    private static java.util.List<String> keys(S3Client plain, String bucket) {
        return plain.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    @Test
    void defaultIsOff_theDigestStaysInARecord() {
        try (S3FileStore store = smallParts(server, bucket).build()) {
            assertThat(store.sha256InObjectMetadata()).isFalse();
        }
        try (S3FileStore store = smallParts(server, bucket).sha256InObjectMetadata(true).build()) {
            assertThat(store.sha256InObjectMetadata()).isTrue();
            assertThat(store.toString()).contains("sha256InObjectMetadata=true");
        }
    }

    @Test
    void multipartObject_carriesItsSha256InItsOwnMetadata_forAPlainClient_andNoDigestRecordRemains() throws Exception {
        long size = 17 * MIB + 123;
        try (S3FileStore store = smallParts(server, bucket).sha256InObjectMetadata(true).build()) {
            StoredFile f = store.save(new TestContent(size, 7), "big report.txt", null);
            String key = PREFIX + f.storagePath();

            S3Client plain = server.client();
            HeadObjectResponse head = plain.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
            assertThat(head.metadata()).containsEntry("sha256", TestContent.sha256(size, 7))
                    .containsEntry("crc32c", crc32c(size, 7))
                    .containsKey("filename");
            assertThat(head.contentLength()).isEqualTo(size);
            // the rewrite keeps what CreateMultipartUpload set
            assertThat(head.contentType()).startsWith("text/plain");
            assertThat(head.contentDisposition()).contains("filename*=UTF-8''big%20report.txt");
            assertThat(keys(plain, bucket)).containsExactly(key);
            assertThat(plain.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
            // the bytes behind the new metadata are still the ones sent
            try (InputStream in = plain.getObject(b -> b.bucket(bucket).key(key))) {
                assertThat(TestContent.firstDifference(in, size, 7)).isEqualTo(-1);
            }
            assertThat(f.sha256()).isEqualTo(TestContent.sha256(size, 7));
        }
    }

    /**
     * Counts CopyObjects, multipart uploads and parts, to tell which copy path the store took (S3Proxy serves an
     * UploadPartCopy as a ranged read and a part upload when the blob store has no native part copy).
     */
    static final class CountingCopiesBlobStore extends ForwardingBlobStore {
        final AtomicInteger copyObjects = new AtomicInteger();
        final AtomicInteger partCopies = new AtomicInteger();
        final AtomicInteger multipartUploads = new AtomicInteger();
        final AtomicInteger parts = new AtomicInteger();

        CountingCopiesBlobStore(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public CopyObjectResponse copyBlob(CopyObjectRequest request) {
            copyObjects.incrementAndGet();
            return super.copyBlob(request);
        }

        @Override
        public UploadPartCopyResponse copyMultipartPart(MultipartUpload upload, UploadPartCopyRequest request) {
            partCopies.incrementAndGet();
            return super.copyMultipartPart(upload, request);
        }

        @Override
        public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
            multipartUploads.incrementAndGet();
            return super.initiateMultipartUpload(request);
        }

        @Override
        public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream in) {
            parts.incrementAndGet();
            return super.uploadMultipartPart(upload, request, in);
        }
    }

    @Test
    void overTheCopyObjectLimit_theObjectIsRewrittenPartByPart_withUploadPartCopy() throws Exception {
        CountingCopiesBlobStore[] counting = new CountingCopiesBlobStore[1];
        try (S3ProxyServer s = S3ProxyServer.inMemory(b -> counting[0] = new CountingCopiesBlobStore(b))) {
            String b = s.createBucket();
            long size = 12 * MIB + 5;
            try (S3FileStore store = smallParts(s, b).sha256InObjectMetadata(true).maxCopyObjectSize(1, 5 * MIB).build()) {
                StoredFile f = store.save(new TestContent(size, 11), "huge.txt", null);
                String key = PREFIX + f.storagePath();

                assertThat(counting[0].copyObjects.get()).isZero();
                assertThat(counting[0].multipartUploads.get()).as("the upload, then the rewrite").isEqualTo(2);
                assertThat(counting[0].parts.get() + counting[0].partCopies.get())
                        .as("5 MiB + 5 MiB + 2 MiB uploaded, then copied").isEqualTo(6);
                S3Client plain = s.client();
                HeadObjectResponse head = plain.headObject(r -> r.bucket(b).key(key));
                assertThat(head.metadata()).containsEntry("sha256", TestContent.sha256(size, 11))
                        .containsEntry("crc32c", crc32c(size, 11));
                assertThat(head.contentLength()).isEqualTo(size);
                assertThat(head.contentType()).startsWith("text/plain");
                assertThat(keys(plain, b)).containsExactly(key);
                assertThat(plain.listMultipartUploads(r -> r.bucket(b)).uploads()).isEmpty();
                assertThat(store.stat(f.fileId()).sha256()).isEqualTo(TestContent.sha256(size, 11));
                try (InputStream in = store.open(f.fileId(), f.storagePath())) {
                    assertThat(TestContent.firstDifference(in, size, 11)).isEqualTo(-1);
                }
            }
        }
    }

    @Test
    void underTheCopyObjectLimit_oneCopyObjectRewritesTheObject() throws Exception {
        CountingCopiesBlobStore[] counting = new CountingCopiesBlobStore[1];
        try (S3ProxyServer s = S3ProxyServer.inMemory(b -> counting[0] = new CountingCopiesBlobStore(b))) {
            String b = s.createBucket();
            try (S3FileStore store = smallParts(s, b).sha256InObjectMetadata(true).build()) {
                store.save(new TestContent(6 * MIB, 12), "once.txt", null);
                store.save(new TestContent(1000, 13), "single-put.txt", null);

                assertThat(counting[0].copyObjects.get()).as("only the multipart object is copied").isEqualTo(1);
                assertThat(counting[0].multipartUploads.get()).as("the upload only").isEqualTo(1);
            }
        }
    }

    @Test
    void readsAreCheckedAgainstTheRewrittenMetadata() throws Exception {
        long size = 11 * MIB;
        try (S3FileStore store = smallParts(server, bucket).sha256InObjectMetadata(true).build()) {
            StoredFile f = store.save(new TestContent(size, 4), "checked.txt", null);
            String key = PREFIX + f.storagePath();
            // another writer replaces the bytes but keeps the metadata: the store's read must notice
            S3Client plain = server.client();
            HeadObjectResponse head = plain.headObject(b -> b.bucket(bucket).key(key));
            plain.putObject(b -> b.bucket(bucket).key(key).metadata(head.metadata()),
                    RequestBody.fromInputStream(new TestContent(size, 5), size));

            assertThatThrownBy(() -> store.get(f.fileId(), f.storagePath())).isInstanceOf(io.attachkit.StorageException.class)
                    .hasMessageContaining("CRC32C");
        }
    }

    @ParameterizedTest(name = "sha256InObjectMetadata={0}")
    @ValueSource(booleans = {false, true})
    void statOpenListDelete_behaveTheSame_inBothModes(boolean inMetadata) throws Exception {
        long big = 13 * MIB + 7;
        long small = 1000;
        try (S3FileStore store = smallParts(server, bucket).sha256InObjectMetadata(inMetadata).build()) {
            StoredFile multipart = store.save(new TestContent(big, 31), "many-parts.txt", null);
            StoredFile single = store.save(new TestContent(small, 32), "one-put.txt", null);

            assertThat(store.stat(multipart.fileId()).sha256()).isEqualTo(TestContent.sha256(big, 31));
            assertThat(store.stat(multipart.fileId(), multipart.storagePath()).size()).isEqualTo(big);
            assertThat(store.stat(multipart.fileId()).filename()).isEqualTo("many-parts.txt");
            assertThat(store.stat(single.fileId()).sha256()).isEqualTo(TestContent.sha256(small, 32));
            try (InputStream in = store.open(multipart.fileId())) {
                assertThat(TestContent.firstDifference(in, big, 31)).isEqualTo(-1);
            }
            try (InputStream in = store.open(single.fileId(), single.storagePath())) {
                assertThat(TestContent.firstDifference(in, small, 32)).isEqualTo(-1);
            }
            assertThat(store.list()).containsExactlyInAnyOrder(multipart.fileId(), single.fileId());
            assertThat(store.fileCount()).isEqualTo(2);
            assertThat(store.storageSize()).isEqualTo(big + small);
            assertThat(keys(server.client(), bucket).stream().anyMatch(k -> k.startsWith(RECORDS))).isEqualTo(!inMetadata);

            store.delete(multipart.fileId());
            store.delete(single.fileId(), single.storagePath());
            assertThat(store.exists(multipart.fileId())).isFalse();
            assertThatThrownBy(() -> store.stat(multipart.fileId())).isInstanceOf(StoredFileNotFoundException.class);
            assertThat(store.list()).isEmpty();
            assertThat(keys(server.client(), bucket)).isEmpty();
        }
    }

    @Test
    void delete_removesADigestRecordLeftBehind_evenWhenTheObjectCarriesItsSha256() throws Exception {
        long size = 9 * MIB;
        try (S3FileStore store = smallParts(server, bucket).sha256InObjectMetadata(true).build()) {
            StoredFile f = store.save(new TestContent(size, 8), "left.txt", null);
            // as if the record's delete after the rewrite had failed
            server.client().putObject(b -> b.bucket(bucket).key(RECORDS + f.storagePath()),
                    RequestBody.fromString("sha256=" + f.sha256() + "\ncrc32c=" + crc32c(size, 8) + "\nsize=" + size + "\n"));

            store.delete(f.fileId(), f.storagePath());

            assertThat(keys(server.client(), bucket)).isEmpty();
        }
    }

    /** Refuses every CopyObject, as a bucket policy that denies the copy would. */
    static final class NoCopyBlobStore extends ForwardingBlobStore {
        final AtomicInteger copies = new AtomicInteger();

        NoCopyBlobStore(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public CopyObjectResponse copyBlob(CopyObjectRequest request) {
            copies.incrementAndGet();
            throw (S3Exception) S3Exception.builder().statusCode(403)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("Access Denied").build())
                    .build();
        }
    }

    @Test
    void copyFailing_keepsTheSave_andTheDigestRecordServesStatAndReads() throws Exception {
        NoCopyBlobStore[] noCopy = new NoCopyBlobStore[1];
        try (S3ProxyServer denying = S3ProxyServer.inMemory(b -> noCopy[0] = new NoCopyBlobStore(b))) {
            String b = denying.createBucket();
            long size = 10 * MIB + 3;
            try (S3FileStore store = smallParts(denying, b).sha256InObjectMetadata(true).build()) {
                StoredFile f = store.save(new TestContent(size, 9), "denied.txt", null);

                assertThat(noCopy[0].copies.get()).isPositive();
                assertThat(denying.client().headObject(r -> r.bucket(b).key(PREFIX + f.storagePath())).metadata())
                        .doesNotContainKey("sha256");
                assertThat(keys(denying.client(), b)).containsExactlyInAnyOrder(PREFIX + f.storagePath(),
                        RECORDS + f.storagePath());
                assertThat(store.stat(f.fileId()).sha256()).isEqualTo(TestContent.sha256(size, 9));
                try (InputStream in = store.open(f.fileId())) {
                    assertThat(TestContent.firstDifference(in, size, 9)).isEqualTo(-1);
                }
                store.delete(f.fileId());
                assertThat(keys(denying.client(), b)).isEmpty();
            }
        }
    }
}
