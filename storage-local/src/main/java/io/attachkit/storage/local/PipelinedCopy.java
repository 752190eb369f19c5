package io.attachkit.storage.local;

import io.attachkit.IncomingFile;
import io.attachkit.internal.io.BufferPool;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copies an incoming file's content into a file channel in three overlapped stages: the calling thread reads
 * (and so runs the limits), a hashing thread computes the SHA-256 of each chunk in order, and a writing thread
 * writes it. On one thread the three costs add up; here a large save costs about the largest of them, which is
 * the SHA-256. When the copy must end on disk ({@code durable}), a fourth thread flushes what was written every
 * {@value #FLUSH_BYTES} bytes while the copy goes on, so the disk works during the copy and the final
 * {@code fsync} has only the tail left (a {@code cp} followed by {@code sync} does the two one after the other).
 * Content that fits in one chunk is read, hashed and written on the calling thread, without other threads.
 *
 * <p>Memory is bounded: {@value #CHUNKS} chunks of the pool's buffer size per copy, whatever the content's
 * size. The content is only ever read by the calling thread, so exceptions it throws (limits, a client that went
 * away) reach the caller unchanged. A write or flush failure stops the reading at the next chunk and is thrown to
 * the caller. When this method returns or throws, the other threads have ended and no write, flush or digest is
 * pending, so the caller may close and delete the file, and the file's SHA-256 is complete.
 */
final class PipelinedCopy {
    /** Chunks in flight per copy: one being read, the others queued, being hashed or being written. */
    static final int CHUNKS = 6;
    /** Bytes written between two flushes of a durable copy. */
    static final long FLUSH_BYTES = 32L * 1024 * 1024;

    private PipelinedCopy() {
    }

    /** Takes every chunk of the content, in order (for example into a SHA-256). */
    @FunctionalInterface
    interface Digest {
        void update(byte[] b, int off, int len);
    }

    /**
     * @param file the file whose content is read to its end by the calling thread (not closed) and hashed
     * @param out the channel to write to
     * @param chunks where the chunk buffers come from and go back to
     * @param durable whether the copy will be forced to disk: then write-back starts while it runs
     * @throws IOException if reading, writing or flushing fails, or the calling thread is interrupted
     */
    static void copy(IncomingFile file, FileChannel out, BufferPool chunks, boolean durable) throws IOException {
        copy(file.contentDigestedSeparately(), file::digest, out, chunks, durable);
    }

    /**
     * @param in the source, read to its end by the calling thread (not closed)
     * @param file where every chunk read goes, in order, on the hashing thread
     * @param out the channel to write to
     * @param chunks where the chunk buffers come from and go back to
     * @param durable whether the copy will be forced to disk: then write-back starts while it runs
     * @throws IOException if reading, writing or flushing fails, or the calling thread is interrupted
     */
    static void copy(InputStream in, Digest file, FileChannel out, BufferPool chunks, boolean durable) throws IOException {
        byte[] first = chunks.take();
        int n = in.readNBytes(first, 0, first.length);
        if (n < first.length) { // the whole content: no other thread for small files
            try {
                file.update(first, 0, n);
                writeFully(out, first, n);
            } finally {
                chunks.give(first);
            }
            return;
        }
        Pipeline p = new Pipeline(file, out, durable);
        Throwable failure = null;
        BlockingQueue<byte[]> free = p.free;
        try {
            p.start();
            p.submit(first, n);
            for (int i = 1; i < CHUNKS; i++) {
                free.add(chunks.take());
            }
            boolean more = true;
            while (more) {
                byte[] buf = free.take(); // the first buffer comes back too
                p.throwIfFailed();
                n = in.readNBytes(buf, 0, buf.length);
                if (n > 0) {
                    p.submit(buf, n);
                } else {
                    free.add(buf);
                }
                more = n == buf.length;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new InterruptedIOException("interrupted while saving");
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        } finally {
            p.finish();
            for (byte[] b; (b = free.poll()) != null; ) {
                chunks.give(b);
            }
        }
        if (failure == null) {
            p.throwIfFailed();
            return;
        }
        if (p.failure != null && p.failure != failure) {
            failure.addSuppressed(p.failure);
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        throw (Error) failure;
    }

    private static void writeFully(FileChannel out, byte[] buf, int len) throws IOException {
        ByteBuffer wrapped = ByteBuffer.wrap(buf, 0, len);
        while (wrapped.hasRemaining()) {
            out.write(wrapped);
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A filled buffer, how many of its bytes count, and how many stages still need it; {@link #END} ends a stage. */
    private static final class Chunk {
        static final Chunk END = new Chunk(new byte[0], -1);
        final byte[] buf;
        final int len;
        final AtomicInteger pending = new AtomicInteger(2); // hashing and writing

        Chunk(byte[] buf, int len) {
            this.buf = buf;
            this.len = len;
        }
    }

    /** The hashing, writing and (when durable) flushing threads of one copy, and the queues between them. */
    private static final class Pipeline {
        final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS + 2); // + a wake-up from each stage
        private final BlockingQueue<Chunk> toHash = new ArrayBlockingQueue<>(CHUNKS + 1);
        private final BlockingQueue<Chunk> toWrite = new ArrayBlockingQueue<>(CHUNKS + 1);
        /** Holds at most one pending flush request; {@code false} ends the flusher. */
        private final BlockingQueue<Boolean> flushes = new ArrayBlockingQueue<>(1);
        private final Digest file;
        private final FileChannel out;
        private final Thread hasher;
        private final Thread writer;
        private final Thread flusher;
        volatile Throwable failure;

        Pipeline(Digest file, FileChannel out, boolean durable) {
            this.file = file;
            this.out = out;
            this.hasher = daemon(this::hash, "attachkit-local-hasher");
            this.writer = daemon(this::write, "attachkit-local-writer");
            this.flusher = durable ? daemon(this::flush, "attachkit-local-flusher") : null;
        }

        private static Thread daemon(Runnable r, String name) {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }

        void start() {
            hasher.start();
            writer.start();
            if (flusher != null) {
                flusher.start();
            }
        }

        /** Never blocks: the queues have room for every chunk plus the end. */
        void submit(byte[] buf, int len) {
            Chunk c = new Chunk(buf, len);
            toHash.add(c);
            toWrite.add(c);
        }

        /** Ends every stage and waits for it; afterwards nothing touches the channel or the digest. */
        void finish() {
            toHash.add(Chunk.END);
            toWrite.add(Chunk.END);
            joinUninterruptibly(hasher);
            joinUninterruptibly(writer); // the writer sends the flusher its end
            if (flusher != null) {
                joinUninterruptibly(flusher);
            }
        }

        private void hash() {
            stage(toHash, c -> file.update(c.buf, 0, c.len));
        }

        private void write() {
            try {
                stage(toWrite, c -> writeFully(out, c.buf, c.len));
            } finally {
                if (flusher != null) {
                    flushes.clear();
                    flushes.add(Boolean.FALSE);
                }
            }
        }

        /** Flushes each time the writing stage asks (every {@value #FLUSH_BYTES} bytes), until it ends. */
        private void flush() {
            while (true) {
                boolean go;
                try {
                    go = flushes.take();
                } catch (InterruptedException e) {
                    fail(new InterruptedIOException("the flushing thread was interrupted"));
                    return;
                }
                if (!go) {
                    return;
                }
                if (failure == null) {
                    try {
                        out.force(false); // starts and waits for write-back of what was written so far
                    } catch (IOException | RuntimeException e) {
                        fail(e);
                    }
                }
            }
        }

        @FunctionalInterface
        private interface Step {
            void apply(Chunk c) throws IOException;
        }

        /** Runs one stage over the chunks in order; after a failure it only hands the buffers back. */
        private void stage(BlockingQueue<Chunk> queue, Step step) {
            long sinceFlush = 0;
            while (true) {
                Chunk c;
                try {
                    c = queue.take();
                } catch (InterruptedException e) {
                    // nobody interrupts these threads but the JVM at exit; stop, and let the reader see why
                    fail(new InterruptedIOException("a copying thread was interrupted"));
                    free.offer(new byte[0]); // wakes a reader waiting for a buffer, which then sees the failure
                    return;
                }
                if (c == Chunk.END) {
                    return;
                }
                if (failure == null) {
                    try {
                        step.apply(c);
                    } catch (IOException | RuntimeException | Error e) {
                        fail(e);
                    }
                }
                if (queue == toWrite && flusher != null) {
                    sinceFlush += c.len;
                    if (sinceFlush >= FLUSH_BYTES) {
                        flushes.offer(Boolean.TRUE); // dropped when a request is already waiting
                        sinceFlush = 0;
                    }
                }
                if (c.pending.decrementAndGet() == 0) {
                    free.add(c.buf);
                }
            }
        }

        private synchronized void fail(Throwable t) {
            if (failure == null) {
                failure = t;
            }
        }

        void throwIfFailed() throws IOException {
            Throwable f = failure;
            if (f == null) {
                return;
            }
            if (f instanceof IOException io) {
                throw new IOException(io.getMessage(), io); // same message; the cause keeps the other thread's stack
            }
            if (f instanceof RuntimeException re) {
                throw re;
            }
            throw (Error) f;
        }
    }
}
