package io.attachkit.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The heap that JSON request bodies in flight may claim together. A JSON body is read whole (bytes, then text, then
 * the parsed tree, then the decoded attachment bytes: about four times its size), so each JSON request reserves its
 * share here before it reads a byte, and gives it back when it is done. Counted in KiB; one reservation never asks
 * for more than the whole budget, so a request that fits the body limit can always run when it is alone. Shared by
 * the standalone server and the Spring Boot endpoints. Thread-safe.
 *
 * <pre>{@code
 * JsonMemoryBudget budget = new JsonMemoryBudget(Runtime.getRuntime().maxMemory() / 4);
 * try (JsonMemoryBudget.Reservation heap = budget.reserve(contentLength, TimeUnit.SECONDS.toNanos(2))) {
 *     if (heap == null) { ... answer 503 with Retry-After ... }
 *     ... read and handle the JSON body ...
 * }
 * }</pre>
 */
public final class JsonMemoryBudget {
    /** How many bytes of heap a JSON body costs while it is being handled, per byte of body. */
    public static final int HEAP_PER_BODY_BYTE = 4;

    private final long budgetBytes;
    private final int totalKib;
    private final Semaphore kib;

    /** @param budgetBytes the heap all JSON bodies in flight may claim together, in bytes */
    public JsonMemoryBudget(long budgetBytes) {
        this.budgetBytes = budgetBytes;
        this.totalKib = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budgetBytes / 1024));
        this.kib = new Semaphore(totalKib);
    }

    /** @return the budget in bytes */
    public long budgetBytes() {
        return budgetBytes;
    }

    /** @return the KiB not reserved right now */
    public int availableKib() {
        return kib.availablePermits();
    }

    /**
     * @param bodyBytes the body's declared size (or the largest it may be)
     * @return the KiB a body of that size reserves: {@value #HEAP_PER_BODY_BYTE} times it, at least 1, at most the budget
     */
    public int kibFor(long bodyBytes) {
        long bytes = Math.max(0, bodyBytes);
        long heap = bytes > Long.MAX_VALUE / HEAP_PER_BODY_BYTE ? Long.MAX_VALUE : bytes * HEAP_PER_BODY_BYTE;
        long k = heap / 1024 + (heap % 1024 == 0 ? 0 : 1);
        return (int) Math.max(1, Math.min(totalKib, k));
    }

    /**
     * Reserves the heap for a body of {@code bodyBytes}, waiting at most {@code maxWaitNanos} for others to give
     * theirs back.
     *
     * @param bodyBytes the body's declared size (or the largest it may be)
     * @param maxWaitNanos how long to wait for the share, in nanoseconds
     * @return the reservation to close when the request is done, or {@code null} if it could not be had in time
     * @throws InterruptedException if interrupted while waiting
     */
    public Reservation reserve(long bodyBytes, long maxWaitNanos) throws InterruptedException {
        int k = kibFor(bodyBytes);
        if (!kib.tryAcquire(k, Math.max(0, maxWaitNanos), TimeUnit.NANOSECONDS)) {
            return null;
        }
        return new Reservation(k);
    }

    /** Heap reserved for one request; {@link #close()} gives it back (once). */
    public final class Reservation implements AutoCloseable {
        private final int reservedKib;
        private boolean closed;

        private Reservation(int reservedKib) {
            this.reservedKib = reservedKib;
        }

        /** @return the KiB this reservation holds */
        public int kib() {
            return reservedKib;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                kib.release(reservedKib);
            }
        }
    }
}
