package io.attachkit.storage.local;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, tiny tmpfs mounted for a test, to hit "no space left" and "read-only file system" for real.
 * Needs root (as in CI here); elsewhere the test is skipped, not failed.
 */
final class SmallFilesystem implements AutoCloseable {
    private final Path mountPoint;

    private SmallFilesystem(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    static SmallFilesystem mount(Path dir, long bytes) throws Exception {
        int rc = run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString());
        assumeTrue(rc == 0, "mounting a tmpfs needs root; skipped");
        return new SmallFilesystem(dir);
    }

    void remount(boolean readOnly) throws Exception {
        int rc = run("mount", "-o", "remount," + (readOnly ? "ro" : "rw"), mountPoint.toString());
        if (rc != 0) {
            throw new IllegalStateException("remount failed: " + rc);
        }
    }

    @Override
    public void close() throws Exception {
        run("umount", mountPoint.toString());
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
