package io.attachkit.server.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Content that a seed determines: the clients upload it and the checks regenerate it, so no client keeps what it
 * uploaded in memory. Text and gzip content streams at any size; CSV and JSON are built in memory (small only).
 *
 * @param kind what the bytes look like
 * @param seed the seed
 * @param size the exact size in bytes
 */
record LoadContent(Kind kind, long seed, int size) {

    /** What the bytes look like, with the type and extension they are uploaded with. */
    enum Kind {
        TEXT("text/plain", "txt"),
        CSV("text/csv", "csv"),
        JSON("application/json", "json"),
        GZIP("application/gzip", "gz");

        final String mimeType;
        final String extension;

        Kind(String mimeType, String extension) {
            this.mimeType = mimeType;
            this.extension = extension;
        }
    }

    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    String filename(String prefix) {
        return prefix + "-" + Long.toHexString(seed) + "." + kind.extension;
    }

    /** @return a fresh stream of the content */
    InputStream open() {
        return switch (kind) {
            case TEXT, GZIP -> new Generated(this);
            case CSV, JSON -> new java.io.ByteArrayInputStream(small());
        };
    }

    /** @return the content in memory (for JSON uploads and small files) */
    byte[] bytes() {
        try (InputStream in = open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the SHA-256 (hex) of bytes [start, start + length) */
    String sha256(long start, long length) {
        MessageDigest md = sha256Digest();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = open()) {
            in.skipNBytes(start);
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IllegalStateException("content " + this + " ended early");
                }
                md.update(buf, 0, n);
                left -= n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    String sha256() {
        return sha256(0, size);
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** CSV rows or a JSON document of exactly {@link #size} bytes (JSON padded with spaces, still valid). */
    private byte[] small() {
        SplittableRandom r = new SplittableRandom(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 64);
        if (kind == Kind.CSV) {
            write(out, "id,value,label\n");
            for (int i = 0; out.size() < size; i++) {
                write(out, i + "," + r.nextInt(1_000_000) + ",w" + r.nextInt(1000) + "\n");
            }
            byte[] all = out.toByteArray();
            byte[] exact = java.util.Arrays.copyOf(all, size);
            if (size > 0) {
                exact[size - 1] = '\n';
            }
            return exact;
        }
        String close = "]}";
        write(out, "{\"seed\":" + seed + ",\"rows\":[");
        boolean first = true;
        while (true) {
            String row = (first ? "" : ",") + "{\"i\":" + r.nextInt(1_000_000) + ",\"v\":\"w" + r.nextInt(1000) + "\"}";
            if (out.size() + row.length() + close.length() > size) {
                break;
            }
            write(out, row);
            first = false;
        }
        while (out.size() + close.length() < size) {
            out.write(' ');
        }
        write(out, close);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Streams text (lowercase words, spaces, newlines) or gzip (a gzip header, then random bytes). */
    private static final class Generated extends InputStream {
        private final LoadContent c;
        private final SplittableRandom r;
        private long pos;

        Generated(LoadContent c) {
            this.c = c;
            this.r = new SplittableRandom(c.seed);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= c.size) {
                return -1;
            }
            int n = (int) Math.min(len, c.size - pos);
            for (int i = 0; i < n; i++) {
                b[off + i] = next();
            }
            return n;
        }

        private byte next() {
            long p = pos++;
            if (c.kind == Kind.GZIP) {
                return p < GZIP_HEADER.length ? GZIP_HEADER[(int) p] : (byte) r.nextInt(256);
            }
            int x = r.nextInt(80);
            return x < 70 ? (byte) ('a' + x % 26) : x < 79 ? (byte) ' ' : (byte) '\n';
        }
    }
}
