package io.attachkit.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 64 MiB upload of unknown length in a JVM whose whole heap is smaller than the file (surefire runs this
 * class in its own execution with {@code -Xmx48m}; S3Proxy stores the object on disk), round-tripped
 * byte for byte.
 */
@Tag("small-heap")
class S3LargeUploadSmallHeapTest {
    private static final long MIB = 1024 * 1024;
    private static final long SIZE = 64 * MIB;

    @Test
    void sixtyFourMiB_ofUnknownLength_roundTripsByteForByte_inAHeapSmallerThanTheFile(@TempDir Path dir) throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).as("this test must run with a heap below the file size (-Xmx48m)")
                .isLessThan(SIZE);
        StorageLimits limits = StorageLimits.builder(Map.of()).maxFileSize(SIZE).build();
        try (S3ProxyServer server = S3ProxyServer.onDisk(dir);
             S3FileStore store = server.storeBuilder(server.createBucket()).partSize(5 * MIB).maxConcurrency(2)
                     .limits(limits).build()) {
            resetPeaks();
            StoredFile f = store.save(new TestContent(SIZE, 64), "large.txt", null);
            long peak = heapPeak();

            assertThat(f.size()).isEqualTo(SIZE);
            assertThat(f.sha256()).isEqualTo(TestContent.sha256(SIZE, 64));
            try (InputStream in = store.open(f.fileId(), f.storagePath())) {
                assertThat(TestContent.firstDifference(in, SIZE, 64)).isEqualTo(-1);
            }
            assertThat(store.stat(f.fileId()).sha256()).isEqualTo(f.sha256());
            assertThat(peak).isLessThan(SIZE);
            assertThat(server.client().listMultipartUploads(b -> b.bucket(store.bucket())).uploads()).isEmpty();
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** @return the sum of the heap pools' peaks since the reset (an upper bound of the heap in use at once) */
    private static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
