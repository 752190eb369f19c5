package io.attachkit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Collection;

/**
 * A layer that keeps the content of recently read small files in memory, so repeated reads of the same
 * attachment (a thread re-rendered, a file served twice) do not go back to disk or S3.
 *
 * <p>The cache is weighed by bytes and bounded by {@link Builder#maximumBytes(long)}; files larger than
 * {@link Builder#maximumFileSize(long)} are never cached and stream straight from the backend. Deleting
 * through this layer evicts the file. Stored files never change under an id, so cached bytes cannot go
 * stale except by a delete made around this layer. Thread-safe.
 *
 * <pre>{@code
 * FileStore cached = CachingFileStore.builder(store).maximumBytes(64 << 20).build();
 * }</pre>
 */
public final class CachingFileStore extends ForwardingFileStore {
    private final Cache<String, byte[]> cache;
    private final long maximumFileSize;

    private CachingFileStore(Builder b) {
        super(b.delegate);
        this.maximumFileSize = b.maximumFileSize;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(b.maximumBytes)
                .weigher((String id, byte[] bytes) -> bytes.length)
                .recordStats()
                .build();
    }

    /**
     * @param delegate the store to cache
     * @return a builder
     */
    public static Builder builder(FileStore delegate) {
        return new Builder(delegate);
    }

    @Override
    public byte[] get(String fileId, String storagePath) {
        byte[] cached = cache.getIfPresent(fileId);
        if (cached != null) {
            return cached.clone();
        }
        byte[] bytes = super.get(fileId, storagePath);
        if (bytes.length <= maximumFileSize) {
            cache.put(fileId, bytes.clone());
        }
        return bytes;
    }

    @Override
    public InputStream open(String fileId, String storagePath) {
        byte[] cached = cache.getIfPresent(fileId);
        if (cached != null) {
            return new ByteArrayInputStream(cached);
        }
        StoredFile meta = super.stat(fileId, storagePath);
        if (meta.size() <= maximumFileSize) {
            return new ByteArrayInputStream(get(fileId, meta.storagePath()));
        }
        return super.open(fileId, meta.storagePath());
    }

    /** A cached file comes from memory; any other is the backend's own channel (a file on disk stays zero-copy). */
    @Override
    public java.nio.channels.ReadableByteChannel openChannel(String fileId, String storagePath) {
        byte[] cached = cache.getIfPresent(fileId);
        if (cached != null) {
            return java.nio.channels.Channels.newChannel(new ByteArrayInputStream(cached));
        }
        return super.openChannel(fileId, storagePath);
    }

    @Override
    public void delete(String fileId, String storagePath) {
        cache.invalidate(fileId);
        super.delete(fileId, storagePath);
    }

    @Override
    public int deleteAll(Collection<String> fileIds) {
        cache.invalidateAll(fileIds);
        return super.deleteAll(fileIds);
    }

    /** @return cache hits so far */
    public long hitCount() {
        return cache.stats().hitCount();
    }

    /** @return bytes currently cached */
    public long cachedBytes() {
        cache.cleanUp();
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    }

    /** Builds a {@link CachingFileStore}. */
    public static final class Builder {
        private final FileStore delegate;
        private long maximumBytes = 64L * 1024 * 1024;
        private long maximumFileSize = 4L * 1024 * 1024;

        private Builder(FileStore delegate) {
            this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
        }

        /**
         * @param bytes the most bytes to keep cached in all, positive (default 64 MiB)
         * @return this builder
         */
        public Builder maximumBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maximumBytes must be positive, was " + bytes);
            }
            this.maximumBytes = bytes;
            return this;
        }

        /**
         * @param bytes the largest file to cache, positive (default 4 MiB)
         * @return this builder
         */
        public Builder maximumFileSize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maximumFileSize must be positive, was " + bytes);
            }
            this.maximumFileSize = bytes;
            return this;
        }

        /**
         * @return the caching store
         * @throws IllegalArgumentException if maximumFileSize is larger than maximumBytes
         */
        public CachingFileStore build() {
            if (maximumFileSize > maximumBytes) {
                throw new IllegalArgumentException("maximumFileSize (" + maximumFileSize + ") must not exceed maximumBytes ("
                        + maximumBytes + ")");
            }
            return new CachingFileStore(this);
        }
    }
}
