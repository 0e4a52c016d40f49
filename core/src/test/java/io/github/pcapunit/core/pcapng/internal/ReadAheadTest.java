package io.github.pcapunit.core.pcapng.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ReadAhead}: the stream's bytes in order, then its end or its failure; close stops the thread. */
class ReadAheadTest {

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static byte[] readAll(InputStream in, int step) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[step];
        for (int n; (n = in.read(buf, 0, buf.length)) >= 0;) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void givesEveryByteInOrder_acrossChunks_thenTheEnd() throws IOException {
        for (int size : new int[] {0, 1, (1 << 18) - 1, 1 << 18, (1 << 18) + 1, 3_000_001}) {
            byte[] data = bytes(size);
            try (ReadAhead in = new ReadAhead(new ByteArrayInputStream(data), "test")) {
                assertThat(readAll(in, 7919)).as("%d bytes", size).isEqualTo(data);
                assertThat(in.read(new byte[4], 0, 4)).isEqualTo(-1);
                assertThat(in.read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void failureComesAfterTheBytesReadBeforeIt_andStays() throws IOException {
        byte[] data = bytes(600_000);
        InputStream failing = new InputStream() {
            private int at;

            @Override
            public int read() {
                throw new AssertionError("not used");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (at == data.length) {
                    throw new EOFException("Unexpected end of ZLIB input stream");
                }
                int n = Math.min(len, Math.min(1000, data.length - at));
                System.arraycopy(data, at, b, off, n);
                at += n;
                return n;
            }
        };
        try (ReadAhead in = new ReadAhead(failing, "test")) {
            byte[] got = new byte[data.length];
            int n = 0;
            for (int r; n < got.length && (r = in.read(got, n, got.length - n)) > 0;) {
                n += r;
            }
            assertThat(got).isEqualTo(data);
            assertThatThrownBy(() -> in.read(new byte[1], 0, 1)).isInstanceOf(EOFException.class)
                    .hasMessage("Unexpected end of ZLIB input stream");
            assertThatThrownBy(() -> in.read(new byte[1], 0, 1)).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void closeStopsTheThread_evenWhenNothingWasRead() throws Exception {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return len;
            }
        };
        ReadAhead in = new ReadAhead(endless, "endless");
        in.read(new byte[10], 0, 10);
        in.close();
        for (int i = 0; i < 100 && Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("pcapunit-read-ahead endless")); i++) {
            Thread.sleep(50);
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("pcapunit-read-ahead endless"));
    }
}
