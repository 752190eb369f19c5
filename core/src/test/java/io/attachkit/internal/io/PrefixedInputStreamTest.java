package io.attachkit.internal.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The stream {@code AbstractFileStore.save} hands a backend: the detection header replayed, then the rest. */
class PrefixedInputStreamTest {

    @Test
    void read_replaysThePrefixThenTheRest() throws IOException {
        byte[] content = bytes(1000);
        InputStream source = new ByteArrayInputStream(content);
        byte[] header = new byte[300];
        int n = source.readNBytes(header, 0, header.length);
        PrefixedInputStream in = new PrefixedInputStream(header, n, source, false);
        assertThat(in.read()).isEqualTo(content[0] & 0xff);
        assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(content, 1, content.length));
    }

    @Test
    void read_whenTheRestIsKnownToBeAtItsEnd_neverReadsItAgain() throws IOException {
        InputStream exploding = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("read after its end");
            }
        };
        PrefixedInputStream in = new PrefixedInputStream(bytes(10), 10, exploding, true);
        assertThat(in.readAllBytes()).isEqualTo(bytes(10));
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void detach_keepsTheUnreadPrefix_andFreesTheArrayForReuse() throws IOException {
        byte[] pooled = bytes(100);
        PrefixedInputStream in = new PrefixedInputStream(pooled, 100, new ByteArrayInputStream(new byte[] {7}), false);
        byte[] first = in.readNBytes(30);
        in.detach();
        Arrays.fill(pooled, (byte) 0); // the pool hands the array to another save
        byte[] rest = in.readAllBytes();
        assertThat(first).isEqualTo(Arrays.copyOf(bytes(100), 30));
        byte[] expected = Arrays.copyOf(Arrays.copyOfRange(bytes(100), 30, 100), 71);
        expected[70] = 7;
        assertThat(rest).isEqualTo(expected);
    }

    @Test
    void bufferPool_reusesWhatWasGivenBack_andKeepsAtMostItsBound() {
        BufferPool pool = new BufferPool(16, 1);
        byte[] a = pool.take();
        byte[] b = pool.take();
        assertThat(a).hasSize(16).isNotSameAs(b);
        pool.give(a);
        pool.give(b); // over the bound: dropped
        pool.give(new byte[3]); // another size: ignored
        assertThat(pool.take()).isSameAs(a);
        assertThat(pool.take()).isNotSameAs(b).hasSize(16);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }
}
