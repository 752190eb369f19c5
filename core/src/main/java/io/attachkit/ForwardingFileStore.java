package io.attachkit;

import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A {@link FileStore} that forwards every call to another store: the base for layers (caching,
 * metrics, retries) that wrap any backend from the outside and override only what they change.
 *
 * <pre>{@code
 * class CountingStore extends ForwardingFileStore {
 *     final LongAdder reads = new LongAdder();
 *     CountingStore(FileStore delegate) { super(delegate); }
 *     public InputStream open(String id, String path) { reads.increment(); return super.open(id, path); }
 * }
 * }</pre>
 */
public abstract class ForwardingFileStore implements FileStore {
    private final FileStore delegate;

    /** @param delegate the store to forward to */
    protected ForwardingFileStore(FileStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** @return the wrapped store */
    protected FileStore delegate() {
        return delegate;
    }

    @Override
    public String backendName() {
        return delegate.backendName();
    }

    @Override
    public StoredFile save(InputStream content, String filename, String mimeType) {
        return delegate.save(content, filename, mimeType);
    }

    @Override
    public byte[] get(String fileId, String storagePath) {
        return delegate.get(fileId, storagePath);
    }

    @Override
    public InputStream open(String fileId, String storagePath) {
        return delegate.open(fileId, storagePath);
    }

    @Override
    public java.nio.channels.ReadableByteChannel openChannel(String fileId, String storagePath) {
        return delegate.openChannel(fileId, storagePath);
    }

    @Override
    public StoredFile stat(String fileId, String storagePath) {
        return delegate.stat(fileId, storagePath);
    }

    @Override
    public void delete(String fileId, String storagePath) {
        delegate.delete(fileId, storagePath);
    }

    @Override
    public boolean exists(String fileId, String storagePath) {
        return delegate.exists(fileId, storagePath);
    }

    @Override
    public List<String> list() {
        return delegate.list();
    }

    @Override
    public long storageSize() {
        return delegate.storageSize();
    }

    @Override
    public long fileCount() {
        return delegate.fileCount();
    }

    @Override
    public StoreHealth checkHealth() {
        return delegate.checkHealth();
    }

    @Override
    public List<StoredFile> saveAll(List<SaveRequest> files) {
        return delegate.saveAll(files);
    }

    @Override
    public int deleteAll(Collection<String> fileIds) {
        return delegate.deleteAll(fileIds);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public java.util.Optional<byte[]> readDerivedRecord(String sha256) {
        return delegate.readDerivedRecord(sha256);
    }

    @Override
    public boolean writeDerivedRecord(String sha256, byte[] record) {
        return delegate.writeDerivedRecord(sha256, record);
    }

    @Override
    public void deleteDerivedRecord(String sha256) {
        delegate.deleteDerivedRecord(sha256);
    }

    @Override
    public List<String> derivedRecordDigests() {
        return delegate.derivedRecordDigests();
    }
}
