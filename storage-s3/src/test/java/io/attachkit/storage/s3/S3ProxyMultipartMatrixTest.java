package io.attachkit.storage.s3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The server-independent multipart tests against S3Proxy, which supports every checksum mode. */
class S3ProxyMultipartMatrixTest extends S3ServerMultipartTest {
    private static S3ProxyServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.inMemory();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    S3TestServer server() {
        return server;
    }

    @Override
    ChecksumMode autoSettlesOn() {
        return ChecksumMode.FULL_OBJECT;
    }

    @Override
    boolean accepts(ChecksumMode mode) {
        return true;
    }
}
