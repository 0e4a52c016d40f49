package io.github.pcapunit.core.pcapng.internal;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.PcapFormatException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The part both record cursors share: a window of a file (or an in-memory image) in one large
 * reusable array, read forward on demand, with integer reads in the current byte order. Records
 * are parsed in place at {@link #start}; the owner advances {@code start} past each record.
 *
 * <p>A file whose name ends in {@code .gz} and that starts with the gzip magic is decompressed as
 * it is read (as Wireshark reads {@code .pcapng.gz}), never copied to disk: offsets are then
 * offsets in the decompressed data, and errors name the file "{@code app.pcapng.gz
 * (decompressed)}". Damaged or cut gzip data is a {@link PcapFormatException} at the decompressed
 * offset where it was found.
 *
 * <pre>{@code
 * ByteSource in = ByteSource.open(Path.of("a.pcap"), -1);
 * if (in.ensure(24)) { int magic = in.i32(in.start); }
 * }</pre>
 */
final class ByteSource implements AutoCloseable {

    // Byte-array view VarHandles, static final: the launcher's C1-only JVM compiles them to
    // fewer instructions than a heap ByteBuffer's absolute gets or four shifted byte loads (the
    // 1 M-packet bench file read 9 times in one C1 JVM, fastest pass: ~80 ms here, ~105 ms and
    // ~100 ms with those), whatever their share of a profile suggests.
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    /**
     * The read buffer to start with: 256 KiB keeps the kernel's copy, the JDK's copy out of its
     * temporary direct buffer and the parse in the core's cache (the bench file's cold first
     * pass under C1: ~120 ms vs ~150 ms with 4 MiB).
     */
    private static final int BUFFER = 256 << 10;

    /** The file name (or "in-memory capture") errors name. */
    final String name;
    /**
     * Bytes readable: the file's size at open, or less when a reader was given a limit; for a
     * compressed file {@link Long#MAX_VALUE} until its end has been read (see {@link #sizeKnown()}).
     */
    long size;
    private final FileChannel channel;
    /** The decompressing stream of a {@code .gz} file, read forward only; null otherwise. */
    private final InputStream gzip;
    private final Path file;
    byte[] buf;
    /** Index in {@link #buf} of the next unread byte. */
    int start;
    /** Index in {@link #buf} after the last byte read. */
    int limit;
    /** File offset of {@code buf[0]}. */
    private long base;
    /** Whether integers are read big endian: set with {@link #bigEndian(boolean)}. */
    boolean big;

    private ByteSource(FileChannel channel, InputStream gzip, Path file, long size, byte[] buf, int limit,
            String name) {
        this.channel = channel;
        this.gzip = gzip;
        this.file = file;
        this.size = size;
        this.limit = limit;
        this.name = name;
        this.buf = buf;
    }

    /** Reads integers big endian from now on, or little endian. */
    void bigEndian(boolean bigEndian) {
        big = bigEndian;
    }

    /**
     * Opens {@code file} for reading its first {@code limit} bytes (all of it if negative): a
     * file still being written is read only up to what its writer has flushed.
     */
    static ByteSource open(Path file, long limit) {
        return open(file, limit, BUFFER);
    }

