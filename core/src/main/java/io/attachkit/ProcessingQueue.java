package io.attachkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded queue and the worker threads of background processing.
 *
 * <p>Fair by estimated cost: each job gets a deadline of its arrival plus its estimated run time, and the earliest
 * deadline runs first, so a 1 KB CSV that arrives after a 500-page scan is taken before it, while a scan still
 * runs once the jobs that arrived before its deadline are done (no starvation). Heavy jobs (estimated over a
 * second) may hold at most {@code workers - 1} threads at once, so one worker is always free for light work when
 * there are two or more.
 *
 * <p>Bounded: at most {@code maxQueued} jobs wait (running ones do not count). A caller reserves a place before
 * it stores the file ({@link #reserve()}), so a full queue refuses the upload before anything is written.
 */
final class ProcessingQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessingQueue.class);
    /** Estimated throughput of OCR-bound types (scans, photos): a 50 MB scan estimates 250 s. */
    private static final double OCR_BYTES_PER_SECOND = 200_000;
    /** Estimated throughput of text-like types. */
    private static final double TEXT_BYTES_PER_SECOND = 20_000_000;
    private static final double HEAVY_SECONDS = 1.0;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Comparator<Job> byDeadline = Comparator.comparingLong((Job j) -> j.deadline).thenComparingLong(j -> j.sequence);
    private final PriorityQueue<Job> light = new PriorityQueue<>(byDeadline);
    private final PriorityQueue<Job> heavy = new PriorityQueue<>(byDeadline);
    private final AtomicLong sequence = new AtomicLong();
    private final int maxQueued;
    private final int heavyCap;
    private final List<Thread> threads = new ArrayList<>();
    private int reserved;
    private int heavyRunning;
    private boolean closed;

    ProcessingQueue(int workers, int maxQueued) {
        this.maxQueued = maxQueued;
        this.heavyCap = Math.max(1, workers - 1);
        for (int i = 1; i <= workers; i++) {
            Thread t = new Thread(this::work, "attachkit-queue-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** A place in the queue, held between the check and the submit so that the file is stored only with room. */
    final class Reservation {
        private boolean used;

        /**
         * Queues the job in the reserved place.
         *
         * @param task what to run
         * @param sizeBytes the file's size, for the estimate (-1 unknown)
         * @param mimeType the file's type, for the estimate
         */
        void submit(Runnable task, long sizeBytes, String mimeType) {
            double seconds = estimateSeconds(sizeBytes, mimeType);
            Job job = new Job(task, System.nanoTime() + (long) (seconds * 1e9), sequence.incrementAndGet(), seconds > HEAVY_SECONDS);
            lock.lock();
            try {
                if (used) {
                    throw new IllegalStateException("reservation already used");
                }
                used = true;
                reserved--;
                if (closed) {
                    throw new IllegalStateException("the processing queue is closed");
                }
                (job.heavy ? heavy : light).add(job);
                changed.signal();
            } finally {
                lock.unlock();
            }
        }

        /** Gives the place back (the store failed, nothing to process). Does nothing once submitted. */
        void release() {
            lock.lock();
            try {
                if (!used) {
                    used = true;
                    reserved--;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * @return a reserved place
     * @throws ProcessingQueueFullException if {@code maxQueued} jobs wait or are reserved already
     */
    Reservation reserve() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the processing queue is closed");
            }
            int waiting = light.size() + heavy.size() + reserved;
            if (waiting >= maxQueued) {
                throw new ProcessingQueueFullException("The processing queue is full (" + waiting + " of " + maxQueued
                        + " jobs waiting); try again shortly", Duration.ofSeconds(2));
            }
            reserved++;
            return new Reservation();
        } finally {
            lock.unlock();
        }
    }

    /** @return the jobs waiting (not running) */
    int depth() {
        lock.lock();
        try {
            return light.size() + heavy.size();
        } finally {
            lock.unlock();
        }
    }

    static double estimateSeconds(long sizeBytes, String mimeType) {
        long size = Math.max(0, sizeBytes);
        String type = mimeType == null ? "" : mimeType;
        boolean ocrBound = type.equals("application/pdf") || type.startsWith("image/");
        return size / (ocrBound ? OCR_BYTES_PER_SECOND : TEXT_BYTES_PER_SECOND);
    }

    private void work() {
        while (true) {
            Job job;
            lock.lock();
            try {
                while ((job = next()) == null) {
                    if (closed) {
                        return;
                    }
                    changed.await();
                }
                if (job.heavy) {
                    heavyRunning++;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                job.task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("A processing job failed outside its processor", e);
            } finally {
                if (job.heavy) {
                    lock.lock();
                    try {
                        heavyRunning--;
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
            }
        }
    }

    /** Under the lock: the earliest-deadline job this thread may take, or {@code null}. */
    private Job next() {
        Job l = light.peek();
        Job h = heavyRunning < heavyCap ? heavy.peek() : null;
        if (l == null && h == null) {
            return null;
        }
        if (h == null || (l != null && byDeadline.compare(l, h) <= 0)) {
            return light.poll();
        }
        return heavy.poll();
    }

    /** Stops the workers; jobs still waiting are dropped (their futures are completed by the caller). */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            light.clear();
            heavy.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        threads.forEach(Thread::interrupt);
    }

    private record Job(Runnable task, long deadline, long sequence, boolean heavy) {
    }
}
