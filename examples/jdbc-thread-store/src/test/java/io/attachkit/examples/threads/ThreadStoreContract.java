package io.attachkit.examples.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.Attachment;
import io.attachkit.AttachmentStatus;
import io.attachkit.Attachments;
import io.attachkit.OrphanSweep;
import io.attachkit.storage.local.LocalFileStore;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the thread store promises, run against every database (one subclass each): a saved thread loads back with
 * attachments whose content opens and whose processed content survived; a rolled-back save leaves no file; a JVM
 * killed between storing and committing leaves only orphans, which the sweep removes; deleting a thread deletes its
 * files; concurrent messages to one thread are all kept.
 */
abstract class ThreadStoreContract {
    /** The repository's sample files (the tests run in the module's directory). */
    static final Path FILES = Path.of("..", "files");

    @TempDir
    Path dir;
    TestDatabase db;
    LocalFileStore store;
    Attachments attachments;
    ThreadStore threads;

    /** @return an empty database of this kind, for one test */
    protected abstract TestDatabase freshDatabase(Path dir) throws Exception;

    @BeforeEach
    void open() throws Exception {
        db = freshDatabase(dir);
        store = LocalFileStore.builder().root(dir.resolve("files")).build();
        attachments = Attachments.builder().store(store).build();
        threads = ThreadStore.builder().dataSource(db.dataSource()).attachments(attachments).build();
        threads.createSchema();
    }

    @AfterEach
    void close() {
        attachments.close();
        store.close();
    }

    @Test
    void savedThread_loadsBack_withAttachmentsWhoseContentOpens_andWhoseProcessedContentSurvived() throws Exception {
        ChatThread thread = threads.createThread("Quarterly report");
        List<String> names = List.of("notes.txt", "data.csv", "report.pdf");
        ChatMessage saved = threads.addMessage(thread.id(), "user", "What changed?",
                names.stream().map(n -> Attachment.fromPath(FILES.resolve(n))).toList());
        threads.addMessage(thread.id(), "assistant", "Revenue went up.", List.of());

        ChatThread back = threads.loadThread(thread.id()).orElseThrow();
        assertThat(back.title()).isEqualTo("Quarterly report");
        assertThat(back.createdAt()).isEqualTo(thread.createdAt());
        assertThat(back.messages()).extracting(ChatMessage::seq).containsExactly(1L, 2L);
        assertThat(back.messages()).extracting(ChatMessage::role).containsExactly("user", "assistant");
        assertThat(back.messages()).extracting(ChatMessage::content).containsExactly("What changed?", "Revenue went up.");
        assertThat(back.messages().get(1).attachments()).isEmpty();

        List<Attachment> loaded = back.messages().get(0).attachments();
        assertThat(loaded).extracting(Attachment::filename).containsExactlyElementsOf(names);
        for (int i = 0; i < names.size(); i++) {
            Attachment a = loaded.get(i);
            byte[] original = Files.readAllBytes(FILES.resolve(names.get(i)));
            assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
            assertThat(a.hasLocalContent()).as("read from the store, not from the JSON").isFalse();
            assertThat(a.getContentBytes(store)).isEqualTo(original);
            try (InputStream in = a.openContent(store)) {
                assertThat(in.readAllBytes()).isEqualTo(original);
            }
            String text = saved.attachments().get(i).processedContent().text();
            assertThat(text).as("processed before the save: %s", names.get(i)).isNotBlank();
            assertThat(a.processedContent().text()).isEqualTo(text);
            assertThat(a.processedContent().url()).isEqualTo("/files/" + a.storagePath());
        }
        assertThat(threads.referencedFileIds()).containsExactlyInAnyOrderElementsOf(store.list())
                .containsExactlyInAnyOrderElementsOf(loaded.stream().map(Attachment::fileId).toList());
    }

    @Test
    void addMessage_toAMissingThread_rollsBack_andDeletesTheFilesItStored_andTheSameAttachmentSavesLater() throws Exception {
        Attachment notes = Attachment.fromPath(FILES.resolve("notes.txt"));
        assertThatThrownBy(() -> threads.addMessage("no-such-thread", "user", "hello", List.of(notes)))
                .isInstanceOf(ThreadNotFoundException.class).hasMessageContaining("no-such-thread");
        assertThat(store.list()).as("the file stored for the rolled-back message").isEmpty();

        ChatThread thread = threads.createThread("retry");
        threads.addMessage(thread.id(), "user", "hello", List.of(notes)); // its deleted file is stored again
        Attachment back = threads.loadThread(thread.id()).orElseThrow().messages().get(0).attachments().get(0);
        assertThat(back.getContentBytes(store)).isEqualTo(Files.readAllBytes(FILES.resolve("notes.txt")));
        assertThat(store.list()).containsExactly(back.fileId());
    }

