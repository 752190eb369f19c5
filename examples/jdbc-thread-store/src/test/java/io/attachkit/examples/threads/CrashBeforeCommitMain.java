package io.attachkit.examples.threads;

import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.storage.local.LocalFileStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A writer for {@link ThreadStoreContract}'s crash test, run in a child JVM that the test kills with SIGKILL: it
 * saves one message with the given files to the given thread over a data source whose {@code commit()} prints
 * {@code COMMITTING} and then waits forever. So the JVM dies after the files are stored and the rows written, before
 * the commit reaches the database.
 */
public final class CrashBeforeCommitMain {
    private CrashBeforeCommitMain() {
    }

    /**
     * @param args the store's root, the JDBC URL, user and password, the thread id, then the files to attach
     * @throws Exception if the save fails before the commit
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        TestDatabase db = TestDatabase.fromArgs(args, 1);
        String threadId = args[4];
        List<Attachment> files = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            files.add(Attachment.fromPath(Path.of(args[i])));
        }
        PrintWriter out = new PrintWriter(System.out, true);
        try (LocalFileStore store = LocalFileStore.builder().root(root).build();
             Attachments attachments = Attachments.builder().store(store).build()) {
            ThreadStore threads = ThreadStore.builder().dataSource(InterceptedCommit.wrap(db.dataSource(), real -> {
                out.println("COMMITTING");
                Thread.sleep(Long.MAX_VALUE); // the test kills the JVM here
            })).attachments(attachments).build();
            threads.addMessage(threadId, "user", "never committed", files);
        }
        out.println("COMMITTED"); // the test fails if it sees this
    }
}
