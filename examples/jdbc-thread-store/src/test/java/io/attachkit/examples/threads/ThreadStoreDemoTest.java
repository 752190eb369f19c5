package io.attachkit.examples.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run command: a thread with the sample files, stored in H2 and a local store, printed back; twice over one directory. */
class ThreadStoreDemoTest {
    @TempDir
    Path dir;

    @Test
    void run_storesTheFilesInAThread_andPrintsItBack_againAndAgainOverOneDirectory() throws Exception {
        List<Path> files = List.of(ThreadStoreContract.FILES.resolve("notes.txt"), ThreadStoreContract.FILES.resolve("data.csv"),
                ThreadStoreContract.FILES.resolve("report.pdf"));
        for (int run = 0; run < 2; run++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ThreadStoreDemo.run(dir, files, new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String out = bytes.toString(StandardCharsets.UTF_8);
            assertThat(out).contains("#1 user: Here are 3 files", "#2 assistant: Got them.", "orphans swept: 0");
            for (Path f : files) {
                assertThat(out).contains(f.getFileName() + " ").contains(Files.size(f) + " bytes read back from /files/");
            }
            assertThat(out).containsPattern("notes\\.txt text/plain stored, \\d+ bytes read back from /files/\\S+, text: \\S");
        }
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).contains("threads.mv.db", "files");
        }
    }
}
