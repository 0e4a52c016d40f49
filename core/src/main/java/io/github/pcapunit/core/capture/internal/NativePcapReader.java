package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.CaptureException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the classic pcap files libpcap's dumper writes, record by record, from any record
 * offset. A record cut short at the end of the file (still being written) counts as the end.
 * Not thread-safe; one reader per pass.
 */
final class NativePcapReader implements AutoCloseable {

    static final int FILE_HEADER = 24;
    static final int RECORD_HEADER = 16;
    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int MAGIC_NANOS = 0xa1b23c4d;

    private final FileChannel channel;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    private final boolean nanos;
    private final long limit;
    private long position;

    // current record
    long recordOffset;
    long timestampNanos;
    int capturedLength;
    int originalLength;
    byte[] data = new byte[2048];

    /** Opens {@code file} and reads up to {@code limit} bytes (or the current size if negative). */
    NativePcapReader(Path file, long limit) {
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            this.limit = limit < 0 ? channel.size() : Math.min(limit, channel.size());
            ByteBuffer head = ByteBuffer.allocate(FILE_HEADER);
            while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
                // read the header fully
            }
            head.flip();
            if (head.remaining() < FILE_HEADER) {
                throw new CaptureException("native capture file " + file + " has no complete pcap header ("
                        + head.remaining() + " bytes)");
            }
            int magic = head.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
                order = ByteOrder.BIG_ENDIAN;
                magic = head.order(order).getInt(0);
            }
            if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
                throw new CaptureException("native capture file " + file + " is not a pcap file (magic 0x"
                        + Integer.toHexString(magic) + ")");
            }
            nanos = magic == MAGIC_NANOS;
            buf.order(order);
            buf.limit(0);
            position = FILE_HEADER;
        } catch (IOException e) {
            throw new CaptureException("cannot read native capture file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Continues from a record offset found by an earlier pass (at least the header size). */
    void seek(long offset) {
        position = Math.max(offset, FILE_HEADER);
        buf.limit(0);
    }

    /** Advances to the next record; false at the end (or at a partly written record). */
    boolean next() throws IOException {
        if (!ensure(RECORD_HEADER)) {
            return false;
        }
        int start = buf.position();
        long sec = buf.getInt(start) & 0xffffffffL;
        long frac = buf.getInt(start + 4) & 0xffffffffL;
        int incl = buf.getInt(start + 8);
        int orig = buf.getInt(start + 12);
        if (incl < 0 || incl > (1 << 28)) {
            throw new IOException("corrupt record length " + incl + " at byte " + (position - buf.remaining()));
        }
        if (!ensure(RECORD_HEADER + incl)) {
            return false;
        }
        start = buf.position(); // ensure() may have moved the record to the buffer's start
        recordOffset = position - buf.remaining();
        buf.position(start + RECORD_HEADER);
        if (data.length < incl) {
            data = new byte[Math.max(incl, data.length * 2)];
        }
        buf.get(data, 0, incl);
        timestampNanos = sec * 1_000_000_000L + (nanos ? frac : frac * 1000L);
        capturedLength = incl;
        originalLength = orig;
        return true;
    }

    /** Offset just after the current record. */
    long endOfRecord() {
        return recordOffset + RECORD_HEADER + capturedLength;
    }

    /** Makes {@code n} bytes available at the buffer position, reading more; false if the file has fewer. */
    private boolean ensure(int n) throws IOException {
        if (buf.remaining() >= n) {
            return true;
        }
        if (n > buf.capacity()) {
            throw new IOException("record of " + n + " bytes exceeds the read buffer");
        }
        long bufferStart = position - buf.remaining();
        buf.compact();
        while (buf.position() < n) {
            long readAt = bufferStart + buf.position();
            if (readAt >= limit) {
                break;
            }
            int max = (int) Math.min(buf.remaining(), limit - readAt);
            ByteBuffer slice = buf.duplicate();
            slice.limit(buf.position() + max);
            int got = channel.read(slice, readAt);
            if (got <= 0) {
                break;
            }
            buf.position(buf.position() + got);
        }
        position = bufferStart + buf.position();
        buf.flip();
        return buf.remaining() >= n;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // read-only channel: nothing is lost
        }
    }
}
