package io.attachkit.server.cli;

import io.attachkit.ProcessingListener;
import java.io.PrintStream;

/**
 * Draws progress on standard error when it is a terminal, and nothing otherwise, so piped or captured output
 * stays machine-readable.
 */
final class ProgressBar implements ProcessingListener {
    private final PrintStream err;
    private final boolean enabled;

    private ProgressBar(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** @return a bar that draws only when the process is attached to a terminal */
    static ProgressBar forTerminal() {
        return new ProgressBar(System.err, System.console() != null);
    }

    boolean enabled() {
        return enabled;
    }

    /** Shows which file of how many is being worked on. */
    synchronized void file(int number, int total, String name) {
        if (enabled) {
            err.print("\r\033[K[" + number + "/" + total + "] " + name);
            err.flush();
        }
    }

    @Override
    public synchronized void progress(String filename, String stage, long done, long total) {
        if (!enabled) {
            return;
        }
        StringBuilder sb = new StringBuilder("\r\033[K").append(filename).append(' ').append(stage).append(' ');
        if (total > 0) {
            int width = 30;
            int filled = (int) Math.min(width, done * width / total);
            sb.append('[').append("#".repeat(filled)).append(" ".repeat(width - filled)).append("] ")
                    .append(done).append('/').append(total);
        } else {
            sb.append(done);
        }
        err.print(sb);
        err.flush();
    }

    /** Clears the line. */
    synchronized void done() {
        if (enabled) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
