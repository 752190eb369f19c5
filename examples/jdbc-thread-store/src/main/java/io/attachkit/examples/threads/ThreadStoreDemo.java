package io.attachkit.examples.threads;

import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.storage.local.LocalFileStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The example's run command: stores a thread whose first message carries the given files, in an embedded H2
 * database and a local store under one directory, loads it back and prints it.
 *
 * <pre>
 * java -jar examples/jdbc-thread-store/target/jdbc-thread-store.jar [--data DIR] FILE...
 * </pre>
 */
public final class ThreadStoreDemo {
    private ThreadStoreDemo() {
    }

    /**
     * @param args {@code [--data DIR] FILE...}; DIR defaults to {@code attachkit-threads} in the working directory
     * @throws IOException if a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        Path data = Path.of("attachkit-threads");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--data") && i + 1 < args.length) {
                data = Path.of(args[++i]);
            } else {
                files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: java -jar jdbc-thread-store.jar [--data DIR] FILE...");
            System.exit(2);
        }
        run(data, files, System.out);
    }

    /**
     * Stores, loads back and prints one thread.
     *
     * @param data the directory of the database and the files
     * @param files the files to attach
     * @param out where to print the thread
     * @throws IOException if a file cannot be read
     */
    static void run(Path data, List<Path> files, PrintStream out) throws IOException {
        Files.createDirectories(data);
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + data.toAbsolutePath().resolve("threads") + ";LOCK_TIMEOUT=10000");
        h2.setUser("sa");
        try (LocalFileStore store = LocalFileStore.builder().root(data.resolve("files")).build();
             Attachments attachments = Attachments.builder().store(store).build()) {
            ThreadStore threads = ThreadStore.builder().dataSource(h2).attachments(attachments).build();
            threads.createSchema();
            ChatThread thread = threads.createThread("Files from the command line");
            List<Attachment> list = new ArrayList<>();
            for (Path f : files) {
                list.add(Attachment.fromPath(f));
            }
            threads.addMessage(thread.id(), "user", "Here are " + files.size() + " files", list);
            threads.addMessage(thread.id(), "assistant", "Got them.", List.of());

            ChatThread back = threads.loadThread(thread.id()).orElseThrow();
            out.println("thread " + back.id() + " \"" + back.title() + "\"");
            for (ChatMessage m : back.messages()) {
                out.println("  #" + m.seq() + " " + m.role() + ": " + m.content());
                for (Attachment a : m.attachments()) {
                    long bytes;
                    try (InputStream in = a.openContent(store)) {
                        bytes = in.transferTo(OutputStream.nullOutputStream());
                    }
                    String text = a.processedContent().text();
                    out.println("    " + a.filename() + " " + a.mimeType() + " " + a.status().name().toLowerCase(Locale.ROOT)
                            + ", " + bytes + " bytes read back from " + a.processedContent().url()
                            + (text == null ? "" : ", text: " + abbreviate(text)));
                }
            }
            out.println("orphans swept: " + threads.sweepOrphans(Duration.ofMinutes(10)).orphans().size());
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 60) + "...";
    }
}
