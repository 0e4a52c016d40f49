package io.github.pcapunit.core.capture.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The few pcapng blocks the engine writes (SHB, IDB, EPB, ISB, systemd journal export), little
 * endian, each sized before it is written. Tracks the bytes written so the size cap can be kept.
 */
final class PcapngOut implements AutoCloseable {

    static final int SHB = 0x0A0D0D0A;
    static final int IDB = 1;
    static final int ISB = 5;
    static final int EPB = 6;
    static final int JOURNAL = 9;

    private final OutputStream out;
    private final ByteBuffer scratch = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long written;

    PcapngOut(Path file) throws IOException {
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    }

    long written() {
        return written;
    }

    static int pad(int n) {
        return (n + 3) & ~3;
    }

    static int optionSize(byte[] value) {
        return value == null ? 0 : 4 + pad(value.length);
    }

    static int epbSize(int capturedLength) {
        return 28 + pad(capturedLength) + 8 + 4 + 4;
    }

    static int journalSize(byte[] entry) {
        return 12 + pad(entry.length);
    }

    void sectionHeader(String comment, String hardware, String os, String application) throws IOException {
        byte[][] opts = {utf8(comment), utf8(hardware), utf8(os), utf8(application)};
        int len = 28 + 4;
        for (byte[] o : opts) {
            len += optionSize(o);
        }
        ByteBuffer b = begin(SHB, len);
        b.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L);
        for (int i = 0; i < opts.length; i++) {
            option(b, i + 1, opts[i]);
        }
        b.putInt(0); // opt_endofopt
        end(b, len);
    }

    void interfaceDescription(int linkType, int snaplen, String name, String filter, String comment)
            throws IOException {
        byte[] nameB = utf8(name);
        byte[] filterB = null;
        if (filter != null) {
            byte[] f = utf8(filter);
            filterB = new byte[f.length + 1]; // first byte 0: a libpcap filter string
            System.arraycopy(f, 0, filterB, 1, f.length);
        }
        byte[] tsresol = {9};
        byte[] commentB = utf8(comment);
        int len = 16 + optionSize(commentB) + optionSize(nameB) + optionSize(tsresol) + optionSize(filterB) + 4 + 4;
        ByteBuffer b = begin(IDB, len);
        b.putShort((short) linkType).putShort((short) 0).putInt(snaplen);
        option(b, 1, commentB);
        option(b, 2, nameB);
        option(b, 9, tsresol);
        option(b, 11, filterB);
        b.putInt(0); // opt_endofopt
        end(b, len);
    }

    void enhancedPacket(int interfaceId, long timestampNanos, byte[] data, int capturedLength, int originalLength,
            int flags, List<String> comments) throws IOException {
        List<byte[]> texts = new ArrayList<>();
        int len = epbSize(capturedLength);
        for (String c : comments) {
            byte[] t = utf8(c);
            texts.add(t);
            len += optionSize(t);
        }
        ByteBuffer b = scratch;
        b.clear();
        b.putInt(EPB).putInt(len).putInt(interfaceId)
                .putInt((int) (timestampNanos >>> 32)).putInt((int) timestampNanos)
                .putInt(capturedLength).putInt(originalLength);
        out.write(b.array(), 0, b.position());
        out.write(data, 0, capturedLength);
        b.clear();
        for (int i = capturedLength; i < pad(capturedLength); i++) {
            b.put((byte) 0);
        }
        b.putShort((short) 2).putShort((short) 4).putInt(flags); // epb_flags
        out.write(b.array(), 0, b.position());
        b.clear();
        for (byte[] t : texts) {
            ByteBuffer o = ByteBuffer.allocate(optionSize(t)).order(ByteOrder.LITTLE_ENDIAN);
            option(o, 1, t);
            out.write(o.array(), 0, o.capacity());
        }
        b.putInt(0); // opt_endofopt
        b.putInt(len);
        out.write(b.array(), 0, b.position());
        written += len;
    }

    void journal(byte[] entry) throws IOException {
        int len = journalSize(entry);
        ByteBuffer b = begin(JOURNAL, len);
        b.put(entry);
        for (int i = entry.length; i < pad(entry.length); i++) {
            b.put((byte) 0);
        }
        end(b, len);
    }

    void interfaceStatistics(int interfaceId, long timestampNanos, long startNanos, long endNanos, long ifRecv,
            long ifDrop, long filterAccept, long osDrop, long userDelivered) throws IOException {
        int len = 20 + 7 * 12 + 4 + 4;
        ByteBuffer b = begin(ISB, len);
        b.putInt(interfaceId).putInt((int) (timestampNanos >>> 32)).putInt((int) timestampNanos);
        long[] values = {startNanos, endNanos, ifRecv, ifDrop, filterAccept, osDrop, userDelivered};
        for (int i = 0; i < values.length; i++) {
            b.putShort((short) (i + 2)).putShort((short) 8);
            if (i < 2) {
                b.putInt((int) (values[i] >>> 32)).putInt((int) values[i]);
            } else {
                b.putLong(values[i]);
            }
        }
        b.putInt(0);
        end(b, len);
    }

    private ByteBuffer begin(int type, int len) {
        ByteBuffer b = len <= scratch.capacity() ? scratch : ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        b.clear();
        b.putInt(type).putInt(len);
        return b;
    }

    private void end(ByteBuffer b, int len) throws IOException {
        b.putInt(len);
        if (b.position() != len) {
            throw new IllegalStateException("pcapng block size " + b.position() + " != computed " + len);
        }
        out.write(b.array(), 0, len);
        written += len;
    }

    private static void option(ByteBuffer b, int code, byte[] value) {
        if (value == null) {
            return;
        }
        b.putShort((short) code).putShort((short) value.length).put(value);
        for (int i = value.length; i < pad(value.length); i++) {
            b.put((byte) 0);
        }
    }

    private static byte[] utf8(String s) {
        if (s == null) {
            return null;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        // option lengths are 16 bits: shorten rather than corrupt the block.
        if (b.length > 60_000) {
            byte[] cut = new byte[60_000];
            System.arraycopy(b, 0, cut, 0, cut.length);
            return cut;
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