    /**
     * Like {@link #open(Path, long)} with a read buffer of at most {@code bufferBytes} (at least
     * 64) to start with; it still grows for a larger record. Small buffers make tests and fuzzing
     * exercise the refill and growth paths that only multi-megabyte files reach otherwise.
     */
    static ByteSource open(Path file, long limit, int bufferBytes) {
        FileChannel ch;
        long size;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            size = ch.size();
        } catch (IOException e) {
            throw new CaptureException("cannot open capture file " + file + ": " + e
                    + "; check the path and read permission", e);
        }
        if (isGzip(file, ch)) {
            return gzip(file, ch, limit, bufferBytes);
        }
        if (limit >= 0) {
            size = Math.min(size, limit);
        }
        int cap = (int) Math.max(64, Math.min(size + 16, bufferBytes));
        return new ByteSource(ch, null, file, size, new byte[cap], 0, file.toString());
    }

    /** Reads an in-memory image (not copied). */
    static ByteSource of(byte[] contents) {
        return new ByteSource(null, null, null, contents.length, contents, contents.length, "in-memory capture");
    }

    /** A {@code .gz} name and the gzip magic 1F 8B at the start. */
    private static boolean isGzip(Path file, FileChannel ch) {
        Path name = file.getFileName();
        if (name == null || !name.toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
            return false;
        }
        ByteBuffer magic = ByteBuffer.allocate(2);
        try {
            while (magic.hasRemaining() && ch.read(magic, magic.position()) > 0) {
                // at most two reads
            }
        } catch (IOException e) {
            closeQuietly(ch, e);
            throw new CaptureException("cannot read " + file + ": " + e + "; check the path and read permission", e);
        }
        return magic.position() == 2 && magic.get(0) == (byte) 0x1f && magic.get(1) == (byte) 0x8b;
    }

    private static ByteSource gzip(Path file, FileChannel ch, long limit, int bufferBytes) {
        String name = file + " (decompressed)";
        InputStream in;
        try {
            // inflated on another thread, ahead of the records (ReadAhead): a second core halves a large .gz
            in = new ReadAhead(new GZIPInputStream(Channels.newInputStream(ch), 1 << 16), file.toString());
        } catch (IOException e) {
            closeQuietly(ch, e);
            throw damaged(name, file, 0, e);
        }
        long size = limit >= 0 ? limit : Long.MAX_VALUE;
        int cap = (int) Math.max(64, Math.min(size, bufferBytes));
        return new ByteSource(ch, in, file, size, new byte[cap], 0, name);
    }

    /** Gzip data that cannot be decompressed: a damaged file, at the decompressed offset reached. */
    private static PcapFormatException damaged(String name, Path file, long offset, IOException e) {
        String why = e instanceof EOFException
                ? "the gzip data ends before its end marker, so the file is cut short"
                : "the gzip data is damaged (" + e.getMessage() + ")";
        return new PcapFormatException(name + ": " + why + " after " + offset + " decompressed bytes; check"
                + " the download is complete with: gzip -t " + file, offset, -1, e);
    }

    private static void closeQuietly(FileChannel ch, Exception failure) {
        try {
            ch.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Whether {@link #size} is the real size (always, unless the file is compressed and not read to its end). */
    boolean sizeKnown() {
        return size != Long.MAX_VALUE;
    }

    /** Makes {@code n} bytes available from {@link #start}; false if the source has fewer. */
    boolean ensure(int n) {
        return limit - start >= n || fill(n);
    }

    private boolean fill(int n) {
        if (channel == null) {
            return false;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, limit - start);
            limit -= start;
            base += start;
            start = 0;
        }
        if (n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(n, Math.min(buf.length * 2, Pcapng.MAX_BLOCK + 16)));
        }
        try {
            while (limit < n) {
                long at = base + limit;
                int room = (int) Math.min(buf.length - limit, size - at);
                if (room <= 0) {
                    return false;
                }
                int r = gzip != null ? gzip.read(buf, limit, room) : channel.read(ByteBuffer.wrap(buf, limit, room), at);
                if (r < 0) {
                    if (gzip != null) {
                        size = at;
                    }
                    return false;
                }
                limit += r;
            }
        } catch (IOException e) {
            if (gzip != null && !(e instanceof ClosedChannelException)) {
                throw damaged(name, file, base + limit, e);
            }
            throw new CaptureException("cannot read " + name + " at byte " + (base + limit) + ": " + e, e);
        }
        return true;
    }

    /** Continues reading at file offset {@code offset} (a record boundary found earlier; forward only in a compressed file). */
    void seek(long offset) {
        if (channel == null) {
            start = (int) offset;
            return;
        }
        if (gzip != null) {
            skipTo(offset);
            return;
        }
        base = offset;
        start = 0;
        limit = 0;
    }

    private void skipTo(long offset) {
        long read = base + limit;
        if (offset < read) {
            if (offset < base) {
                throw new IllegalStateException(name + ": cannot go back to byte " + offset + " in compressed data");
            }
            start = (int) (offset - base);
            return;
        }
        try {
            gzip.skipNBytes(offset - read);
        } catch (EOFException e) {
            size = read;
        } catch (IOException e) {
            throw damaged(name, file, read, e);
        }
        base = Math.min(offset, size);
        start = 0;
        limit = 0;
    }

    /** File offset of {@code buf[index]}. */
    long offsetOf(int index) {
        return base + index;
    }

    /** Bytes read but not yet consumed. */
    int remaining() {
        return limit - start;
    }

    int i32(int i) {
        return big ? (int) BE32.get(buf, i) : (int) LE32.get(buf, i);
    }

    /** A 32-bit value read little endian whatever {@link #big} says (magics). */
    int le32(int i) {
        return (int) LE32.get(buf, i);
    }

    int u16(int i) {
        return (big ? (short) BE16.get(buf, i) : (short) LE16.get(buf, i)) & 0xFFFF;
    }

    long u32(int i) {
        return i32(i) & 0xFFFF_FFFFL;
    }

    /** A 64-bit value stored in the current byte order as one 8-byte integer. */
    long i64(int i) {
        long a = u32(i);
        long b = u32(i + 4);
        return big ? (a << 32) | b : (b << 32) | a;
    }

    ByteOrder order() {
        return big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                if (gzip != null) {
                    gzip.close(); // closes the channel too
                }
                channel.close();
            } catch (IOException e) {
                throw new CaptureException("cannot close " + name + ": " + e, e);
            }
        }
    }
}
