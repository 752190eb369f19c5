package io.attachkit.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.attachkit.Attachment;
import io.attachkit.AttachmentException;
import io.attachkit.AttachmentStatus;
import io.attachkit.StorageException;
import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import io.attachkit.storage.s3.FaultProxy.Fault;
import java.io.InputStream;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;

/**
 * The checksum fall-backs made deterministic: a real server (S3Proxy, or s3rver) behind a {@link FaultProxy} that
 * refuses one kind of checksum with {@code 400 BadRequest (Value for x-amz-checksum-crc32c header is invalid.)},
 * or damages a byte of a part in transit. A refusal never fails an AUTO save; the fall-back is remembered per
 * store and logged once; whatever the server accepted, the save is verified, and damage is a FAILED save with
 * nothing left.
 */
class S3ChecksumFallbackTest {
    private static final long MIB = 1024 * 1024;
    private static final Predicate<String> FULL_OBJECT_HEADER = h -> h.contains("\r\nx-amz-checksum-type: full_object");
    private static final Predicate<String> PART_CHECKSUM_HEADER = h -> h.contains("\r\nx-amz-checksum-crc32c:");
    private static S3ProxyServer server;
    private FaultProxy proxy;
    private String bucket;
    private ListAppender<ILoggingEvent> warnings;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.inMemory();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        proxy = new FaultProxy(server.endpoint().getPort());
        bucket = server.createBucket();
        warnings = new ListAppender<>();
        warnings.start();
        ((Logger) LoggerFactory.getLogger(ChecksumSupport.class)).addAppender(warnings);
    }

    @AfterEach
    void tearDown() throws Exception {
        ((Logger) LoggerFactory.getLogger(ChecksumSupport.class)).detachAppender(warnings);
        proxy.close();
    }

    private S3FileStore.Builder throughProxy() {
        return server.storeBuilder(bucket).endpointOverride(proxy.endpoint()).keyPrefix("fb").partSize(5 * MIB)
                .maxConcurrency(2).maxAttempts(1).limits(StorageLimits.defaults());
    }

    private long warningCount() {
        return warnings.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
    }

    private void assertRoundTrips(S3FileStore store, StoredFile f, long size, int seed) throws Exception {
        try (InputStream in = store.open(f.fileId(), f.storagePath())) {
            assertThat(TestContent.firstDifference(in, size, seed)).isEqualTo(-1);
        }
    }

    private void assertNothingLeft() {
        assertThat(server.client().listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
        assertThat(server.client().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void completeRefusingFullObject_auto_finishesComposite_remembersIt_andLogsOnce() throws Exception {
        proxy.arm(Fault.REFUSE_CHECKSUM, FaultProxy.COMPLETE_UPLOAD, FULL_OBJECT_HEADER, 0, Integer.MAX_VALUE);
        try (S3FileStore store = throughProxy().build()) {
            Attachment a = Attachment.fromStream("big.txt", new TestContent(11 * MIB, 1), null);
            a.ensureStored(store);
            StoredFile b = store.save(new TestContent(11 * MIB, 2), "second.txt", null);

            assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
            assertThat(store.checksumModeInEffect()).isEqualTo(ChecksumMode.COMPOSITE);
            assertThat(proxy.injected(Fault.REFUSE_CHECKSUM)).as("the second upload no longer asks").isEqualTo(1);
            assertThat(warningCount()).isEqualTo(1);
            assertThat(warnings.list.get(0).getFormattedMessage()).contains("CompleteMultipartUpload")
                    .contains("Value for x-amz-checksum-crc32c header is invalid");
            assertThat(store.checkHealth().details().get(S3FileStore.HEALTH_CHECKSUM_MODE))
                    .startsWith("COMPOSITE (configured AUTO; fell back FULL_OBJECT -> COMPOSITE")
                    .contains("CompleteMultipartUpload");
            assertRoundTrips(store, store.stat(a.fileId(), a.storagePath()), 11 * MIB, 1);
            assertRoundTrips(store, b, 11 * MIB, 2);
        }
    }

    @Test
    void completeRefusingFullObject_fixedFullObject_failsTheSave_withNothingLeft() {
        proxy.arm(Fault.REFUSE_CHECKSUM, FaultProxy.COMPLETE_UPLOAD, FULL_OBJECT_HEADER, 0, Integer.MAX_VALUE);
        try (S3FileStore store = throughProxy().checksumMode(ChecksumMode.FULL_OBJECT).build()) {
            Attachment a = Attachment.fromStream("big.txt", new TestContent(11 * MIB, 1), null);
            assertThatThrownBy(() -> a.ensureStored(store)).isInstanceOf(AttachmentException.class)
                    .hasMessageContaining("HTTP 400 BadRequest (Value for x-amz-checksum-crc32c header is invalid.)");
            assertThat(a.status()).isEqualTo(AttachmentStatus.FAILED);
            assertThat(store.checksumModeInEffect()).isEqualTo(ChecksumMode.FULL_OBJECT);
            assertThat(warningCount()).isZero();
        }
        assertNothingLeft();
    }

    @Test
    void createRefusingFullObject_auto_startsComposite() throws Exception {
        proxy.arm(Fault.REFUSE_CHECKSUM, FaultProxy.CREATE_UPLOAD, FULL_OBJECT_HEADER, 0, Integer.MAX_VALUE);
        try (S3FileStore store = throughProxy().build()) {
            StoredFile f = store.save(new TestContent(11 * MIB, 3), "big.txt", null);
            assertThat(store.checksumModeInEffect()).isEqualTo(ChecksumMode.COMPOSITE);
            assertThat(proxy.injected(Fault.REFUSE_CHECKSUM)).isEqualTo(1);
            assertThat(warnings.list.get(0).getFormattedMessage()).contains("CreateMultipartUpload");
            assertRoundTrips(store, f, 11 * MIB, 3);
        }
    }

    @Test
    void uploadPartRefusingItsChecksum_auto_sendsPartsWithout_andVerifiesByReadingBack() throws Exception {
        proxy.arm(Fault.REFUSE_CHECKSUM, FaultProxy.UPLOAD_PART, PART_CHECKSUM_HEADER, 0, Integer.MAX_VALUE);
        try (S3FileStore store = throughProxy().maxConcurrency(1).build()) {
            StoredFile f = store.save(new TestContent(11 * MIB, 4), "big.txt", null);
            int refusals = proxy.injected(Fault.REFUSE_CHECKSUM);
            StoredFile g = store.save(new TestContent(6 * MIB, 5), "next.txt", null);

            assertThat(store.checksumModeInEffect()).isEqualTo(ChecksumMode.NONE_VERIFY_BY_READ);
            assertThat(refusals).as("the two parts already sent when the first refusal came").isBetween(1, 2);
            assertThat(proxy.injected(Fault.REFUSE_CHECKSUM)).as("the next upload sends no part checksum").isEqualTo(refusals);
            assertThat(warningCount()).isEqualTo(1);
            assertThat(warnings.list.get(0).getFormattedMessage()).contains("UploadPart");
            assertRoundTrips(store, f, 11 * MIB, 4);
            assertRoundTrips(store, g, 6 * MIB, 5);
        }
    }

    @Test
    void fallBack_isPerStore_anotherStoreOnTheSameEndpointStartsAgainWithFullObject() throws Exception {
        proxy.arm(Fault.REFUSE_CHECKSUM, FaultProxy.COMPLETE_UPLOAD, FULL_OBJECT_HEADER, 0, 1);
        try (S3FileStore first = throughProxy().build(); S3FileStore second = throughProxy().build()) {
            first.save(new TestContent(11 * MIB, 6), "a.txt", null);
            second.save(new TestContent(11 * MIB, 7), "b.txt", null);
            assertThat(first.checksumModeInEffect()).isEqualTo(ChecksumMode.COMPOSITE);
            assertThat(second.checksumModeInEffect()).isEqualTo(ChecksumMode.FULL_OBJECT);
        }
    }

    @Test
    void partDamagedInTransit_withoutFlexibleChecksums_failsTheSave_withNothingLeft() {
        // no x-amz-checksum-* header: S3Proxy still checks the signed payload hash; s3rver (below) checks nothing
        proxy.arm(Fault.CORRUPT, FaultProxy.UPLOAD_PART, h -> true, 3 * MIB + 17, 1);
        try (S3FileStore store = throughProxy().checksumMode(ChecksumMode.NONE_VERIFY_BY_READ).chunkedEncoding(false)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED).build()) {
            Attachment a = Attachment.fromStream("damaged.txt", new TestContent(11 * MIB, 8), null);
            assertThatThrownBy(() -> a.ensureStored(store)).isInstanceOf(StorageException.class);
            assertThat(a.status()).isEqualTo(AttachmentStatus.FAILED);
            assertThat(proxy.injected(Fault.CORRUPT)).isEqualTo(1);
        }
        assertNothingLeft();
    }

    @Test
    void partDamagedInTransit_onAServerThatChecksNoChecksum_auto_isCaughtByTheReadBack_andNothingIsLeft() throws Exception {
        S3rverServer s3rver = S3rverServer.shared();
        String rawBucket = s3rver.createBucket();
        try (FaultProxy toS3rver = new FaultProxy(s3rver.endpoint().getPort());
                S3FileStore store = s3rver.storeBuilder(rawBucket).endpointOverride(toS3rver.endpoint()).keyPrefix("fb")
                        .partSize(5 * MIB).maxConcurrency(2).limits(StorageLimits.defaults()).build()) {
            toS3rver.arm(Fault.CORRUPT, FaultProxy.UPLOAD_PART, h -> true, MIB, 1);
            Attachment a = Attachment.fromStream("damaged.txt", new TestContent(11 * MIB, 9), null);
            assertThatThrownBy(() -> a.ensureStored(store)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("reading it back gave different bytes");
            assertThat(a.status()).isEqualTo(AttachmentStatus.FAILED);
            assertThat(toS3rver.injected(Fault.CORRUPT)).isEqualTo(1);
            assertThat(s3rver.client().listObjectsV2(b -> b.bucket(rawBucket)).contents()).isEmpty();

            // the same store then saves undamaged content
            StoredFile f = store.save(new TestContent(11 * MIB, 10), "fine.txt", null);
            assertRoundTrips(store, f, 11 * MIB, 10);
        }
    }

    @Test
    void noChecksums_onAServerWithMd5Etags_isVerifiedByTheEtags_withoutReadingBack() throws Exception {
        S3rverServer s3rver = S3rverServer.shared();
        String rawBucket = s3rver.createBucket();
        java.util.List<String> gets = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FaultProxy toS3rver = new FaultProxy(s3rver.endpoint().getPort());
                S3FileStore store = s3rver.storeBuilder(rawBucket).endpointOverride(toS3rver.endpoint()).keyPrefix("fb")
                        .checksumMode(ChecksumMode.NONE_VERIFY_BY_READ).partSize(5 * MIB).maxConcurrency(2)
                        .limits(StorageLimits.defaults()).build()) {
            // a plan that never fires: it only notes each GET
            toS3rver.arm(Fault.RESET, line -> line.startsWith("GET /" + rawBucket + "/") && gets.add(line) && false, 0, Integer.MAX_VALUE);
            StoredFile big = store.save(new TestContent(11 * MIB, 11), "big.txt", null);
            StoredFile small = store.save(new TestContent(100_000, 12), "small.txt", null);
            assertThat(gets).as("no save was read back").isEmpty();
            toS3rver.heal();
            assertRoundTrips(store, big, 11 * MIB, 11);
            assertRoundTrips(store, small, 100_000, 12);
        }
    }

    @Test
    void partDamagedInTransit_noChecksums_itsEtagDiffers_andTheReadBackFailsTheSave() throws Exception {
        S3rverServer s3rver = S3rverServer.shared();
        String rawBucket = s3rver.createBucket();
        try (FaultProxy toS3rver = new FaultProxy(s3rver.endpoint().getPort());
                S3FileStore store = s3rver.storeBuilder(rawBucket).endpointOverride(toS3rver.endpoint()).keyPrefix("fb")
                        .checksumMode(ChecksumMode.NONE_VERIFY_BY_READ).partSize(5 * MIB).maxConcurrency(2)
                        .limits(StorageLimits.defaults()).build()) {
            toS3rver.arm(Fault.CORRUPT, FaultProxy.UPLOAD_PART, h -> true, 2 * MIB + 5, 1);
            Attachment a = Attachment.fromStream("damaged.txt", new TestContent(11 * MIB, 13), null);
            assertThatThrownBy(() -> a.ensureStored(store)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("reading it back gave different bytes");
            assertThat(a.status()).isEqualTo(AttachmentStatus.FAILED);
            assertThat(toS3rver.injected(Fault.CORRUPT)).isEqualTo(1);
            assertThat(s3rver.client().listObjectsV2(b -> b.bucket(rawBucket)).contents()).isEmpty();
        }
    }
}
