package io.attachkit.examples.threads;

import io.attachkit.Attachment;
import io.attachkit.AttachmentStatus;
import io.attachkit.Attachments;
import io.attachkit.FileStore;
import io.attachkit.OrphanSweep;
import io.attachkit.StoredFileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat threads, messages and their attachments in a SQL database (plain JDBC), with the files in the
 * {@link FileStore} of an {@link Attachments}.
 *
 * <p>The order of work is what keeps the database and the store consistent:
 * <ol>
 *   <li>a message's files are stored (all or nothing, {@link Attachments#storeAll}) and processed before its
 *       transaction begins, so no row lock is held while bytes move;</li>
 *   <li>the rows (the message, and one row per attachment holding its Tyler JSON, file id and storage path) are
 *       written in one transaction;</li>
 *   <li>if the transaction rolls back, the files this call stored are deleted again;</li>
 *   <li>if the process dies between storing and committing, or a commit's outcome is unknown, the files stay
 *       behind unreferenced: {@link #sweepOrphans(Duration)} removes them later.</li>
 * </ol>
 * Deleting a thread commits first and deletes the files after, so a committed row never points at a missing
 * file.
 *
 * <pre>{@code
 * ThreadStore threads = ThreadStore.builder().dataSource(dataSource).attachments(attachments).build();
 * threads.createSchema();
 * ChatThread thread = threads.createThread("Quarterly report");
 * threads.addMessage(thread.id(), "user", "What changed?", List.of(Attachment.fromPath(Path.of("report.pdf"))));
 * ChatThread back = threads.loadThread(thread.id()).orElseThrow();
 * back.messages().get(0).attachments().get(0).openContent(attachments.store());
 * threads.sweepOrphans(Duration.ofHours(1));   // periodically: longer than any save takes
 * }</pre>
 *
 * <p>Thread-safe: every call takes its own connection from the data source. Concurrent messages to one thread are
 * ordered by the thread row's lock, and none is lost.
 */
public final class ThreadStore {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadStore.class);
    /** Placeholders per {@code IN (...)} query when checking which files other threads still reference. */
    private static final int IN_CHUNK = 500;

    private final DataSource dataSource;
    private final Attachments attachments;
    private final FileStore store;

    private ThreadStore(Builder b) {
        this.dataSource = b.dataSource;
        this.attachments = b.attachments;
        this.store = b.attachments.store();
    }

    /** @return a builder; {@link Builder#dataSource} and {@link Builder#attachments} are required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates the tables and the index if they do not exist (PostgreSQL and H2).
     *
     * @throws ThreadStoreException if the database refuses the schema
     */
    public void createSchema() {
        String sql;
        try (InputStream in = ThreadStore.class.getResourceAsStream("schema.sql")) {
            sql = new String(Objects.requireNonNull(in, "schema.sql is missing from the jar").readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        inTransaction("create the schema", c -> {
            try (Statement s = c.createStatement()) {
                for (String statement : sql.replaceAll("(?m)^--.*$", "").split(";")) {
                    if (!statement.isBlank()) {
                        s.execute(statement);
                    }
                }
            }
            return null;
        });
    }

    /**
     * Creates an empty thread.
     *
     * @param title its title
     * @return the thread, without messages
     * @throws ThreadStoreException if the database refuses it
     */
    public ChatThread createThread(String title) {
        Objects.requireNonNull(title, "title");
        String id = UUID.randomUUID().toString();
        OffsetDateTime now = now();
        inTransaction("create a thread", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO threads (id, title, message_count, created_at, updated_at) VALUES (?, ?, 0, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, title);
                ps.setObject(3, now);
                ps.setObject(4, now);
                ps.executeUpdate();
            }
            return null;
        });
        return new ChatThread(id, title, now, List.of());
    }

    /**
     * Stores and processes the attachments, then saves the message with them in one transaction. If the
     * transaction rolls back (the thread is missing, the database refuses a value), the files this call stored are
     * deleted again and the exception is thrown; the attachments keep their content and can be saved again.
     * Attachments that were already stored are used as they are (their files are not deleted on a rollback), unless
     * their file is gone, when they are stored again from their content.
     *
     * @param threadId the thread
     * @param role who wrote it (at most 32 characters)
     * @param content the message's text
     * @param messageAttachments its attachments (may be empty)
     * @return the saved message, its attachments STORED and processed
     * @throws io.attachkit.AttachmentException if an attachment cannot be stored (nothing is saved)
     * @throws ThreadNotFoundException if there is no such thread (nothing is saved)
     * @throws ThreadStoreException if the database fails (nothing is saved, unless the failure was the commit's
     *     own, whose outcome is unknown: the files are then left for the orphan sweep)
     */
    public ChatMessage addMessage(String threadId, String role, String content, List<Attachment> messageAttachments) {
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        List<Attachment> list = List.copyOf(messageAttachments);
        List<Attachment> storedHere = storeFirst(list);
        CommitTracker commit = new CommitTracker();
        try {
            list.forEach(attachments::process); // a processing failure is recorded in processed_content, not thrown
            return inTransaction("add a message to thread " + threadId, commit, c -> insertMessage(c, threadId, role, content, list));
        } catch (RuntimeException | Error e) {
            if (commit.started) {
                LOG.warn("Commit of a message to thread {} failed with an unknown outcome; its {} new files are left for the orphan sweep",
                        threadId, storedHere.size());
            } else {
                deleteFiles(storedHere, e);
            }
            throw e;
        }
    }

    /**
     * Loads a thread with its messages and their attachments, in one statement (one consistent snapshot).
     *
     * @param threadId the thread
     * @return the thread, or empty if there is none
     * @throws ThreadStoreException if the database fails
     */
    public Optional<ChatThread> loadThread(String threadId) {
        Objects.requireNonNull(threadId, "threadId");
        return inTransaction("load thread " + threadId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT t.title, t.created_at, m.id, m.seq, m.role, m.content, m.created_at, a.attachment_json"
                            + " FROM threads t LEFT JOIN messages m ON m.thread_id = t.id"
                            + " LEFT JOIN attachments a ON a.message_id = m.id"
                            + " WHERE t.id = ? ORDER BY m.seq, a.ordinal")) {
                ps.setString(1, threadId);
                try (ResultSet rs = ps.executeQuery()) {
                    return readThread(threadId, rs);
                }
            }
        });
    }

    private static Optional<ChatThread> readThread(String threadId, ResultSet rs) throws SQLException {
        String title = null;
        OffsetDateTime created = null;
        Map<String, MessageRows> messages = new LinkedHashMap<>();
        while (rs.next()) {
            title = rs.getString(1);
            created = rs.getObject(2, OffsetDateTime.class);
            String messageId = rs.getString(3);
            if (messageId == null) {
                continue; // a thread without messages
            }
            MessageRows m = messages.get(messageId);
            if (m == null) {
                m = new MessageRows(messageId, rs.getLong(4), rs.getString(5), rs.getString(6), rs.getObject(7, OffsetDateTime.class));
                messages.put(messageId, m);
            }
            String json = rs.getString(8);
            if (json != null) {
                m.attachments.add(Attachment.fromJson(json));
            }
        }
        if (title == null) {
            return Optional.empty();
        }
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (MessageRows m : messages.values()) {
            out.add(new ChatMessage(m.id, threadId, m.seq, m.role, m.content, m.createdAt, m.attachments));
        }
        return Optional.of(new ChatThread(threadId, title, created, out));
    }

    /**
     * Deletes a thread, its messages and, once that is committed, its attachments' files (except files that another
     * thread's message also references). A file whose deletion fails is logged and left for the orphan sweep.
     *
     * @param threadId the thread
     * @return whether there was such a thread
     * @throws ThreadStoreException if the database fails (nothing is deleted)
     */
    public boolean deleteThread(String threadId) {
        Objects.requireNonNull(threadId, "threadId");
        Map<String, String> files = new LinkedHashMap<>(); // file id -> storage path
        boolean existed = inTransaction("delete thread " + threadId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT a.file_id, a.storage_path FROM attachments a"
                    + " JOIN messages m ON a.message_id = m.id WHERE m.thread_id = ?")) {
                ps.setString(1, threadId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        files.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            int deleted;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM threads WHERE id = ?")) { // cascades to messages, attachments
                ps.setString(1, threadId);
                deleted = ps.executeUpdate();
            }
            files.keySet().removeAll(stillReferenced(c, files.keySet()));
            return deleted > 0;
        });
        for (Map.Entry<String, String> f : files.entrySet()) {
            try {
                store.delete(f.getKey(), f.getValue());
            } catch (StoredFileNotFoundException gone) {
                // already gone: nothing to do
            } catch (RuntimeException e) {
                LOG.warn("Deleting file {} of deleted thread {} failed; the orphan sweep will remove it", f.getKey(), threadId, e);
            }
        }
        return existed;
    }

    /**
     * @return the ids of every file an attachment row references
     * @throws ThreadStoreException if the database fails
     */
    public Set<String> referencedFileIds() {
        return inTransaction("list referenced files", c -> {
            Set<String> ids = new HashSet<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DISTINCT file_id FROM attachments")) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        });
    }

    /**
     * Deletes the stored files no attachment row references, keeping those younger than {@code minAge}: a file
     * stored for a message whose transaction has not committed yet must not be swept, so {@code minAge} must be
     * longer than the longest save (storing, processing and committing a message). The references are read before
     * the store is listed, so a message committed during the sweep keeps its files as long as they are younger than
     * {@code minAge}.
     *
     * @param minAge files stored more recently than this are kept
     * @return the files deleted
     * @throws ThreadStoreException if the database fails (nothing is deleted)
     */
    public OrphanSweep sweepOrphans(Duration minAge) {
        return attachments.sweepOrphans(referencedFileIds(), false, minAge);
    }

    // ------------------------------------------------------------------ storing before the transaction

    /** Stores what is not stored yet (all or nothing); @return the attachments whose files this call created */
    private List<Attachment> storeFirst(List<Attachment> list) {
        List<Attachment> fresh = new ArrayList<>();
        List<Attachment> gone = new ArrayList<>();
        for (Attachment a : list) {
            if (a.status() != AttachmentStatus.STORED || a.fileId() == null) {
                fresh.add(a);
            } else if (!store.exists(a.fileId(), a.storagePath())) {
                if (!a.hasLocalContent()) {
                    throw new StoredFileNotFoundException(a.fileId(), a.storageBackend());
                }
                gone.add(a); // e.g. deleted by an earlier rolled-back save of the same attachment
            }
        }
        attachments.storeAll(fresh);
        List<Attachment> storedHere = new ArrayList<>(fresh);
        try {
            for (Attachment a : gone) {
                a.ensureStored(store, true);
                storedHere.add(a);
            }
        } catch (RuntimeException e) {
            deleteFiles(storedHere, e);
            throw e;
        }
        return storedHere;
    }

    private void deleteFiles(List<Attachment> stored, Throwable failure) {
        for (Attachment a : stored) {
            try {
                store.delete(a.fileId(), a.storagePath());
            } catch (RuntimeException e) {
                failure.addSuppressed(e); // left for the orphan sweep
            }
        }
    }

    // ------------------------------------------------------------------ inside the transaction

    private static ChatMessage insertMessage(Connection c, String threadId, String role, String content, List<Attachment> list)
            throws SQLException {
        OffsetDateTime now = now();
        // the increment takes the thread row's lock: concurrent writers to one thread queue here, each gets the next seq
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE threads SET message_count = message_count + 1, updated_at = ? WHERE id = ?")) {
            ps.setObject(1, now);
            ps.setString(2, threadId);
            if (ps.executeUpdate() == 0) {
                throw new ThreadNotFoundException(threadId);
            }
        }
        long seq;
        try (PreparedStatement ps = c.prepareStatement("SELECT message_count FROM threads WHERE id = ?")) {
            ps.setString(1, threadId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
        }
        String id = UUID.randomUUID().toString();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO messages (id, thread_id, seq, role, content, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, threadId);
            ps.setLong(3, seq);
            ps.setString(4, role);
            ps.setString(5, content);
            ps.setObject(6, now);
            ps.executeUpdate();
        }
        if (!list.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO attachments (message_id, ordinal, file_id, storage_path, attachment_json) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < list.size(); i++) {
                    Attachment a = list.get(i);
                    ps.setString(1, id);
                    ps.setInt(2, i);
                    ps.setString(3, a.fileId());
                    ps.setString(4, a.storagePath());
                    ps.setString(5, a.toJson());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        return new ChatMessage(id, threadId, seq, role, content, now, list);
    }

    /** @return those of {@code ids} that some attachment row still references */
    private static Set<String> stillReferenced(Connection c, Set<String> ids) throws SQLException {
        Set<String> referenced = new HashSet<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
            String in = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT file_id FROM attachments WHERE file_id IN (" + in + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        referenced.add(rs.getString(1));
                    }
                }
            }
        }
        return referenced;
    }

    // ------------------------------------------------------------------ transactions

    /** Work done inside a transaction. */
    @FunctionalInterface
    private interface TransactionWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** Whether {@code commit()} was called: after that, a failure leaves the transaction's outcome unknown. */
    private static final class CommitTracker {
        volatile boolean started;
    }

    private <T> T inTransaction(String what, TransactionWork<T> work) {
        return inTransaction(what, new CommitTracker(), work);
    }

    private <T> T inTransaction(String what, CommitTracker commit, TransactionWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            T result;
            try {
                result = work.run(c);
            } catch (SQLException | RuntimeException | Error e) {
                rollback(c, e);
                throw e;
            }
            commit.started = true;
            c.commit();
            return result;
        } catch (SQLException e) {
            throw new ThreadStoreException("Could not " + what + ": " + e.getMessage(), e);
        }
    }

    private static void rollback(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** Microseconds: the precision both PostgreSQL and H2 keep, so a saved time reads back equal. */
    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** A message being assembled from the rows of {@link #loadThread}. */
    private static final class MessageRows {
        final String id;
        final long seq;
        final String role;
        final String content;
        final OffsetDateTime createdAt;
        final List<Attachment> attachments = new ArrayList<>();

        MessageRows(String id, long seq, String role, String content, OffsetDateTime createdAt) {
            this.id = id;
            this.seq = seq;
            this.role = role;
            this.content = content;
            this.createdAt = createdAt;
        }
    }

    /** Builds a {@link ThreadStore}. */
    public static final class Builder {
        private DataSource dataSource;
        private Attachments attachments;

        private Builder() {
        }

        /**
         * @param dataSource where the threads live (a pool in production; each call takes and returns a connection)
         * @return this builder
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * @param attachments stores and processes the files; its store is where they live
         * @return this builder
         */
        public Builder attachments(Attachments attachments) {
            this.attachments = Objects.requireNonNull(attachments, "attachments");
            return this;
        }

        /**
         * @return the store
         * @throws IllegalStateException if the data source or the attachments are missing
         */
        public ThreadStore build() {
            if (dataSource == null) {
                throw new IllegalStateException("dataSource is required: ThreadStore.builder().dataSource(...)");
            }
            if (attachments == null) {
                throw new IllegalStateException("attachments is required: ThreadStore.builder().attachments(...)");
            }
            return new ThreadStore(this);
        }
    }
}
