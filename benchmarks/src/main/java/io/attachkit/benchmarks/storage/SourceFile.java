package io.attachkit.benchmarks.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Writes the large benchmark input: a gzip member header (so the store detects {@code application/gzip},
 * an allowed type) followed by pseudo-random bytes that no filesystem can compress or deduplicate.
 * Streams in 1 MiB chunks, so it runs with a small heap.
 */
final class SourceFile {
    private static final int CHUNK = 1 << 20;
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, (byte) 0xff};

    private SourceFile() {
    }

    /**
     * @param file the file to (over)write
     * @param size its size in bytes
     * @param seed the random seed
     * @throws IOException if writing fails
     */
    static void create(Path file, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long written = 0;
            boolean first = true;
            while (written < size) {
                buf.clear();
                while (buf.remaining() >= Long.BYTES) {
                    buf.putLong(random.nextLong());
                }
                buf.flip();
                if (first) {
                    buf.put(GZIP_HEADER).position(0);
                    first = false;
                }
                buf.limit((int) Math.min(CHUNK, size - written));
                while (buf.hasRemaining()) {
                    written += out.write(buf);
                }
            }
            out.force(true);
        }
    }

    /**
     * Reads a file to its end (which also puts it in the page cache) and hashes it.
     *
     * @param file the file
     * @return its lowercase hex SHA-256
     * @throws IOException if reading fails
     */
    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    /**
     * @param in a stream, read to its end (not closed)
     * @return the lowercase hex SHA-256 of its bytes
     * @throws IOException if reading fails
     */
    static String sha256(InputStream in) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[CHUNK];
        int n;
        while ((n = in.read(buf)) >= 0) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
