package io.attachkit.storage.local;

import io.attachkit.AbstractFileStore;
import io.attachkit.IncomingFile;
import io.attachkit.StorageException;
import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import io.attachkit.UnsafePathException;
import io.attachkit.internal.StoragePaths;
import io.attachkit.internal.io.BufferPool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores attachments on a local filesystem in Tyler's sharded layout: a file with id {@code abcdef...}
 * saved as {@code report.pdf} lives at {@code <root>/ab/cdef....pdf}, with its metadata (original name,
 * type, size, SHA-256, time) in a hidden sidecar {@code <root>/ab/.cdef....pdf.json}.
 *
 * <pre>{@code
 * FileStore store = LocalFileStore.builder().root(Path.of("/var/lib/attachkit")).build();
 * // or FileStores.open("file:///var/lib/attachkit")
 * }</pre>
 *
 * <p>Writes are atomic: content streams into a hidden temp file in the target directory, is flushed to
 * disk, and only then renamed into place, once its sidecar is complete, so a crash or an error never leaves a
 * visible partial file (the order is explained on {@code doSave}).
 * Temp files left by a process that died are removed when a store opens the root. Reads by id alone
 * work for files saved with any extension (Tyler's did not), and no id or path can reach outside the
 * root: symbolic links inside the root that point out are refused. Files written by Tyler (no sidecar)
 * are read too. Thread-safe; several stores may share a root, though each enforces its quota on its own.
 */
public final class LocalFileStore extends AbstractFileStore {
    /** Environment variable naming the default root directory. */
    public static final String ENV_FILE_STORAGE_PATH = "ATTACHKIT_FILE_STORAGE_PATH";

    private static final Logger LOG = LoggerFactory.getLogger(LocalFileStore.class);
    private static final String TEMP_PREFIX = ".tmp-";
    private static final int COPY_BUFFER = 256 * 1024;

    private final Path root;
    private final boolean fsync;
    private final SidecarMetadata sidecars = new SidecarMetadata();
    /** The temp-file prefix of this process: the sweeper recognises a dead writer's files by their pid. */
    private final String tempPrefix = TEMP_PREFIX + ProcessHandle.current().pid() + "-";
    /** Copy buffers, reused across saves: a small file's save then allocates no buffer of its own. */
    private final BufferPool chunks = new BufferPool(COPY_BUFFER, 2 * Runtime.getRuntime().availableProcessors());

    private LocalFileStore(Builder b, Path root) {
        super("local", b.limits != null ? b.limits : StorageLimits.builder(b.environment).build());
        this.root = root;
        this.fsync = b.fsync;
        new TempFileSweeper(root, TEMP_PREFIX).sweep();
    }

    /** @return a builder; without a root it uses {@code ATTACHKIT_FILE_STORAGE_PATH}, else {@code ~/.attachkit/files} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the root directory (its real path) */
    public Path root() {
        return root;
    }

    // ---------------------------------------------------------------- save

    /**
     * Order, chosen so that a reader never sees a partial file and the sidecar never disagrees with the content,
     * with one rename:
     * <ol>
     * <li>the content streams into a hidden temp file ({@code .tmp-<pid>-<id>}), forced to disk when fsync is on;
     * <li>the sidecar is written directly under its final hidden name ({@code .<name>.json}), created exclusively
     *     and forced when fsync is on. No reader looks at a sidecar before the file it describes exists, so while
     *     the content is not in place the sidecar is invisible, complete or not;
     * <li>the temp file is renamed into place: the file appears, complete, with its complete sidecar beside it;
     * <li>the directory is forced (fsync on), which makes both names durable.
     * </ol>
     * A crash before step 3 leaves a temp file of a dead process and perhaps a sidecar without its file: the next
     * store to open the root removes both. After a power loss before step 4 the file may be missing, or present
     * (its content was forced before the rename) with or without its sidecar; a missing or torn sidecar is ignored
     * by readers (they check its id and size), so the file reads with less metadata, never with another file's.
     * A sidecar that exists already (the same id saved again) is replaced the slower way, see {@link #replace}.
     */
    @Override
    protected void doSave(IncomingFile file) throws IOException {
        Path target = resolve(file.storagePath());
        Path dir = target.getParent();
        requireShardDirectory(dir, file.storagePath());
        Path temp = dir.resolve(tempPrefix + file.fileId());
        Path sidecar = sidecarOf(target);
        boolean sidecarWritten = false;
        boolean committed = false;
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                PipelinedCopy.copy(file, out, chunks, fsync);
                if (fsync) {
                    out.force(true);
                }
            }
            StoredFile meta = new StoredFile(file.fileId(), file.storagePath(), backendName(), file.size(), file.sha256(),
                    file.mimeType(), Instant.now(), file.filename());
            byte[] json = sidecars.toJson(meta);
            sidecarWritten = writeNew(sidecar, json);
            if (sidecarWritten) {
                move(temp, target); // the file becomes visible here, complete, its sidecar complete beside it
            } else {
                replace(temp, target, sidecar, json);
            }
            committed = true;
            if (fsync) {
                syncDirectory(dir);
            }
        } finally {
            if (!committed) {
                Files.deleteIfExists(temp);
                if (sidecarWritten) {
                    Files.deleteIfExists(sidecar);
                }
            }
        }
    }

    /** Creates a file that must not exist yet, with its whole content; {@code false} if it exists. */
    private boolean writeNew(Path file, byte[] content) throws IOException {
        FileChannel out;
        try {
            out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        boolean written = false;
        try (out) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                out.write(b);
            }
            if (fsync) {
                out.force(true);
            }
            written = true;
        } finally {
            if (!written) {
                Files.deleteIfExists(file); // never leave a torn one behind
            }
        }
        return true;
    }

    /**
     * Saves over a file stored before under the same path: its old sidecar goes first, so that until the new
     * one is in place the file reads with no metadata (the fallback) rather than with the other content's.
     */
    private void replace(Path temp, Path target, Path sidecar, byte[] json) throws IOException {
        Path sidecarTemp = temp.resolveSibling(temp.getFileName() + ".json");
        try {
            Files.deleteIfExists(sidecar);
            if (!writeNew(sidecarTemp, json)) {
                throw new FileAlreadyExistsException(sidecarTemp.toString(), null, "another save of the same id is running");
            }
            move(temp, target);
            move(sidecarTemp, sidecar);
        } finally {
            Files.deleteIfExists(sidecarTemp);
        }
    }

    /**
     * Makes sure the shard directory exists and lies inside the root. A shard that is a plain directory (no link)
     * is inside by construction (the root is a real path, the shard a child of it): one {@code lstat}. A missing
     * shard is created, and a link gets the full check.
     */
    private void requireShardDirectory(Path dir, String storagePath) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isDirectory() && root.equals(dir.getParent())) {
                return;
            }
        } catch (NoSuchFileException e) {
            Files.createDirectories(dir);
        }
        requireInsideRoot(dir, storagePath);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new StorageException("The filesystem under " + to.getParent() + " cannot rename atomically; "
                    + "attachkit needs atomic renames to never expose partial files", e);
        }
    }

    private static void syncDirectory(Path dir) {
        // Makes the rename itself durable. Not every platform can open a directory; that is not an error.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("Could not fsync directory {}: {}", dir, e.toString());
        }
    }

    // ---------------------------------------------------------------- derived records
    // One file per content at its exact path (<root>/ab/cdef...-derived.json), written atomically without a
    // sidecar; a miss costs one stat, never a scan of the shard.

    @Override
    public Optional<byte[]> readDerivedRecord(String sha256) {
        Path file = derivedRecordFile(sha256);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            requireInsideRoot(file.getParent(), sha256);
            if (Files.size(file) > MAX_DERIVED_RECORD_BYTES) {
                throw new StorageException("The derived record " + file + " is larger than " + MAX_DERIVED_RECORD_BYTES
                        + " bytes; it was not written by attachkit", null);
            }
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException deletedMeanwhile) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("Reading the derived record " + file + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean writeDerivedRecord(String sha256, byte[] record) {
        Objects.requireNonNull(record, "record");
        Path file = derivedRecordFile(sha256);
        Path temp = file.resolveSibling(tempPrefix + UUID.randomUUID() + ".json");
        try {
            Files.createDirectories(file.getParent());
            requireInsideRoot(file.getParent(), sha256);
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                out.write(java.nio.ByteBuffer.wrap(record));
                if (fsync) {
                    out.force(true);
                }
            }
            move(temp, file);
            return true;
        } catch (IOException e) {
            throw new StorageException("Writing the derived record " + file + " failed: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                LOG.warn("Could not remove temp file {}", temp, e);
            }
        }
    }

    @Override
    public void deleteDerivedRecord(String sha256) {
        Path file = derivedRecordFile(sha256);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StorageException("Deleting the derived record " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** The largest derived record read back: a processing result holds at most a few million characters. */
    private static final long MAX_DERIVED_RECORD_BYTES = 64L * 1024 * 1024;

    private Path derivedRecordFile(String sha256) {
        return resolve(StoragePaths.layout(StoragePaths.derivedRecordId(sha256), ".json"));
    }

    // ---------------------------------------------------------------- read

    @Override
    protected InputStream doOpen(String fileId, String storagePath) throws IOException {
        Path file = locate(fileId, storagePath);
        try {
            return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw notFound(fileId);
        }
    }

    /** A {@link FileChannel}, so that a server can send the file with {@code sendfile}. */
    @Override
    protected java.nio.channels.ReadableByteChannel doOpenChannel(String fileId, String storagePath) throws IOException {
        Path file = locate(fileId, storagePath);
        try {
            return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw notFound(fileId);
        }
    }

    @Override
    protected StoredFile doStat(String fileId, String storagePath) throws IOException {
        Path file = locate(fileId, storagePath);
        String relative = root.relativize(file).toString().replace('\\', '/');
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw notFound(fileId);
        }
        StoredFile meta = sidecars.read(sidecarOf(file));
        if (meta != null && meta.fileId().equals(fileId) && meta.size() == attrs.size()) {
            return meta;
        }
        // No (valid) sidecar: a file written by Tyler or by a save that crashed before its sidecar was durable.
        return new StoredFile(fileId, relative, backendName(), attrs.size(), null, sidecars.guessMimeType(file),
                attrs.lastModifiedTime().toInstant(), null);
    }

    @Override
    protected boolean doExists(String fileId, String storagePath) throws IOException {
        return find(fileId, storagePath) != null;
    }

    @Override
    protected long doDelete(String fileId, String storagePath) throws IOException {
        Path file = locate(fileId, storagePath);
        long size;
        try {
            size = Files.size(file);
            Files.delete(file);
        } catch (NoSuchFileException e) {
            throw notFound(fileId);
        }
        Files.deleteIfExists(sidecarOf(file));
        return size;
    }

    @Override
    protected List<String> doList() throws IOException {
        List<String> ids = new ArrayList<>();
        forEachFile((shard, name, size) -> ids.add(shard + idTail(name)));
        Collections.sort(ids);
        return ids;
    }

    @Override
    public long storageSize() {
        long[] total = {0};
        walk((shard, name, size) -> total[0] += size);
        return total[0];
    }

    @Override
    public long fileCount() {
        long[] count = {0};
        walk((shard, name, size) -> count[0]++);
        return count[0];
    }

    /** Visits the users' files for counting: derived records (reserved ids) are not counted. */
    private void walk(FileVisitor visitor) {
        try {
            forEachFile((shard, name, size) -> {
                if (!StoragePaths.isDerivedRecordId(shard + idTail(name))) {
                    visitor.visit(shard, name, size);
                }
            });
        } catch (IOException e) {
            throw new StorageException("Walking the local store at " + root + " failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface FileVisitor {
        void visit(String shard, String name, long size);
    }

    /** Visits every stored file: regular, not hidden, in a two-character shard directory. */
    private void forEachFile(FileVisitor visitor) throws IOException {
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(root)) {
            for (Path shardDir : shards) {
                String shard = shardDir.getFileName().toString();
                if (shard.length() != 2 || !Files.isDirectory(shardDir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(shardDir)) {
                    for (Path f : files) {
                        String name = f.getFileName().toString();
                        if (name.startsWith(".")) {
                            continue;
                        }
                        try {
                            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                            if (a.isRegularFile()) {
                                visitor.visit(shard, name, a.size());
                            }
                        } catch (NoSuchFileException deletedMeanwhile) {
                            // deleted while we walked
                        }
                    }
                }
            }
        }
    }

    /** The id's tail in a stored file name: everything before the extension. */
    private static String idTail(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    // ---------------------------------------------------------------- paths

    private Path locate(String fileId, String storagePath) throws IOException {
        Path file = find(fileId, storagePath);
        if (file == null) {
            throw notFound(fileId);
        }
        return file;
    }

    /** Finds a file by its (validated) hint, else by scanning its shard for the id with any extension. */
    private Path find(String fileId, String storagePath) throws IOException {
        if (storagePath != null) {
            Path hinted = resolve(storagePath);
            if (Files.isRegularFile(hinted, LinkOption.NOFOLLOW_LINKS)) {
                requireInsideRoot(hinted.getParent(), storagePath);
                return hinted;
            }
        }
        Path shardDir = resolve(fileId.substring(0, 2));
        if (!Files.isDirectory(shardDir)) {
            return null;
        }
        requireInsideRoot(shardDir, fileId);
        String tail = fileId.substring(2);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(shardDir, tail + "*")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if ((name.equals(tail) || name.startsWith(tail + ".")) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    return f;
                }
            }
        }
        return null;
    }

    /** Resolves a validated relative path lexically and checks it stays under the root. */
    private Path resolve(String relative) {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new UnsafePathException("Path " + StoragePaths.quote(relative) + " resolves outside the store root");
        }
        return p;
    }

    /** Refuses a directory that is, or passes through, a symbolic link leading out of the root. */
    private void requireInsideRoot(Path dir, String what) throws IOException {
        Path real = dir.toRealPath();
        if (!real.startsWith(root)) {
            throw new UnsafePathException("Refusing " + StoragePaths.quote(what) + ": " + root.relativize(dir)
                    + " is a link that leads outside the store root");
        }
    }

    private static Path sidecarOf(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".json");
    }

    @Override
    public String toString() {
        return "LocalFileStore{root=" + root + ", limits=" + limits() + "}";
    }

    /** Builds a {@link LocalFileStore}. */
    public static final class Builder {
        private Path root;
        private StorageLimits limits;
        private boolean fsync = true;
        private Map<String, String> environment = System.getenv();

        private Builder() {
        }

        /**

         * @param root the directory to store files in; created if missing

         * @return this builder

         */
        public Builder root(Path root) {
            this.root = Objects.requireNonNull(root, "root");
            return this;
        }

        /**

         * @param limits the limits (default: from the environment, else Tyler's)

         * @return this builder

         */
        public Builder limits(StorageLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * @param fsync flush each file to disk before it becomes visible (default {@code true}); turning it off
         *     trades durability after a power loss for speed, never atomicity
         * @return this builder
         */
        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /**
         * @param environment variables to read instead of the process environment
         *     ({@code ATTACHKIT_FILE_STORAGE_PATH} and the limits' variables)
         * @return this builder
         */
        public Builder environment(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /**
         * @return the store
         * @throws IllegalArgumentException if a configuration value is invalid
         * @throws StorageException if the root cannot be created or is not a writable directory
         */
        public LocalFileStore build() {
            Path dir = root;
            if (dir == null) {
                String env = environment.get(ENV_FILE_STORAGE_PATH);
                dir = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".attachkit", "files");
            }
            try {
                Files.createDirectories(dir);
                Path real = dir.toRealPath();
                if (!Files.isWritable(real)) {
                    throw new StorageException("Local store root " + real + " is not writable", null);
                }
                return new LocalFileStore(this, real);
            } catch (IOException e) {
                throw new StorageException("Cannot use " + dir + " as a local store root: " + e, e);
            }
        }
    }
}