    @Test
    void addMessage_refusedByTheDatabase_rollsBack_deletesItsFiles_andLeavesNoGapInTheThread() {
        ChatThread thread = threads.createThread("refused");
        ChatMessage first = threads.addMessage(thread.id(), "user", "first", List.of(Attachment.fromPath(FILES.resolve("notes.txt"))));
        String tooLongRole = "r".repeat(100); // the column holds 32

        assertThatThrownBy(() -> threads.addMessage(thread.id(), tooLongRole, "second",
                List.of(Attachment.fromPath(FILES.resolve("data.csv")), Attachment.fromPath(FILES.resolve("report.pdf")))))
                .isInstanceOf(ThreadStoreException.class).hasMessageContaining(thread.id());

        assertThat(store.list()).containsExactly(first.attachments().get(0).fileId());
        ChatMessage next = threads.addMessage(thread.id(), "user", "third", List.of());
        assertThat(next.seq()).isEqualTo(2);
        assertThat(threads.loadThread(thread.id()).orElseThrow().messages()).extracting(ChatMessage::content)
                .containsExactly("first", "third");
    }

    @Test
    void anAttachmentStoredBeforeTheSave_keepsItsFile_whenTheSaveRollsBack() {
        Attachment uploaded = attachments.storeAndProcess(Attachment.fromBytes("upload.txt", "uploaded earlier".getBytes(StandardCharsets.UTF_8), null));
        assertThatThrownBy(() -> threads.addMessage("no-such-thread", "user", "hello", List.of(uploaded)))
                .isInstanceOf(ThreadNotFoundException.class);
        assertThat(store.exists(uploaded.fileId(), uploaded.storagePath())).isTrue();
    }

    @Test
    void aCommitWhoseAnswerIsLost_keepsTheFiles_soTheRowsItCommittedStillOpen() throws Exception {
        ChatThread thread = threads.createThread("lost answer");
        ThreadStore losingAnswers = ThreadStore.builder().attachments(attachments)
                .dataSource(InterceptedCommit.wrap(db.dataSource(), real -> {
                    real.commit();
                    throw new SQLException("connection reset after the commit was sent", "08006");
                })).build();

        assertThatThrownBy(() -> losingAnswers.addMessage(thread.id(), "user", "committed after all",
                List.of(Attachment.fromPath(FILES.resolve("notes.txt"))))).isInstanceOf(ThreadStoreException.class);

        Attachment back = threads.loadThread(thread.id()).orElseThrow().messages().get(0).attachments().get(0);
        assertThat(back.getContentBytes(store)).as("deleting on an unknown outcome would lose it")
                .isEqualTo(Files.readAllBytes(FILES.resolve("notes.txt")));
        assertThat(threads.sweepOrphans(Duration.ZERO).orphans()).as("referenced, so not an orphan").isEmpty();
    }

    @Test
    void deleteThread_deletesItsMessagesAndFiles_butKeepsAFileAnotherThreadReferences() throws Exception {
        Attachment shared = Attachment.fromPath(FILES.resolve("notes.txt"));
        Attachment own = Attachment.fromPath(FILES.resolve("data.csv"));
        ChatThread doomed = threads.createThread("doomed");
        threads.addMessage(doomed.id(), "user", "two files", List.of(shared, own));
        ChatThread other = threads.createThread("forwarded");
        threads.addMessage(other.id(), "user", "the same notes", List.of(shared)); // already stored: same file id

        assertThat(threads.deleteThread(doomed.id())).isTrue();

        assertThat(threads.loadThread(doomed.id())).isEmpty();
        assertThat(store.exists(own.fileId(), own.storagePath())).isFalse();
        Attachment stillThere = threads.loadThread(other.id()).orElseThrow().messages().get(0).attachments().get(0);
        assertThat(stillThere.fileId()).isEqualTo(shared.fileId());
        assertThat(stillThere.getContentBytes(store)).isEqualTo(Files.readAllBytes(FILES.resolve("notes.txt")));
        assertThat(threads.deleteThread(doomed.id())).as("already deleted").isFalse();

        assertThat(threads.deleteThread(other.id())).isTrue();
        assertThat(store.list()).isEmpty();
        assertThat(threads.referencedFileIds()).isEmpty();
    }

