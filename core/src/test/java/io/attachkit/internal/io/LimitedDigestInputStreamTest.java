package io.attachkit.internal.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The SHA-256 a backend computes itself on another thread ({@code IncomingFile.contentDigestedSeparately}). */
class LimitedDigestInputStreamTest {
    private static final byte[] CONTENT = "some content, read in two chunks".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Test
    void digestSeparately_everyChunkDigested_givesTheContentsSha256() throws Exception {
        LimitedDigestInputStream in = new LimitedDigestInputStream(new ByteArrayInputStream(CONTENT), "x", 1000, null);
        in.digestSeparately();
        byte[] buf = new byte[10];
        int n;
        while ((n = in.read(buf, 0, buf.length)) > 0) {
            in.digest(buf, 0, n);
        }
        assertThat(in.sha256Hex()).isEqualTo(sha256(CONTENT)).isEqualTo(in.sha256Hex());
    }

    @Test
    void digestSeparately_aChunkLeftOut_isRefusedRatherThanAWrongSha256() throws IOException {
        LimitedDigestInputStream in = new LimitedDigestInputStream(new ByteArrayInputStream(CONTENT), "x", 1000, null);
        in.digestSeparately();
        byte[] buf = new byte[10];
        in.read(buf, 0, 10); // read, never digested
        in.readAllBytes();
        assertThatThrownBy(in::sha256Hex).isInstanceOf(IllegalStateException.class).hasMessageContaining("digested");
    }

    @Test
    void digestSeparately_afterAFirstRead_isRefused() throws IOException {
        LimitedDigestInputStream in = new LimitedDigestInputStream(new ByteArrayInputStream(CONTENT), "x", 1000, null);
        in.read();
        assertThatThrownBy(in::digestSeparately).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> in.digest(CONTENT, 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
