package io.attachkit.server;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpServerExchange;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code TCP_CORK} around a large {@code sendfile}, as nginx's {@code tcp_nopush}: while corked, Linux sends only
 * full segments, and uncorking pushes the tail at once. A download that the client reads more slowly than the
 * server sends (the usual case) otherwise goes out in the bits of window each acknowledgement opens, and on a busy
 * machine the client spends its time on those pieces: measured with wrk on a 100 MiB file, corked sends were
 * 15-40% faster (docs/server.md).
 *
 * <p>The JDK has no option for it, so this calls {@code setsockopt} through JNA (already on the classpath for
 * Tess4J) on the socket's descriptor, which the JDK keeps in a private field: reading it needs
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (the runnable jar's manifest has it). Where any of that is
 * missing (not Linux, no flag, another connection type) corking is off, said once at INFO, and files are served as
 * before.
 */
final class TcpCork {
    private static final Logger log = LoggerFactory.getLogger(TcpCork.class);
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_CORK = 3;

    private final Field fdField;
    private final Method connectionChannel;
    private final String unavailable;

    private TcpCork(Field fdField, Method connectionChannel, String unavailable) {
        this.fdField = fdField;
        this.connectionChannel = connectionChannel;
        this.unavailable = unavailable;
    }

    /** Corking where this JVM allows it; otherwise a no-op whose {@link #unavailableReason()} says why. */
    static TcpCork load() {
        if (!Platform.isLinux()) {
            return off("TCP_CORK is Linux's");
        }
        try {
            LibC.bind();
            Field fd = Class.forName("sun.nio.ch.SocketChannelImpl").getDeclaredField("fdVal");
            fd.setAccessible(true);
            Method channel = Class.forName("org.xnio.nio.NioSocketStreamConnection").getDeclaredMethod("getChannel");
            channel.setAccessible(true);
            return new TcpCork(fd, channel, null);
        } catch (RuntimeException | ReflectiveOperationException | LinkageError e) {
            return off(e.getClass().getSimpleName() + ": " + e.getMessage()
                    + " (start the JVM with --add-opens java.base/sun.nio.ch=ALL-UNNAMED)");
        }
    }

    private static TcpCork off(String reason) {
        log.info("large files are sent without TCP_CORK: {}", reason);
        return new TcpCork(null, null, reason);
    }

    /** Why corking is off, or empty when it is on. */
    Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailable);
    }

    /**
     * Corks the exchange's socket until the returned handle is closed; a no-op handle where corking is off or the
     * connection is not a plain socket (the caller need not care which).
     */
    Corked cork(HttpServerExchange exchange) {
        if (unavailable != null) {
            return Corked.NONE;
        }
        try {
            if (!(exchange.getConnection() instanceof AbstractServerConnection server)) {
                return Corked.NONE;
            }
            Object connection = server.getChannel();
            if (!connectionChannel.getDeclaringClass().isInstance(connection)) {
                return Corked.NONE;
            }
            return cork((SocketChannel) connectionChannel.invoke(connection));
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("not corked: {}", e.toString());
            return Corked.NONE;
        }
    }

    /** Corks a socket until the returned handle is closed. */
    Corked cork(SocketChannel socket) {
        if (unavailable != null) {
            return Corked.NONE;
        }
        int fd;
        try {
            fd = fdField.getInt(socket);
        } catch (IllegalAccessException | IllegalArgumentException e) {
            return Corked.NONE;
        }
        if (!set(socket, fd, 1)) {
            return Corked.NONE;
        }
        // uncorking pushes what waits for a full segment; skipped on a socket closed meanwhile, whose descriptor
        // number may already belong to another connection
        return () -> set(socket, fd, 0);
    }

    /** Whether the socket is corked now (for tests); false where corking is off. */
    boolean isCorked(SocketChannel socket) {
        if (unavailable != null || !socket.isOpen()) {
            return false;
        }
        try {
            int[] value = {0};
            int[] length = {4};
            LibC.getsockopt(fdField.getInt(socket), IPPROTO_TCP, TCP_CORK, value, length);
            return value[0] != 0;
        } catch (IllegalAccessException | LastErrorException e) {
            return false;
        }
    }

    private static boolean set(SocketChannel socket, int fd, int on) {
        if (!socket.isOpen()) {
            return false;
        }
        try {
            LibC.setsockopt(fd, IPPROTO_TCP, TCP_CORK, new int[] {on}, 4);
            return true;
        } catch (LastErrorException e) {
            log.debug("setsockopt(TCP_CORK, {}) failed: {}", on, e.getMessage());
            return false;
        }
    }

    /** A corked socket; closing it uncorks (and never throws). */
    @FunctionalInterface
    interface Corked extends AutoCloseable {
        Corked NONE = () -> { };

        @Override
        void close();
    }

    /** Direct-mapped libc calls (JNA). */
    private static final class LibC {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        /** Binds the natives (the class's initialiser), once per class loader. */
        static void bind() {
        }

        static native int setsockopt(int fd, int level, int name, int[] value, int length) throws LastErrorException;

        static native int getsockopt(int fd, int level, int name, int[] value, int[] length) throws LastErrorException;
    }
}
