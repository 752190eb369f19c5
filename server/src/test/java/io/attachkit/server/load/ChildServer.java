package io.attachkit.server.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@link LoadServerMain} in a child JVM with a bounded heap, driven over its stdin and stdout. */
final class ChildServer implements AutoCloseable {
    final Process process;
    final int port;
    final Path log;
    private final BufferedReader out;
    private final PrintWriter in;

    private ChildServer(Process process, Path log) throws IOException {
        this.process = process;
        this.log = log;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        String first = out.readLine();
        if (first == null || !first.startsWith("PORT ")) {
            throw new IllegalStateException("The load server did not start (" + first + "):\n" + Files.readString(log));
        }
        this.port = Integer.parseInt(first.substring(5).trim());
    }

    static ChildServer start(Path root, Path tmp, String heap, long lifetimeSeconds, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap, "-Xms" + heap, "-Djava.io.tmpdir=" + tmp,
                "-cp", System.getProperty("java.class.path"), LoadServerMain.class.getName(),
                root.toString(), String.valueOf(lifetimeSeconds)));
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        return new ChildServer(p, log);
    }

    /** @return the server JVM's heap, GC, file descriptor and thread figures */
    Map<String, Long> stats() throws IOException {
        return command("STATS");
    }

    /** @return the figures after two full collections */
    Map<String, Long> statsAfterGc() throws IOException {
        return command("GC");
    }

    private synchronized Map<String, Long> command(String command) throws IOException {
        in.println(command);
        String line = out.readLine();
        if (line == null || !line.startsWith("STATS ")) {
            throw new IllegalStateException("The load server answered " + line + " to " + command + ":\n" + Files.readString(log));
        }
        Map<String, Long> m = new HashMap<>();
        for (String kv : line.substring(6).trim().split(" ")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
        }
        return m;
    }

    /** @return the top of the server JVM's live-object histogram ({@code jcmd GC.class_histogram}), for a report */
    String histogram(int lines) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return "(no jcmd in " + jcmd.getParent() + ")";
        }
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        StringBuilder sb = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            for (int i = 0; (line = r.readLine()) != null; i++) {
                if (i < lines) {
                    sb.append(line).append('\n');
                }
            }
        }
        p.waitFor(60, TimeUnit.SECONDS);
        return sb.toString();
    }

    /** Writes the server JVM's live heap to {@code file} ({@code jcmd GC.heap_dump}), to find what holds memory. */
    void heapDump(Path file) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "GC.heap_dump", file.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(120, TimeUnit.SECONDS);
    }

    /**
     * Stops the server and waits for the JVM to exit.
     *
     * @return the exit code
     */
    int stop() throws InterruptedException, IOException {
        in.println("STOP");
        in.close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("The load server did not stop:\n" + Files.readString(log));
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
