package io.attachkit.storage.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import io.attachkit.testkit.TestContent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM that is saving large files with SIGKILL at random points, again and again, into one store;
 * after each kill, a store opened on the same root lists only complete files whose SHA-256 matches, has
 * every file the child reported as saved, and has no temp files left.
 *
 * <p>Runs {@code attachkit.crash.runs} times (default 20): {@code mvn -pl storage-local -am verify
 * -Dtest=CrashSafetyTest -Dsurefire.failIfNoSpecifiedTests=false -Dattachkit.crash.runs=200} for a long run.
 */
class CrashSafetyTest {
    private static final int SIZE = 2 * 1024 * 1024;
    @TempDir
    Path root;

    @Test
    void sigkillAtRandomPoints_leavesOnlyCompleteVerifiedFiles() throws Exception {
        int runs = Integer.getInteger("attachkit.crash.runs", 20);
        Random random = new Random(20261121L);
        Map<String, String> reported = new HashMap<>();
        int killedMidSave = 0;
        for (int run = 0; run < runs; run++) {
            Process child = startChild();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("READY");
            Thread.sleep(50 + random.nextInt(1000));
            // SIGKILL (no shutdown hooks, no finally blocks); sent with kill(1) so our end of its stdout stays open
            // and every line it flushed before dying can still be read
            assertThat(new ProcessBuilder("kill", "-KILL", String.valueOf(child.pid())).start().waitFor()).isZero();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("SAVED ")) {
                    String[] parts = line.split(" ");
                    reported.put(parts[1], parts[2]);
                }
            }
            if (hasTempFiles()) {
                killedMidSave++;
            }
            verifyStore(reported, false);
        }
        verifyStore(reported, true);
        System.out.printf("CrashSafetyTest: %d SIGKILLs, %d of them mid-save, %d completed saves verified, 0 partial files%n",
                runs, killedMidSave, reported.size());
        assertThat(killedMidSave).as("kills that interrupted a save in progress").isGreaterThan(runs / 4);
        assertThat(reported).as("saves that completed across all runs").isNotEmpty();
    }

    private Process startChild() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                CrashingSaver.class.getName(), root.toString(), String.valueOf(SIZE)));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private boolean hasTempFiles() throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(".tmp-"));
        }
    }

    private void verifyStore(Map<String, String> reported, boolean hashEveryFile) throws Exception {
        LocalFileStore store = LocalFileStore.builder().root(root).limits(StorageLimits.defaults().toBuilder()
                .maxFileSize(Long.MAX_VALUE / 4).maxStorageSize(Long.MAX_VALUE / 2).build()).build();
        assertThat(hasTempFiles()).as("opening the store removes the dead writer's temp files").isFalse();
        List<String> ids = store.list();
        assertThat(ids).containsAll(reported.keySet());
        for (String id : ids) {
            StoredFile meta = store.stat(id);
            assertThat(meta.size()).isEqualTo(SIZE);
            assertThat(meta.sha256()).as("sidecar of %s", id).isNotNull();
            if (hashEveryFile) {
                assertThat(TestContent.sha256(store.get(id))).as("content of %s", id).isEqualTo(meta.sha256());
            }
            if (reported.containsKey(id)) {
                assertThat(meta.sha256()).isEqualTo(reported.get(id));
            }
        }
    }
}
