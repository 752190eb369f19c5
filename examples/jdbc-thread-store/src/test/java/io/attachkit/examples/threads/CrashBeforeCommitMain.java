package io.attachkit.examples.threads;

import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.storage.local.LocalFileStore;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

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
            ThreadStore threads = ThreadStore.builder().dataSource(hangingAtCommit(db.dataSource(), out)).attachments(attachments).build();
            threads.addMessage(threadId, "user", "never committed", files);
        }
        out.println("COMMITTED"); // the test fails if it sees this
    }

    /** @return a data source whose connections announce {@code commit()} and then hang in it */
    private static DataSource hangingAtCommit(DataSource real, PrintWriter out) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, real, args);
                    return method.getName().equals("getConnection") ? hangingConnection((Connection) result, out) : result;
                });
    }

    private static Connection hangingConnection(Connection real, PrintWriter out) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        out.println("COMMITTING");
                        Thread.sleep(Long.MAX_VALUE); // the test kills the JVM here
                    }
                    return invoke(method, real, args);
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
