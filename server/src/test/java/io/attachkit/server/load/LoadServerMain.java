package io.attachkit.server.load;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.attachkit.Attachments;
import io.attachkit.StorageLimits;
import io.attachkit.server.AttachkitServer;
import io.attachkit.storage.local.LocalFileStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The server side of the load test, run in its own JVM (with a small {@code -Xmx}) so that its heap, threads and
 * file descriptors are its own: a real local store, {@link Attachments} with the processors on the classpath, and
 * the real server on an ephemeral 127.0.0.1 port. It prints {@code PORT n}, then answers commands on stdin:
 * {@code STATS} and {@code GC} (after two full collections, so {@code used} is the live heap) print one {@code STATS key=value ...} line; {@code STOP} or the end of stdin closes
 * the server and exits. SIGTERM stops it gracefully, as {@code attachkit serve} does. It halts by itself after its lifetime (args[1] seconds) whatever happens.
 */
public final class LoadServerMain {
    private static final AtomicLong PEAK_USED = new AtomicLong();
    private static final AtomicLong MAX_AFTER_GC = new AtomicLong();
    private static final AtomicLong LAST_AFTER_GC = new AtomicLong();
    private static final AtomicLong GCS = new AtomicLong();
    /** The grace requests in flight get when the server is sent SIGTERM (the kill variants of the load test). */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(15);

    private LoadServerMain() {
    }

    /**
     * @param args the store root and the lifetime in seconds
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        long lifetimeSeconds = Long.parseLong(args[1]);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(lifetimeSeconds * 1000);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("load server: lifetime of " + lifetimeSeconds + " s is over, halting");
            Runtime.getRuntime().halt(3);
        }, "load-server-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        watchHeap();

        LocalFileStore store = LocalFileStore.builder().root(root)
                .limits(StorageLimits.builder().maxStorageSize(64L << 30).build()).build();
        Attachments attachments = Attachments.builder().store(store).build();
        AttachkitServer server = AttachkitServer.builder().attachments(attachments).port(0).build().start();
        // as `attachkit serve` does: on SIGTERM new requests get 503, those in flight get the grace, then the store closes
        Runnable stop = stopOnce(server, attachments, store);
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "load-server-shutdown"));
        System.out.println("PORT " + server.port());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("STOP")) {
            if (line.equals("GC")) {
                System.gc();
                System.gc();
            }
            System.out.println(stats());
            System.out.flush();
        }
        stop.run();
        System.out.println("STOPPED");
        System.out.flush();
        System.exit(0);
    }

    private static String stats() throws IOException {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            fds = s.count();
        }
        return "STATS used=" + heap.getUsed() + " max=" + heap.getMax() + " peakUsed=" + PEAK_USED.get()
                + " maxAfterGc=" + MAX_AFTER_GC.get() + " lastAfterGc=" + LAST_AFTER_GC.get() + " gcs=" + GCS.get()
                + " fds=" + fds + " threads=" + ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** Records the heap in use before and after every collection (the peak, and the live set after each GC). */
    private static void watchHeap() {
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, hb) -> {
                if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
                long before = sum(info.getMemoryUsageBeforeGc());
                long after = sum(info.getMemoryUsageAfterGc());
                PEAK_USED.accumulateAndGet(before, Math::max);
                MAX_AFTER_GC.accumulateAndGet(after, Math::max);
                LAST_AFTER_GC.set(after);
                GCS.incrementAndGet();
            }, null, null);
        }
    }

    /**
     * Stops the server gracefully, then closes the store, once; a second caller waits until it is done. Both may run:
     * {@link Process#destroy()} sends SIGTERM (the hook) and closes stdin (the command loop's end), and a hook that
     * returned at once would let the JVM halt in the middle of the other's stop.
     */
    private static Runnable stopOnce(AttachkitServer server, Attachments attachments, LocalFileStore store) {
        AtomicBoolean stopped = new AtomicBoolean();
        return () -> {
            synchronized (stopped) {
                if (stopped.compareAndSet(false, true)) {
                    boolean drained = server.shutdown(SHUTDOWN_GRACE);
                    attachments.close();
                    store.close();
                    System.err.println("load server: stopped, drained=" + drained);
                    System.err.flush();
                }
            }
        };
    }

    private static long sum(Map<String, MemoryUsage> pools) {
        long total = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pools.containsKey(pool.getName())) {
                total += pools.get(pool.getName()).getUsed();
            }
        }
        return total;
    }
}
