package io.github.pcapunit.core.pcapng.internal;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.InterfaceStatistics;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Little-endian pcapng block encoder into a large buffer. Each block's total length is computed
 * before anything is written.
 */
public final class BlockWriter implements AutoCloseable {

    static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int BUFFER = 1 << 20;

    private interface Sink extends AutoCloseable {
        void write(byte[] b, int len) throws IOException;

        @Override
        void close() throws IOException;
    }

    private final Sink sink;
    private final String target;
    private byte[] buf = new byte[BUFFER];
    private int pos;
    private long flushed;
    private boolean closed;
    private final List<Tsresol> resolutions = new ArrayList<>();

    private BlockWriter(Sink sink, String target) {
        this.sink = sink;
        this.target = target;
    }

    /** A writer creating or truncating {@code file}. */
    public static BlockWriter toFile(Path file) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new CaptureException("cannot create pcapng file " + file + ": " + e
                    + "; check that the directory exists and is writable", e);
        }
        return new BlockWriter(new Sink() {
            @Override
            public void write(byte[] b, int len) throws IOException {
                ByteBuffer bb = ByteBuffer.wrap(b, 0, len);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        }, file.toString());
    }

    /** A writer into {@code out}, which {@link #close()} closes. */
    public static BlockWriter toStream(OutputStream out, String name) {
        return new BlockWriter(new Sink() {
            @Override
            public void write(byte[] b, int len) throws IOException {
                out.write(b, 0, len);
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        }, name);
    }

    public long bytesWritten() {
        return flushed + pos;
    }

    public int interfaceCount() {
        return resolutions.size();
    }

    // ---- blocks ------------------------------------------------------------------------------

    public void writeSectionHeader(SectionHeader s) {
        byte[] hw = utf8(s.hardware().orElse(null));
        byte[] os = utf8(s.os().orElse(null));
        byte[] app = utf8(s.userAppl().orElse(null));
        List<byte[]> comments = utf8(s.comments());
        int opts = optLen(hw) + optLen(os) + optLen(app) + optsLen(comments);
        int total = 28 + endOpts(opts);
        begin(total, Pcapng.SHB);
        putInt(Pcapng.BYTE_ORDER_MAGIC);
        putShort(1);
        putShort(0);
        putLong(-1L);
        putOpts(Pcapng.OPT_COMMENT, comments);
        putOpt(Pcapng.SHB_HARDWARE, hw);
        putOpt(Pcapng.SHB_OS, os);
        putOpt(Pcapng.SHB_USERAPPL, app);
        endOptions(opts);
        end(total);
        resolutions.clear();
    }

    public int writeInterface(InterfaceDescription d) {
        Tsresol res = Tsresol.of(d.tsresol());
        if (res == null) {
            throw new IllegalArgumentException("if_tsresol " + d.tsresol() + " cannot be written");
        }
        byte[] name = utf8(d.name().orElse(null));
        byte[] desc = utf8(d.description().orElse(null));
        byte[] os = utf8(d.os().orElse(null));
        byte[] filter = null;
        if (d.filter().isPresent()) {
            byte[] f = utf8(d.filter().get());
            filter = new byte[f.length + 1];
            System.arraycopy(f, 0, filter, 1, f.length); // leading 0: libpcap filter string
        }
        List<byte[]> comments = utf8(d.comments());
        boolean writeRes = d.tsresol() != InterfaceDescription.TSRESOL_MICROS;
        int opts = optLen(name) + optLen(desc) + optLen(os) + optLen(filter) + optsLen(comments)
                + (writeRes ? 8 : 0);
        int total = 20 + endOpts(opts);
        begin(total, Pcapng.IDB);
        putShort(d.linkType().value());
        putShort(0);
        putInt(d.snaplen());
        putOpts(Pcapng.OPT_COMMENT, comments);
        putOpt(Pcapng.IF_NAME, name);
        putOpt(Pcapng.IF_DESCRIPTION, desc);
        if (writeRes) {
            putShort(Pcapng.IF_TSRESOL);
            putShort(1);
            putInt(d.tsresol() & 0xFF);
        }
        putOpt(Pcapng.IF_FILTER, filter);
        putOpt(Pcapng.IF_OS, os);
        endOptions(opts);
        end(total);
        resolutions.add(res);
        return resolutions.size() - 1;
    }

    /** Writes an EPB; validates the interface id. */
    public void writePacket(int ifId, long tsNanos, int origLen, byte[] data, int off, int len,
            PacketOptions o) {
        Tsresol res = resolution(ifId);
        if (tsNanos < 0) {
            throw new IllegalArgumentException("timestamp " + tsNanos + " ns is before 1970-01-01;"
                    + " pcapng timestamps are unsigned, pass a time after the epoch");
        }
        if (o == null || o.isEmpty()) {
            writeEpb(ifId, res.toUnits(tsNanos), origLen, data, off, len, -1);
            return;
        }
        List<byte[]> comments = utf8(o.comments());
        List<byte[]> verdicts = o.verdicts();
        int opts = optsLen(comments) + optsLen(verdicts)
                + (o.flags().isPresent() ? 8 : 0)
                + (o.dropCount().isPresent() ? 12 : 0)
                + (o.packetId().isPresent() ? 12 : 0)
                + (o.processId().isPresent() ? 12 : 0);
        int total = 32 + pad4(len) + endOpts(opts);
        begin(total, Pcapng.EPB);
        long units = res.toUnits(tsNanos);
        putInt(ifId);
        putInt((int) (units >>> 32));
        putInt((int) units);
        putInt(len);
        putInt(origLen);
        putBytesPadded(data, off, len);
        putOpts(Pcapng.OPT_COMMENT, comments);
        if (o.flags().isPresent()) {
            putShort(Pcapng.EPB_FLAGS);
            putShort(4);
            putInt(o.flags().getAsInt());
        }
        if (o.dropCount().isPresent()) {
            putShort(Pcapng.EPB_DROPCOUNT);
            putShort(8);
            putLong(o.dropCount().getAsLong());
        }
        if (o.packetId().isPresent()) {
            putShort(Pcapng.EPB_PACKETID);
            putShort(8);
            putLong(o.packetId().getAsLong());
        }
        putOpts(Pcapng.EPB_VERDICT, verdicts);
        if (o.processId().isPresent()) {
            putShort(Pcapng.EPB_PROCESSID_THREADID);
            putShort(8);
            putInt((int) o.processId().getAsLong());
            putInt((int) o.threadId().getAsLong());
        }
        endOptions(opts);
        end(total);
    }

    /**
     * The allocation-free EPB used by conversion: timestamp already in interface units,
     * {@code flags < 0} means no epb_flags option. No interface check.
     */
    public void writeEpb(int ifId, long units, int origLen, byte[] data, int off, int len, long flags) {
        int total = 32 + pad4(len) + (flags >= 0 ? 12 : 0);
        if (pos + total > buf.length) {
            makeRoom(total);
        }
        byte[] b = buf;
        int p = pos;
        I32.set(b, p, Pcapng.EPB);
        I32.set(b, p + 4, total);
        I32.set(b, p + 8, ifId);
        I32.set(b, p + 12, (int) (units >>> 32));
        I32.set(b, p + 16, (int) units);
        I32.set(b, p + 20, len);
        I32.set(b, p + 24, origLen);
        System.arraycopy(data, off, b, p + 28, len);
        p += 28 + len;
        for (int i = len; (i & 3) != 0; i++) {
            b[p++] = 0;
        }
        if (flags >= 0) {
            I16.set(b, p, (short) Pcapng.EPB_FLAGS);
            I16.set(b, p + 2, (short) 4);
            I32.set(b, p + 4, (int) flags);
            I32.set(b, p + 8, 0); // opt_endofopt
            p += 12;
        }
        I32.set(b, p, total);
        pos = p + 4;
    }

    public void writeStatistics(int ifId, InterfaceStatistics s) {
        Tsresol res = resolution(ifId);
        byte[] comment = utf8(s.comment().orElse(null));
        int opts = optLen(comment)
                + (s.start().isPresent() ? 12 : 0) + (s.end().isPresent() ? 12 : 0)
                + (s.ifRecv().isPresent() ? 12 : 0) + (s.ifDrop().isPresent() ? 12 : 0)
                + (s.filterAccept().isPresent() ? 12 : 0) + (s.osDrop().isPresent() ? 12 : 0)
                + (s.usrDeliv().isPresent() ? 12 : 0);
        int total = 24 + endOpts(opts);
        begin(total, Pcapng.ISB);
        long ts = res.toUnits(nanos(s.end().orElseGet(Instant::now)));
        putInt(ifId);
        putInt((int) (ts >>> 32));
        putInt((int) ts);
        putOpt(Pcapng.OPT_COMMENT, comment);
        if (s.start().isPresent()) {
            putTimeOpt(Pcapng.ISB_STARTTIME, res.toUnits(nanos(s.start().get())));
        }
        if (s.end().isPresent()) {
            putTimeOpt(Pcapng.ISB_ENDTIME, res.toUnits(nanos(s.end().get())));
        }
        putLongOpt(Pcapng.ISB_IFRECV, s.ifRecv().orElse(-1));
        putLongOpt(Pcapng.ISB_IFDROP, s.ifDrop().orElse(-1));
        putLongOpt(Pcapng.ISB_FILTERACCEPT, s.filterAccept().orElse(-1));
        putLongOpt(Pcapng.ISB_OSDROP, s.osDrop().orElse(-1));
        putLongOpt(Pcapng.ISB_USRDELIV, s.usrDeliv().orElse(-1));
        endOptions(opts);
        end(total);
    }

    /** Size of the Journal Export Block {@link #writeJournal} writes for {@code e}. */
    public static int journalBlockLength(JournalEntry e) {
        return journalBlockLength(Journal.encode(e));
    }

    /** Size of the Journal Export Block holding {@code encoded} (from {@link Journal#encode}). */
    public static int journalBlockLength(byte[] encoded) {
        return 12 + pad4(encoded.length);
    }

    public void writeJournal(JournalEntry e) {
        writeJournal(Journal.encode(e));
    }

    /**
     * Writes a Journal Export Block holding an entry already encoded by {@link Journal#encode},
     * for a caller that needed its size first and should not encode it twice.
     */
    public void writeJournal(byte[] text) {
        int total = 12 + pad4(text.length);
        begin(total, Pcapng.JOURNAL);
        putBytesPadded(text, 0, text.length);
        end(total);
    }

    /** Copies an already encoded little-endian block verbatim. */
    public void writeRaw(byte[] block, int off, int len) {
        if (pos + len > buf.length) {
            makeRoom(len);
        }
        System.arraycopy(block, off, buf, pos, len);
        pos += len;
    }

    /** Registers an interface copied with {@link #writeRaw}. */
    public void registerInterface(Tsresol res) {
        resolutions.add(res);
    }

    public void flush() {
        checkOpen();
        drain();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (sink) {
            drainUnchecked();
        } catch (IOException e) {
            throw new CaptureException("cannot finish writing " + target + ": " + e, e);
        }
    }

    /** Closes after a failure, keeping {@code primary} as the exception that matters. */
    public void closeQuietly(Throwable primary) {
        if (closed) {
            return;
        }
        try {
            closed = true;
            sink.close();
        } catch (IOException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** The resolution of interface {@code ifId} of the current section. */
    public Tsresol resolutionOf(int ifId) {
        return resolution(ifId);
    }

    private Tsresol resolution(int ifId) {
        checkOpen();
        if (ifId < 0 || ifId >= resolutions.size()) {
            throw new IllegalArgumentException("interface id " + ifId + " is not defined; the "
                    + "current section has " + resolutions.size() + " interface(s) (ids 0.."
                    + (resolutions.size() - 1) + "); call addInterface(...) first");
        }
        return resolutions.get(ifId);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the pcapng writer for " + target
                    + " is closed; open a new one with PcapngWriter.open(...)");
        }
    }

    private void begin(int total, int type) {
        checkOpen();
        if (pos + total > buf.length) {
            makeRoom(total);
        }
        putInt(type);
        putInt(total);
    }

    private void end(int total) {
        putInt(total);
    }

    private void makeRoom(int n) {
        drain();
        if (n > buf.length) {
            buf = new byte[n];
        }
    }

    private void drain() {
        try {
            drainUnchecked();
        } catch (IOException e) {
            throw new CaptureException("cannot write to " + target + ": " + e, e);
        }
    }

    private void drainUnchecked() throws IOException {
        if (pos > 0) {
            sink.write(buf, pos);
            flushed += pos;
            pos = 0;
        }
    }

    static int pad4(int n) {
        return (n + 3) & ~3;
    }

    private static int optLen(byte[] v) {
        return v == null ? 0 : 4 + pad4(v.length);
    }

    private static int optsLen(List<byte[]> vs) {
        int n = 0;
        for (byte[] v : vs) {
            n += optLen(v);
        }
        return n;
    }

    /** Options length plus the 4-byte end-of-options marker, when there are options. */
    private static int endOpts(int opts) {
        return opts == 0 ? 0 : opts + 4;
    }

    private void endOptions(int opts) {
        if (opts != 0) {
            putInt(0);
        }
    }

    private void putOpt(int code, byte[] v) {
        if (v == null) {
            return;
        }
        if (v.length > 0xFFFF) {
            throw new IllegalArgumentException("option " + code + " is " + v.length
                    + " bytes; pcapng options hold at most 65535 bytes, shorten it");
        }
        putShort(code);
        putShort(v.length);
        putBytesPadded(v, 0, v.length);
    }

    private void putOpts(int code, List<byte[]> vs) {
        for (byte[] v : vs) {
            putOpt(code, v);
        }
    }

    private void putTimeOpt(int code, long units) {
        putShort(code);
        putShort(8);
        putInt((int) (units >>> 32));
        putInt((int) units);
    }

    private void putLongOpt(int code, long v) {
        if (v >= 0) {
            putShort(code);
            putShort(8);
            putLong(v);
        }
    }

    private void putShort(int v) {
        I16.set(buf, pos, (short) v);
        pos += 2;
    }

    private void putInt(int v) {
        I32.set(buf, pos, v);
        pos += 4;
    }

    private void putLong(long v) {
        I64.set(buf, pos, v);
        pos += 8;
    }

    private void putBytesPadded(byte[] b, int off, int len) {
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        for (int i = len; (i & 3) != 0; i++) {
            buf[pos++] = 0;
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> utf8(List<String> ss) {
        List<byte[]> out = new ArrayList<>(ss.size());
        for (String s : ss) {
            out.add(utf8(s));
        }
        return out;
    }

    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }
}
