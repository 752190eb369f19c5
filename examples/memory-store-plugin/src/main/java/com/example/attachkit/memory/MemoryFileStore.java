package com.example.attachkit.memory;

import io.attachkit.AbstractFileStore;
import io.attachkit.IncomingFile;
import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Keeps files in memory: the smallest complete backend, written the way a plugin author would. Extending
 * {@link AbstractFileStore} gives it validation, MIME detection, size and quota limits and SHA-256 for free;
 * it implements only the five raw operations. Thread-safe; contents are lost when the store is dropped.
 */
public final class MemoryFileStore extends AbstractFileStore {
    private record Entry(byte[] bytes, StoredFile meta) {
    }

    private final ConcurrentMap<String, Entry> files = new ConcurrentHashMap<>();

    /** @param limits the limits to enforce */
    public MemoryFileStore(StorageLimits limits) {
        super("mem", limits);
    }

    @Override
    protected void doSave(IncomingFile file) throws java.io.IOException {
        // The content stream enforces the limits as we read it, so readAllBytes cannot exceed maxFileSize.
        byte[] bytes = file.content().readAllBytes();
        StoredFile meta = new StoredFile(file.fileId(), file.storagePath(), backendName(), bytes.length, file.sha256(),
                file.mimeType(), Instant.now(), file.filename());
        files.put(file.fileId(), new Entry(bytes, meta)); // visible only now, complete
    }

    @Override
    protected InputStream doOpen(String fileId, String storagePath) {
        return new ByteArrayInputStream(entry(fileId).bytes());
    }

    @Override
    protected StoredFile doStat(String fileId, String storagePath) {
        return entry(fileId).meta();
    }

    @Override
    protected long doDelete(String fileId, String storagePath) {
        Entry removed = files.remove(fileId);
        if (removed == null) {
            throw notFound(fileId);
        }
        return removed.bytes().length;
    }

    @Override
    protected List<String> doList() {
        return new ArrayList<>(files.keySet());
    }

    @Override
    public long storageSize() {
        // derived records (processing results) are kept as files under reserved ids; they are not the users' bytes
        return files.entrySet().stream().filter(e -> !isDerivedRecordId(e.getKey())).mapToLong(e -> e.getValue().bytes().length).sum();
    }

    private Entry entry(String fileId) {
        Entry e = files.get(fileId);
        if (e == null) {
            throw notFound(fileId);
        }
        return e;
    }
}
