package io.attachkit.spring.boot;

import io.attachkit.FileStore;
import io.attachkit.ForwardingFileStore;
import io.attachkit.SaveRequest;
import io.attachkit.StoredFile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InputStream;
import java.util.List;

/**
 * A {@link FileStore} layer that counts saves and the bytes saved, and failures by exception type, in Micrometer:
 * {@code attachkit.store.saves}, {@code attachkit.store.saved.bytes} and {@code attachkit.store.failures}
 * (tags {@code backend}, and {@code operation} and {@code exception} on failures). Reads and deletes are forwarded
 * as they are. Thread-safe.
 */
public final class MeteredFileStore extends ForwardingFileStore {
    private final MeterRegistry registry;
    private final Counter saves;
    private final Counter bytes;

    /**
     * @param delegate the store to measure
     * @param registry where the meters go
     */
    public MeteredFileStore(FileStore delegate, MeterRegistry registry) {
        super(delegate);
        this.registry = registry;
        String backend = delegate.backendName();
        this.saves = Counter.builder("attachkit.store.saves").description("Files saved").tag("backend", backend)
                .register(registry);
        this.bytes = Counter.builder("attachkit.store.saved.bytes").description("Bytes of the files saved")
                .baseUnit("bytes").tag("backend", backend).register(registry);
    }

    @Override
    public StoredFile save(InputStream content, String filename, String mimeType) {
        StoredFile f;
        try {
            f = super.save(content, filename, mimeType);
        } catch (RuntimeException e) {
            failed("save", e);
            throw e;
        }
        saved(f);
        return f;
    }

    @Override
    public List<StoredFile> saveAll(List<SaveRequest> files) {
        List<StoredFile> stored;
        try {
            stored = super.saveAll(files);
        } catch (RuntimeException e) {
            failed("save", e);
            throw e;
        }
        stored.forEach(this::saved);
        return stored;
    }

    private void saved(StoredFile f) {
        saves.increment();
        bytes.increment(f.size());
    }

    private void failed(String operation, RuntimeException e) {
        Counter.builder("attachkit.store.failures").description("Store operations that failed, by exception type")
                .tag("backend", backendName()).tag("operation", operation).tag("exception", e.getClass().getSimpleName())
                .register(registry).increment();
    }
}
