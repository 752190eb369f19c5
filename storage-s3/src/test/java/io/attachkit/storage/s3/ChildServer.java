package io.attachkit.storage.s3;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A server process the tests start and stop: waits until it answers HTTP on its port, fails loudly with the tail
 * of its log if it does not, and is destroyed with its data folder when the JVM exits.
 */
final class ChildServer {
    private final String name;
    private final Process process;
    private final Path log;
    private final Path dataDir;
    private final int port;

    private ChildServer(String name, Process process, Path log, Path dataDir, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.dataDir = dataDir;
        this.port = port;
    }

    /**
     * Starts a command and waits until {@code http://127.0.0.1:port/} answers.
     *
     * @param name what the server is, for messages
     * @param command the command line
     * @param port the port it listens on
     * @param dataDir its data folder, deleted when the JVM exits
     * @param startTimeout how long it may take to start
     * @return the running server
     */
    static ChildServer start(String name, List<String> command, int port, Path dataDir, Duration startTimeout)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("attachkit-" + name + "-", ".log");
        log.toFile().deleteOnExit(); // a failed start puts its tail in the exception
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ChildServer server = new ChildServer(name, p, log, dataDir, port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "stop-" + name));
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited with " + p.exitValue() + " before it served:\n" + server.logTail());
            }
            if (answers(port)) {
                return server;
            }
            if (System.nanoTime() > deadline) {
                server.stop();
                throw new IllegalStateException(name + " did not answer on port " + port + " within " + startTimeout
                        + ":\n" + server.logTail());
            }
            Thread.sleep(200);
        }
    }

    private static boolean answers(int port) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            int status = c.getResponseCode();
            c.disconnect();
            return status > 0;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** @return a free loopback port */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** @return the port it listens on */
    int port() {
        return port;
    }

    /** @return the last lines of its output */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Destroys the process and deletes its data folder. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (dataDir != null && Files.exists(dataDir)) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // temp files; the OS cleans up
            }
        }
    }

    @Override
    public String toString() {
        return name + " on port " + port;
    }
}
