package io.attachkit.storage.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Copies a stream into a file channel with reading and writing overlapped: the calling thread reads
 * (and so runs whatever the stream does per byte, such as core's SHA-256 and limits) while a second
 * thread writes the previous chunks. On one thread the two costs add up; here a large save costs about
 * the larger of the two. Content that fits in one chunk is written on the calling thread, without a
 * second thread.
 *
 * <p>Memory is bounded: {@value #CHUNKS} chunks of {@code chunkSize} bytes per copy, whatever the
 * content's size. The stream is only ever read by the calling thread, so exceptions it throws (limits,
 * a client that went away) reach the caller unchanged. A write failure stops the reading at the next
 * chunk and is thrown to the caller. When this method returns or throws, the writer thread has ended
 * and no write to the channel is pending, so the caller may close and delete the file.
 */
final class PipelinedCopy {
    /** Chunks in flight per copy: one being read, the others queued or being written. */
    static final int CHUNKS = 4;
    /** Bytes read before deciding whether a second thread is worth it. */
    static final int FIRST_READ = 64 * 1024;

    private PipelinedCopy() {
    }

    /**
     * @param in the source, read to its end by the calling thread (not closed)
     * @param out the channel to write to
     * @param chunkSize bytes per chunk
     * @throws IOException if reading or writing fails, or the calling thread is interrupted
     */
    static void copy(InputStream in, FileChannel out, int chunkSize) throws IOException {
        // a small first buffer: most attachments fit in it, and zeroing a whole chunk for them cost more than
        // writing them
        byte[] first = new byte[Math.min(chunkSize, FIRST_READ)];
        int n = in.readNBytes(first, 0, first.length);
        if (n < first.length) { // the whole content: no second thread for small files
            writeFully(out, first, n);
            return;
        }
        Writer writer = new Writer(out);
        Thread thread = new Thread(writer, "attachkit-local-writer");
        thread.setDaemon(true);
        thread.start();
        Throwable failure = null;
        try {
            writer.filled.add(new Chunk(first, n));
            for (int i = 1; i < CHUNKS; i++) {
                writer.free.add(new byte[chunkSize]);
            }
            boolean more = true;
            while (more) {
                byte[] buf = writer.free.take(); // the first, smaller buffer comes back too
                writer.throwIfFailed();
                n = in.readNBytes(buf, 0, buf.length);
                if (n > 0) {
                    writer.filled.add(new Chunk(buf, n));
                }
                more = n == buf.length;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new InterruptedIOException("interrupted while saving");
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        } finally {
            writer.filled.add(Chunk.END); // never blocks: the queue has room for every chunk plus the end
            joinUninterruptibly(thread);
        }
        if (failure == null) {
            writer.throwIfFailed();
            return;
        }
        if (writer.failure != null && writer.failure != failure) {
            failure.addSuppressed(writer.failure);
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

    /** A filled buffer and how many of its bytes count; {@link #END} ends the copy. */
    private record Chunk(byte[] buf, int len) {
        static final Chunk END = new Chunk(new byte[0], -1);
    }

    /** Writes chunks in order and hands their buffers back; after a failure, only hands them back. */
    private static final class Writer implements Runnable {
        final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(CHUNKS + 1);
        final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
        private final FileChannel out;
        volatile Throwable failure;

        Writer(FileChannel out) {
            this.out = out;
        }

        @Override
        public void run() {
            while (true) {
                Chunk chunk;
                try {
                    chunk = filled.take();
                } catch (InterruptedException e) {
                    // nobody interrupts this thread but the JVM at exit; stop, and let the reader see why
                    failure = new InterruptedIOException("the writer thread was interrupted");
                    free.offer(new byte[0]); // wakes a reader waiting for a buffer, which then sees the failure
                    return;
                }
                if (chunk == Chunk.END) {
                    return;
                }
                if (failure == null) {
                    try {
                        writeFully(out, chunk.buf(), chunk.len());
                    } catch (IOException | RuntimeException | Error e) {
                        failure = e;
                    }
                }
                free.add(chunk.buf());
            }
        }

        void throwIfFailed() throws IOException {
            Throwable f = failure;
            if (f == null) {
                return;
            }
            if (f instanceof IOException io) {
                throw new IOException(io.getMessage(), io); // same message; the cause keeps the writer's stack
            }
            if (f instanceof RuntimeException re) {
                throw re;
            }
            throw (Error) f;
        }
    }
}
