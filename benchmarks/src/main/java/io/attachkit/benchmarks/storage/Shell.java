package io.attachkit.benchmarks.storage;

import java.io.IOException;
import java.util.List;

/** Runs the reference tools ({@code cp}, {@code sync}) as child processes and fails loudly if they fail. */
final class Shell {
    private Shell() {
    }

    /**
     * @param command the command and its arguments
     * @throws IOException if it cannot start or exits non-zero
     */
    static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(List.of(command)).inheritIO().start();
        try {
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + rc);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** Flushes every dirty page of the system, so the next timing does not pay for the previous one's writeback. */
    static void syncAll() throws IOException {
        run("sync");
    }
}
