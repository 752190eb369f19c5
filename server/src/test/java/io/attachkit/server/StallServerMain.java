package io.attachkit.server;

import io.attachkit.storage.local.LocalFileStore;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A server for {@link StalledClientTest}, in a JVM of its own with a small heap: args are the store root, the request
 * timeout (ISO-8601) and a lifetime in seconds. Prints {@code PORT n}, then serves until its standard input ends.
 */
public final class StallServerMain {
    private StallServerMain() {
    }

    /**
     * @param args the store root, the request timeout and the lifetime in seconds
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        long lifetimeSeconds = Long.parseLong(args[2]);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(lifetimeSeconds * 1000);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(3);
        }, "stall-server-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try (LocalFileStore store = LocalFileStore.builder().root(Path.of(args[0])).build();
             AttachkitServer server = AttachkitServer.builder().store(store).port(0)
                     .limits(ServerLimits.builder().requestTimeout(Duration.parse(args[1])).build()).build().start()) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        System.exit(0);
    }
}