    @Test
    void concurrentMessagesToOneThread_areAllKept_inOneOrderWithoutGaps() throws Exception {
        ChatThread thread = threads.createThread("busy");
        int writers = 2;
        int each = 20;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        String name = "w" + writer + "-" + i;
                        threads.addMessage(thread.id(), "user", name,
                                List.of(Attachment.fromBytes(name + ".txt", ("content of " + name).getBytes(StandardCharsets.UTF_8), null)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<ChatMessage> messages = threads.loadThread(thread.id()).orElseThrow().messages();
        assertThat(messages).extracting(ChatMessage::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, writers * each).boxed().toList());
        for (int w = 0; w < writers; w++) {
            String prefix = "w" + w + "-";
            assertThat(messages.stream().map(ChatMessage::content).filter(c -> c.startsWith(prefix)))
                    .as("writer %d's messages, in its order", w)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, each).mapToObj(i -> prefix + i).toList());
        }
        for (ChatMessage m : messages) {
            assertThat(m.attachments()).hasSize(1);
            assertThat(new String(m.attachments().get(0).getContentBytes(store), StandardCharsets.UTF_8)).isEqualTo("content of " + m.content());
        }
        assertThat(store.list()).hasSize(writers * each);
    }

    @Test
    void aJvmKilledBetweenStoringAndCommitting_leavesOnlyOrphans_whichTheSweepRemoves() throws Exception {
        ChatThread thread = threads.createThread("crash");
        ChatMessage kept = threads.addMessage(thread.id(), "user", "kept", List.of(Attachment.fromPath(FILES.resolve("notes.txt"))));
        String keptId = kept.attachments().get(0).fileId();

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                CrashBeforeCommitMain.class.getName(), dir.resolve("files").toString()));
        command.addAll(List.of(db.args()));
        command.addAll(List.of(thread.id(), FILES.resolve("data.csv").toString(), FILES.resolve("report.pdf").toString()));
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(command).redirectError(log.toFile()).start();
        Thread watchdog = new Thread(() -> {
            try {
                if (!child.waitFor(120, TimeUnit.SECONDS)) {
                    child.destroyForcibly(); // unblocks the read below, which then fails the test
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.equals("COMMITTING"));
            assertThat(line).as("the child reached its commit; its log: %s", Files.exists(log) ? Files.readString(log) : "")
                    .isEqualTo("COMMITTING");
            assertThat(store.list()).as("both files stored before the commit").hasSize(3);
        } finally {
            child.destroyForcibly(); // SIGKILL: the commit never happens, nothing cleans up
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        Set<String> orphans = new HashSet<>(store.list());
        orphans.remove(keptId);
        assertThat(orphans).hasSize(2);

        assertThat(threads.loadThread(thread.id()).orElseThrow().messages()).extracting(ChatMessage::content).containsExactly("kept");
        assertThat(threads.sweepOrphans(Duration.ofHours(1)).orphans()).as("too young to sweep: their save may still commit").isEmpty();

        OrphanSweep sweep = threads.sweepOrphans(Duration.ZERO);

        assertThat(sweep.orphans()).containsExactlyInAnyOrderElementsOf(orphans);
        assertThat(sweep.bytes()).isEqualTo(Files.size(FILES.resolve("data.csv")) + Files.size(FILES.resolve("report.pdf")));
        assertThat(store.list()).containsExactly(keptId);
        Attachment back = threads.loadThread(thread.id()).orElseThrow().messages().get(0).attachments().get(0);
        assertThat(back.getContentBytes(store)).isEqualTo(Files.readAllBytes(FILES.resolve("notes.txt")));
        assertThat(threads.addMessage(thread.id(), "user", "after the crash", List.of()).seq())
                .as("the killed transaction's increment was rolled back and its lock released").isEqualTo(2);
        assertThat(orphans.stream().map(store::exists).collect(Collectors.toSet())).containsOnly(false);
    }
}
