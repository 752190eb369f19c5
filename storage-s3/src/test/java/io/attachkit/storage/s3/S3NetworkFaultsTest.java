package io.attachkit.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.Attachment;
import io.attachkit.AttachmentStatus;
import io.attachkit.StorageException;
import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import io.attachkit.storage.s3.FaultProxy.Fault;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Network faults between the SDK and a real S3 server (S3Proxy in this JVM), injected by a TCP proxy on
 * loopback ({@link FaultProxy}): connections reset mid-upload, stalled connections, 503 SlowDown bursts and a
 * server that dies during a multipart upload. Where the fault is transient and within the retry budget the
 * save must succeed with the exact bytes; otherwise the attachment is FAILED with the reason, no object is
 * visible, no multipart upload is left, and a later {@code ensureStored} succeeds once the faults stop.
 *
 * <p>The store talks to the proxy; the assertions use a plain SDK client straight to the server. SDK timeouts
 * are short (1 s socket timeout, 3 s per attempt) so the whole class runs in seconds.
 */
@Timeout(60)
class S3NetworkFaultsTest {
    private static final long MIB = 1024 * 1024;
    /** Faults fired across the class, printed at the end. */
    private static final AtomicInteger TOTAL_FAULTS = new AtomicInteger();
    private static final StringBuilder FAULT_LOG = new StringBuilder();
    private static S3ProxyServer server;
    private FaultProxy proxy;
    private String bucket;
    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.inMemory();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        System.out.println("S3NetworkFaultsTest: " + TOTAL_FAULTS.get() + " network faults injected:" + FAULT_LOG);
    }

    @BeforeEach
    void startProxy() throws Exception {
        bucket = server.createBucket();
        proxy = new FaultProxy(server.endpoint().getPort());
    }

    @AfterEach
    void stopProxy(org.junit.jupiter.api.TestInfo test) throws IOException {
        TOTAL_FAULTS.addAndGet(proxy.totalInjected());
        FAULT_LOG.append("\n  ").append(test.getDisplayName()).append(": ").append(proxy);
        proxy.close();
    }

    /** A store that goes through the proxy, with 5 MiB parts, 2 in flight, and short timeouts and backoff. */
    private S3FileStore.Builder throughProxy(int maxAttempts) {
        return S3FileStore.builder()
                .bucket(bucket)
                .keyPrefix("f")
                .endpointOverride(proxy.endpoint())
                .pathStyleAccess(true)
                .region("us-east-1")
                .credentialsProvider(S3ProxyServer.credentialsProvider())
                .partSize(5 * MIB)
                .maxConcurrency(2)
                .maxAttempts(maxAttempts)
                .retryBaseDelay(Duration.ofMillis(10))
                .throttlingBaseDelay(Duration.ofMillis(20))
                .retryMaxBackoff(Duration.ofMillis(100))
                .connectionTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(1))
                .attemptTimeout(Duration.ofSeconds(3))
                .abortTimeout(Duration.ofSeconds(10))
                .limits(StorageLimits.defaults());
    }

    /** @return a file of test content: an attachment from a path can be stored again after a failure */
    private Path file(String name, long size, long seed) throws IOException {
        Path p = tmp.resolve(name);
        try (InputStream in = new TestContent(size, seed)) {
            Files.copy(in, p);
        }
        return p;
    }

    private void assertNothingLeft() {
        S3Client plain = server.client();
        assertThat(plain.listMultipartUploads(b -> b.bucket(bucket)).uploads()).as("multipart uploads left").isEmpty();
        assertThat(plain.listObjectsV2(b -> b.bucket(bucket)).contents()).as("objects visible").isEmpty();
    }

    private void assertStoredExactly(S3FileStore store, StoredFile f, long size, long seed) throws IOException {
        assertThat(f.size()).isEqualTo(size);
        assertThat(f.sha256()).isEqualTo(TestContent.sha256(size, seed));
        // read back straight from the server, not through the proxy
        try (InputStream in = server.client().getObject(b -> b.bucket(bucket).key("f/" + f.storagePath()))) {
            assertThat(TestContent.firstDifference(in, size, seed)).isEqualTo(-1);
        }
        assertThat(store.stat(f.fileId(), f.storagePath()).sha256()).isEqualTo(f.sha256());
        assertThat(server.client().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    // ------------------------------------------------------------------ connection resets

    @Test
    void connectionResetMidPart_withinTheRetryBudget_isRetried_andTheObjectIsByteExact() throws Exception {
        long size = 17 * MIB + 321;
        proxy.arm(Fault.RESET, FaultProxy.UPLOAD_PART, 2 * MIB, 3);
        try (S3FileStore store = throughProxy(3).build()) {
            StoredFile f = store.save(new TestContent(size, 31), "reset.txt", null);

            assertThat(proxy.injected(Fault.RESET)).isEqualTo(3);
            assertStoredExactly(store, f, size, 31);
        }
    }

    @Test
    void connectionResetMidSinglePut_isRetried_andTheObjectIsByteExact() throws Exception {
        long size = 3 * MIB;
        proxy.arm(Fault.RESET, FaultProxy.PUT_OBJECT, MIB, 2);
        try (S3FileStore store = throughProxy(3).build()) {
            StoredFile f = store.save(new TestContent(size, 32), "small.txt", null);

            assertThat(proxy.injected(Fault.RESET)).isEqualTo(2);
            assertStoredExactly(store, f, size, 32);
        }
    }

    @Test
    void connectionResetOnEveryAttempt_failsTheAttachment_leavesNothing_andALaterEnsureStoredSucceeds() throws Exception {
        long size = 12 * MIB;
        proxy.arm(Fault.RESET, FaultProxy.UPLOAD_PART, MIB, Integer.MAX_VALUE);
        try (S3FileStore store = throughProxy(2).build()) {
            Attachment a = Attachment.fromPath(file("always-reset.txt", size, 33));

            assertThatThrownBy(() -> a.ensureStored(store)).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.retryable()).isTrue());
            assertThat(a.status()).isEqualTo(AttachmentStatus.FAILED);
            assertThat(a.failureReason()).contains("Uploading part").contains(bucket);
            assertThat(a.fileId()).isNull();
            assertThat(proxy.injected(Fault.RESET)).isGreaterThanOrEqualTo(2); // every attempt of a part
            assertNothingLeft();

            proxy.heal();
            a.ensureStored(store);
            assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
            assertStoredExactly(store, store.stat(a.fileId(), a.storagePath()), size, 33);
        }
    }

    // ------------------------------------------------------------------ stalls

    @Test
    void serverThatStopsAnswering_isCutOffByTheSocketTimeout_andTheRetrySucceeds() throws Exception {
        long size = 11 * MIB;
        proxy.arm(Fault.BLACK_HOLE, FaultProxy.UPLOAD_PART, 0, 1);
        try (S3FileStore store = throughProxy(3).build()) {
            long start = System.nanoTime();
            StoredFile f = store.save(new TestContent(size, 34), "stall.txt", null);

            assertThat(proxy.injected(Fault.BLACK_HOLE)).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertStoredExactly(store, f, size, 34);
        }
    }

    @Test
    void serverThatStopsReadingMidPart_isCutOffByTheAttemptTimeout_andTheRetrySucceeds() throws Exception {
        long size = 30 * MIB;
        // 1 MiB into a 16 MiB part the proxy reads no more: the client's write blocks once the socket buffers
        // (4 MiB here) are full, so the socket (read) timeout never starts; only the attempt timeout ends it
        proxy.arm(Fault.FREEZE, FaultProxy.UPLOAD_PART, MIB, 1);
        try (S3FileStore store = throughProxy(3).partSize(16 * MIB).maxConcurrency(1).build()) {
            long start = System.nanoTime();
            StoredFile f = store.save(new TestContent(size, 35), "frozen.txt", null);

            assertThat(proxy.injected(Fault.FREEZE)).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
            assertStoredExactly(store, f, size, 35);
        }
    }

    @Test
    void stalledOnEveryAttempt_failsWithTheTimeout_leavesNothing_andALaterEnsureStoredSucceeds() throws Exception {
        long size = 11 * MIB;
        proxy.arm(Fault.BLACK_HOLE, FaultProxy.UPLOAD_PART, 2 * MIB, Integer.MAX_VALUE);
        try (S3FileStore store = throughProxy(2).build()) {
            Attachment a = Attachment.fromPath(file("stalled.txt", size, 36));

            assertThatThrownBy(() -> a.ensureStored(store)).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.retryable()).isTrue());
            assertThat(a.status()).isEqualTo(AttachmentStatus.FAILED);
            assertThat(a.failureReason()).containsIgnoringCase("timed out");
            assertNothingLeft();

            proxy.heal();
            a.ensureStored(store);
            assertStoredExactly(store, store.stat(a.fileId(), a.storagePath()), size, 36);
        }
    }

    // ------------------------------------------------------------------ 503 SlowDown

    @Test
    void slowDownBurst_onPartsAndCompletion_withinTheBudget_isRiddenOut() throws Exception {
        long size = 16 * MIB;
        try (S3FileStore store = throughProxy(4).build()) {
            proxy.arm(Fault.SLOW_DOWN, FaultProxy.UPLOAD_PART, 0, 4); // 2 parts in flight, each may take 2
            StoredFile f = store.save(new TestContent(size, 37), "busy.txt", null);
            assertThat(proxy.injected(Fault.SLOW_DOWN)).isEqualTo(4);
            assertStoredExactly(store, f, size, 37);

            proxy.arm(Fault.SLOW_DOWN, FaultProxy.COMPLETE_UPLOAD, 0, 3);
            StoredFile g = store.save(new TestContent(size, 38), "busy2.txt", null);
            assertThat(proxy.injected(Fault.SLOW_DOWN)).isEqualTo(7);
            assertStoredExactly(store, g, size, 38);
        }
    }

    @Test
    void slowDownBeyondTheBudget_failsTheAttachmentAsRetryable_leavesNothing_andALaterEnsureStoredSucceeds() throws Exception {
        long size = 12 * MIB;
        proxy.arm(Fault.SLOW_DOWN, FaultProxy.UPLOAD_PART, 0, Integer.MAX_VALUE);
        try (S3FileStore store = throughProxy(3).build()) {
            Attachment a = Attachment.fromPath(file("throttled.txt", size, 39));

            assertThatThrownBy(() -> a.ensureStored(store)).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.retryable()).isTrue());
            assertThat(a.status()).isEqualTo(AttachmentStatus.FAILED);
            assertThat(a.failureReason()).contains("503").contains("SlowDown");
            assertThat(proxy.injected(Fault.SLOW_DOWN)).isGreaterThanOrEqualTo(3);
            assertNothingLeft();

            proxy.heal();
            a.ensureStored(store);
            assertStoredExactly(store, store.stat(a.fileId(), a.storagePath()), size, 39);
        }
    }

    // ------------------------------------------------------------------ the server dies

    @Test
    void serverDyingDuringMultipart_failsTheAttachment_theUploadIsAbortedOnceItIsBack_andALaterEnsureStoredSucceeds()
            throws Exception {
        long size = 30 * MIB;
        Thread[] reviver = new Thread[1];
        // when part 3 is 1 MiB in, parts 1 and 2 are up or in flight: the proxy resets everything and the server stops
        proxy.arm(Fault.KILL, line -> FaultProxy.UPLOAD_PART.test(line) && line.matches(".*[?&]partNumber=3[& ].*"), MIB, 1);
        proxy.onKill(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            reviver[0] = new Thread(() -> {
                try {
                    Thread.sleep(1500);
                    server.restart();
                    proxy.revive();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            reviver[0].start();
        });
        try (S3FileStore store = throughProxy(2).build()) {
            Attachment a = Attachment.fromPath(file("outage.txt", size, 40));

            assertThatThrownBy(() -> a.ensureStored(store)).isInstanceOf(StorageException.class);
            reviver[0].join();
            assertThat(a.status()).isEqualTo(AttachmentStatus.FAILED);
            assertThat(a.failureReason()).contains("Uploading part").contains(bucket);
            assertThat(proxy.injected(Fault.KILL)).isEqualTo(1);
            assertNothingLeft();

            a.ensureStored(store); // the same attachment, once the server is back
            assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
            assertStoredExactly(store, store.stat(a.fileId(), a.storagePath()), size, 40);
        }
    }

    @Test
    void serverDownLongerThanTheAbortTimeout_leavesAnUploadThatAbortIncompleteUploadsRemovesLater() throws Exception {
        long size = 20 * MIB;
        InputStream killsServer = new AfterBytes(new TestContent(size, 41), 7 * MIB, () -> {
            proxy.kill();
            server.stop();
        });
        try (S3FileStore store = throughProxy(2).abortTimeout(Duration.ofMillis(300)).build()) {
            assertThatThrownBy(() -> store.save(killsServer, "long-outage.txt", null))
                    .isInstanceOf(StorageException.class)
                    .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                            .anySatisfy(m -> assertThat(m).contains("Aborting multipart upload").contains("abortIncompleteUploads")));

            server.restart();
            proxy.revive();
            assertThat(server.client().listMultipartUploads(b -> b.bucket(bucket)).uploads()).hasSize(1);
            assertThat(store.abortIncompleteUploads(Duration.ZERO)).isEqualTo(1);
            assertNothingLeft();
        }
    }

    /** Runs an action once, when the reader has read past a number of bytes. */
    private static final class AfterBytes extends FilterInputStream {
        interface Action {
            void run() throws Exception;
        }

        private final long at;
        private final Action action;
        private long count;
        private boolean done;

        AfterBytes(InputStream in, long at, Action action) {
            super(in);
            this.at = at;
            this.action = action;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (count >= at && !done) {
                done = true;
                try {
                    action.run();
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
            int n = super.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }
    }
}
