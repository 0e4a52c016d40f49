package io.github.pcapunit.core.pcapng.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a stream on a daemon thread, a few chunks ahead of its consumer: {@link ByteSource}
 * decompresses a {@code .gz} capture this way, so inflating (about a third of reading a large
 * compressed file) runs on a second core while the caller decodes and analyses. The consumer
 * gets the same bytes in the same order, then the end, or the stream's {@link IOException} after
 * every byte read before it. Chunks are recycled: reading allocates nothing per chunk.
 *
 * <pre>{@code
 * try (InputStream in = new ReadAhead(new GZIPInputStream(raw, 1 << 16), "app.pcapng.gz")) {
 *     int n = in.read(buf, 0, buf.length);
 * }
 * }</pre>
 */
final class ReadAhead extends InputStream {

    /** Bytes per chunk, and chunks in flight (filled, being filled, being read). */
    private static final int CHUNK = 1 << 18;
    private static final int CHUNKS = 4;

    /** A filled chunk, the end ({@code bytes == null}), or the stream's failure. */
    private record Item(byte[] bytes, int length, IOException failure) {
    }

    private static final Item END = new Item(null, 0, null);

    private final InputStream in;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    private final BlockingQueue<Item> filled = new ArrayBlockingQueue<>(CHUNKS + 2);
    private final Thread thread;
    private Item current;
    private int position;
    private boolean done;
    private volatile boolean closed;

    ReadAhead(InputStream in, String name) {
        this.in = in;
        for (int i = 0; i < CHUNKS; i++) {
            free.add(new byte[CHUNK]);
        }
        thread = new Thread(this::fill, "pcapunit-read-ahead " + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The reading thread: fills free chunks until the end, a failure, or close. */
    private void fill() {
        try {
            while (!closed) {
                byte[] chunk = free.take();
                int n = 0;
                try {
                    for (int r; n < chunk.length && (r = in.read(chunk, n, chunk.length - n)) >= 0;) {
                        n += r;
                    }
                } catch (IOException | RuntimeException | Error e) {
                    // an Error too (e.g. OutOfMemoryError in the inflater): a reader waiting for the
                    // next chunk must get a failure, not wait forever
                    if (n > 0) {
                        filled.put(new Item(chunk, n, null));
                    }
                    filled.put(new Item(null, 0, e instanceof IOException io ? io : new IOException(e)));
                    return;
                }
                if (n > 0) {
                    filled.put(new Item(chunk, n, null));
                }
                if (n < chunk.length) {
                    filled.put(END);
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed while waiting for a chunk or for room: nothing more is wanted
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || position == current.length()) {
            if (done) {
                if (current != null && current.failure() != null) {
                    throw current.failure();
                }
                return -1;
            }
            if (current != null && current.bytes() != null) {
                free.add(current.bytes());
            }
            try {
                current = filled.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading ahead");
            }
            position = 0;
            if (current.bytes() == null) {
                done = true;
            }
        }
        int n = Math.min(len, current.length() - position);
        System.arraycopy(current.bytes(), position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** Stops the reading thread and closes the stream it reads. */
    @Override
    public void close() throws IOException {
        closed = true;
        thread.interrupt();
        // a read waiting on another thread ends with a failure instead of waiting forever
        filled.offer(new Item(null, 0, new IOException("the read-ahead stream was closed")));
        in.close();
    }
}
