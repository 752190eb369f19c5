package io.attachkit.storage.local;

import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Random;

/**
 * The child process of {@link CrashSafetyTest}: saves large files one after another into a local store
 * and reports each one that completed on stdout ("SAVED id sha256"), until it is killed.
 */
final class CrashingSaver {
    private CrashingSaver() {
    }

    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        int size = Integer.parseInt(args[1]);
        LocalFileStore store = LocalFileStore.builder().root(root).limits(StorageLimits.defaults().toBuilder()
                .maxFileSize(Long.MAX_VALUE / 4).maxStorageSize(Long.MAX_VALUE / 2).build()).build();
        System.out.println("READY");
        System.out.flush();
        for (int i = 0; ; i++) {
            StoredFile f = store.save(new GeneratedText(size, i), "crash-" + i + ".txt", null);
            System.out.println("SAVED " + f.fileId() + " " + f.sha256());
            System.out.flush();
        }
    }

    /** Streams {@code size} bytes of text without holding them: a random 64 KiB block, shifted per file. */
    private static final class GeneratedText extends InputStream {
        private static final byte[] BLOCK = new byte[64 * 1024];

        static {
            Random r = new Random(7);
            for (int i = 0; i < BLOCK.length; i++) {
                BLOCK[i] = (byte) ('a' + r.nextInt(26));
            }
        }

        private final int shift;
        private long pos;
        private final long size;

        GeneratedText(long size, long seed) {
            this.size = size;
            this.shift = (int) (seed * 7919 % BLOCK.length);
        }

        @Override
        public int read() {
            return pos < size ? BLOCK[(int) ((pos++ + shift) % BLOCK.length)] : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            int start = (int) ((pos + shift) % BLOCK.length);
            int n = (int) Math.min(Math.min(len, size - pos), BLOCK.length - start);
            System.arraycopy(BLOCK, start, b, off, n);
            pos += n;
            return n;
        }
    }
}
