package io.attachkit.internal.io;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * A small bounded pool of equal-sized byte arrays, so that a hot path (a store's saves) reuses its buffers
 * instead of allocating and zeroing new ones each time. Holds at most {@code maxPooled} idle arrays; when
 * empty, {@link #take()} allocates, and {@link #give(byte[])} drops what does not fit, so memory stays
 * bounded whatever the load. Meant to be owned by one component (a store), never shared globally.
 * Thread-safe.
 */
public final class BufferPool {
    private final int bufferSize;
    private final ArrayBlockingQueue<byte[]> idle;

    /**
     * @param bufferSize the length of every array handed out
     * @param maxPooled how many idle arrays are kept at most
     */
    public BufferPool(int bufferSize, int maxPooled) {
        if (bufferSize <= 0 || maxPooled <= 0) {
            throw new IllegalArgumentException("bufferSize and maxPooled must be positive, were " + bufferSize + " and "
                    + maxPooled);
        }
        this.bufferSize = bufferSize;
        this.idle = new ArrayBlockingQueue<>(maxPooled);
    }

    /** @return the length of the arrays this pool hands out */
    public int bufferSize() {
        return bufferSize;
    }

    /** @return an idle array, or a new one; its content is whatever the last user left */
    public byte[] take() {
        byte[] b = idle.poll();
        return b != null ? b : new byte[bufferSize];
    }

    /**
     * Hands an array back. The caller must not touch it afterwards.
     *
     * @param buffer an array from {@link #take()} (others, of another length, are ignored)
     */
    public void give(byte[] buffer) {
        if (buffer != null && buffer.length == bufferSize) {
            idle.offer(buffer);
        }
    }
}
