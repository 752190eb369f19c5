package io.attachkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link TcpCork} on real loopback sockets. The server's tests run with the flag the runnable jar's manifest carries
 * ({@code --add-opens java.base/sun.nio.ch}), so on Linux corking must be on here: a JNA or JDK change that turned
 * it off without notice fails this.
 */
class TcpCorkTest {
    private static TcpCork cork;

    @BeforeAll
    static void load() {
        cork = TcpCork.load();
    }

    @Test
    void isOn_onLinuxWithTheJarsFlag() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "TCP_CORK is Linux's");
        assertThat(cork.unavailableReason()).isEmpty();
    }

    @Test
    void corks_untilTheHandleCloses_andThenPushesWhatWaited() throws Exception {
        assumeTrue(cork.unavailableReason().isEmpty(), "corking is off here");
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (Socket reader = new Socket(InetAddress.getLoopbackAddress(), listener.socket().getLocalPort());
                    SocketChannel sender = listener.accept()) {
                sender.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                reader.setSoTimeout(5_000);
                InputStream in = reader.getInputStream();

                TcpCork.Corked corked = cork.cork(sender);
                assertThat(cork.isCorked(sender)).isTrue();
                long wrote = System.nanoTime();
                sender.write(ByteBuffer.wrap(new byte[100]));
                Thread.sleep(50);
                boolean checkedInTime = System.nanoTime() - wrote < TimeUnit.MILLISECONDS.toNanos(150);
                int heldBack = in.available();

                corked.close();
                assertThat(cork.isCorked(sender)).isFalse();
                if (checkedInTime) {
                    // Linux holds a corked partial segment up to 200 ms; we looked well before that
                    assertThat(heldBack).as("bytes delivered while corked").isZero();
                }
                byte[] got = in.readNBytes(100);
                assertThat(got).hasSize(100);
            }
        }
    }

    @Test
    void closingTheHandleOfAClosedSocket_doesNothing() throws Exception {
        assumeTrue(cork.unavailableReason().isEmpty(), "corking is off here");
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (Socket reader = new Socket(InetAddress.getLoopbackAddress(), listener.socket().getLocalPort())) {
                SocketChannel sender = listener.accept();
                TcpCork.Corked corked = cork.cork(sender);
                sender.close();
                // a closed socket's descriptor number may be another connection's by now: no setsockopt on it
                corked.close();
                assertThat(reader.getInputStream().read()).isEqualTo(-1);
            }
        }
    }
}
