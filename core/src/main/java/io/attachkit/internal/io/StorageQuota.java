package io.attachkit.internal.io;

import io.attachkit.StorageFullException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Tracks bytes used against a maximum, across concurrent saves: bytes are reserved as they stream in,
 * so two saves that together would pass the maximum cannot both succeed. The starting usage is measured
 * once, lazily, on first use. Thread-safe.
 */
public final class StorageQuota {
    private final long max;
    private final LongSupplier initialUsage;
    private final AtomicLong used = new AtomicLong(-1);

    /**
     * @param max the maximum in bytes
     * @param initialUsage measures the bytes in use when the quota is first needed
     */
    public StorageQuota(long max, LongSupplier initialUsage) {
        this.max = max;
        this.initialUsage = initialUsage;
    }

    private void ensureInitialised() {
        if (used.get() < 0) {
            synchronized (this) {
                if (used.get() < 0) {
                    used.set(initialUsage.getAsLong());
                }
            }
        }
    }

    /**
     * @param filename for the message
     * @param bytes bytes to reserve
     * @throws StorageFullException if they do not fit
     */
    public void reserve(String filename, long bytes) {
        ensureInitialised();
        while (true) {
            long current = used.get();
            if (current + bytes > max) {
                throw new StorageFullException(filename, current, max);
            }
            if (used.compareAndSet(current, current + bytes)) {
                return;
            }
        }
    }

    /** @param bytes bytes to give back (a failed save, a delete) */
    public void release(long bytes) {
        if (bytes > 0 && used.get() >= 0) {
            used.addAndGet(-bytes);
        }
    }

    /** @return bytes in use, measuring them first if needed */
    public long used() {
        ensureInitialised();
        return used.get();
    }

    /** @return the maximum in bytes */
    public long max() {
        return max;
    }
}
