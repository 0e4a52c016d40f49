package io.github.pcapunit.core.pcapng.internal;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.pcapng.DecryptionSecrets;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.InterfaceStatistics;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.Packet;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.PcapFormatException;
import io.github.pcapunit.core.pcapng.PcapReader.RecordKind;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.io.IOException;
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
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The pcap/pcapng record walker behind {@link io.github.pcapunit.core.pcapng.PcapReader}: one large
 * reusable buffer, records parsed in place, nothing allocated per packet.
 */
public final class RecordCursor implements AutoCloseable {

    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final int BUFFER = 4 << 20;
    private static final long NS = 1_000_000_000L;
    private static final int MAX_INTERFACES = 1 << 16;

    private final FileChannel ch;
    private final long size;
    private final String source;
    private byte[] buf;
    private int start;
    private int limit;
    private long bufBase;
    private ByteBuffer view;
    private boolean closed;
    private boolean ended;
    private long truncatedAt = -1;

    private final boolean pcapng;
    private boolean big;
    private long classicSubsecondNanos;

    // interfaces of the current section
    private final List<InterfaceDescription> interfaces = new ArrayList<>();
    private LinkType[] linkTypes = new LinkType[4];
    private Tsresol[] resolutions = new Tsresol[4];
    private long[] tsOffsets = new long[4];
    private int[] snaplens = new int[4];
    private int interfaceCount;
    private final List<SectionHeader> sections = new ArrayList<>();
    private final List<JournalEntry> journal = new ArrayList<>();
    private final java.util.Map<java.net.InetAddress, List<String>> nameResolutions = new java.util.LinkedHashMap<>();
    private final List<DecryptionSecrets> secrets = new ArrayList<>();
    private final Map<Integer, InterfaceStatistics> latestStats = new LinkedHashMap<>();

    // current record
    private long recordOffset = -1;
    private int recordType;
    private long frame;
    private long ts;
    private int ifId;
    private int capLen;
    private int origLen;
    private int dataOff;
    private int flags;
    private int optStart;
    private int optEnd;
    private RecordKind kind;
    private int blockStart;
    private int blockLength;
    private JournalEntry currentJournal;
    private InterfaceStatistics currentStats;
    private int statsIfId = -1;

    private RecordCursor(FileChannel ch, long size, byte[] initial, int limit, String source) {
        this.ch = ch;
        this.size = size;
        this.buf = initial;
        this.limit = limit;
        this.source = source;
        try {
            this.pcapng = readFileHeader();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens a file. */
    public static RecordCursor open(Path file) {
        FileChannel ch;
        long size;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            size = ch.size();
        } catch (IOException e) {
            throw new CaptureException("cannot open capture file " + file + ": " + e
                    + "; check the path and read permission", e);
        }
        int cap = (int) Math.max(64, Math.min(size + 16, BUFFER));
        return new RecordCursor(ch, size, new byte[cap], 0, file.toString());
    }

    /** Reads an in-memory image (not copied). */
    public static RecordCursor of(byte[] contents) {
        return new RecordCursor(null, contents.length, contents, contents.length, "in-memory capture");
    }

    // ---- buffer -----------------------------------------------------------------------------

    private boolean ensure(int n) {
        return limit - start >= n || fill(n);
    }

    private boolean fill(int n) {
        if (ch == null) {
            return false;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, limit - start);
            limit -= start;
            bufBase += start;
            start = 0;
        }
        if (n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(n, Math.min(buf.length * 2, Pcapng.MAX_BLOCK + 16)));
        }
        try {
            while (limit < n) {
                int r = ch.read(ByteBuffer.wrap(buf, limit, buf.length - limit));
                if (r < 0) {
                    return false;
                }
                limit += r;
            }
        } catch (IOException e) {
            throw new CaptureException("cannot read " + source + " at byte " + (bufBase + limit) + ": " + e, e);
        }
        return true;
    }

    private int i32(int i) {
        return big ? (int) BE32.get(buf, i) : (int) LE32.get(buf, i);
    }

    private int u16(int i) {
        return (big ? (short) BE16.get(buf, i) : (short) LE16.get(buf, i)) & 0xFFFF;
    }

    private long u32(int i) {
        return i32(i) & 0xFFFF_FFFFL;
    }

    private long i64(int i) {
        // pcapng 64-bit values are stored in the section's byte order as one 8-byte integer
        long a = u32(i);
        long b = u32(i + 4);
        return big ? (a << 32) | b : (b << 32) | a;
    }

    private long offsetOf(int index) {
        return bufBase + index;
    }

    private PcapFormatException error(long offset, long type, String what) {
        String where = type < 0 ? "pcap record at byte offset " + offset
                : Pcapng.describe(type) + " at byte offset " + offset;
        return new PcapFormatException(source + ": " + where + ": " + what, offset, type);
    }

    // ---- header -----------------------------------------------------------------------------

    private boolean readFileHeader() {
        if (!ensure(4)) {
            throw new PcapFormatException(source + ": file is " + (limit - start)
                    + " bytes long, too short for a pcap or pcapng header (offset 0); "
                    + "was the capture stopped before it started?", 0, -1);
        }
        int le = (int) LE32.get(buf, 0);
        if (le == Pcapng.SHB) {
            return true;
        }
        long subsecond;
        if (le == Pcapng.PCAP_MICROS || Integer.reverseBytes(le) == Pcapng.PCAP_MICROS) {
            subsecond = 1000;
        } else if (le == Pcapng.PCAP_NANOS || Integer.reverseBytes(le) == Pcapng.PCAP_NANOS) {
            subsecond = 1;
        } else {
            throw new PcapFormatException(String.format("%s: not a pcap or pcapng file: it starts with"
                    + " 0x%08X at byte offset 0; expected the pcapng block type 0x0A0D0D0A or a pcap"
                    + " magic (0xA1B2C3D4 microseconds, 0xA1B23C4D nanoseconds, either byte order)",
                    source, Integer.reverseBytes(le)), 0, -1);
        }
        big = Integer.reverseBytes(le) == Pcapng.PCAP_MICROS || Integer.reverseBytes(le) == Pcapng.PCAP_NANOS;
        classicSubsecondNanos = subsecond;
        if (!ensure(24)) {
            throw new PcapFormatException(source + ": pcap file header at byte offset 0 is incomplete: "
                    + (limit - start) + " of 24 bytes", 0, -1);
        }
        int major = u16(4);
        int linkField = i32(20);
        int snaplen = i32(16);
        LinkType lt = LinkType.of(linkField & 0x03FF_FFFF);
        if (major != 2) {
            throw new PcapFormatException(source + ": pcap file header at byte offset 0 has version "
                    + major + "." + u16(6) + "; only version 2.x exists", 0, -1);
        }
        sections.add(SectionHeader.builder().byteOrder(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).build());
        InterfaceDescription d = InterfaceDescription.builder().linkType(lt)
                .snaplen(Math.max(0, snaplen))
                .tsresol(subsecond == 1 ? InterfaceDescription.TSRESOL_NANOS : InterfaceDescription.TSRESOL_MICROS)
                .build();
        addInterface(d, lt, subsecond == 1 ? Tsresol.NANOS : Tsresol.MICROS, 0);
        start = 24;
        return false;
    }

    public boolean isPcapng() {
        return pcapng;
    }

    // ---- walking ----------------------------------------------------------------------------

    public boolean nextPacket() {
        RecordKind k;
        do {
            k = next();
        } while (k != RecordKind.PACKET && k != RecordKind.END);
        return k == RecordKind.PACKET;
    }

    public RecordKind next() {
        if (closed) {
            throw new IllegalStateException(source + " is closed; open it again with PcapReader.open(...)");
        }
        currentJournal = null;
        currentStats = null;
        if (ended) {
            return kind = RecordKind.END;
        }
        return kind = pcapng ? nextBlock() : nextClassic();
    }

    private RecordKind end() {
        ended = true;
        if (limit - start > 0) {
            truncatedAt = offsetOf(start);
        }
        recordOffset = -1;
        return RecordKind.END;
    }

    private RecordKind nextClassic() {
        if (!ensure(16)) {
            return end();
        }
        int s = start;
        long incl = u32(s + 8);
        if (incl > Pcapng.MAX_BLOCK) {
            throw error(offsetOf(s), -1, "captured length " + incl + " exceeds the 64 MiB limit;"
                    + " the file is damaged or not a pcap file");
        }
        if (!ensure(16 + (int) incl)) {
            return end();
        }
        s = start;
        recordOffset = offsetOf(s);
        ts = u32(s) * NS + u32(s + 4) * classicSubsecondNanos;
        capLen = (int) incl;
        long orig = u32(s + 12);
        origLen = orig > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) orig;
        dataOff = s + 16;
        optStart = optEnd = 0;
        flags = 0;
        ifId = 0;
        recordType = -1;
        start = s + 16 + capLen;
        frame++;
        return RecordKind.PACKET;
    }

    private RecordKind nextBlock() {
        while (true) {
            RecordKind k = step();
            if (k != null) {
                return k;
            }
        }
    }

    /**
     * Reads exactly one pcapng block, whatever its type; afterwards {@link #blockStart()} and
     * {@link #blockLength()} locate its raw bytes in {@link #array()}. For the rewriting code.
     *
     * @return false at the end of the (complete part of the) file
     */
    public boolean nextRawBlock() {
        if (!pcapng) {
            throw new IllegalStateException("raw blocks exist only in pcapng files");
        }
        if (ended) {
            return false;
        }
        currentJournal = null;
        currentStats = null;
        RecordKind k = step();
        kind = k;
        return k != RecordKind.END;
    }

    /** Start of the current packet's options in {@link #array()}. */
    public int optionsStart() {
        return optStart;
    }

    /** End of the current packet's options in {@link #array()}. */
    public int optionsEnd() {
        return optEnd;
    }

    public int blockStart() {
        return blockStart;
    }

    public int blockLength() {
        return blockLength;
    }

    private RecordKind step() {
        {
            if (!ensure(8)) {
                return end();
            }
            int s = start;
            long off = offsetOf(s);
            int type = i32(s);
            if (type == Pcapng.SHB) {
                if (!ensure(12)) {
                    return end();
                }
                s = start;
                int magic = (int) LE32.get(buf, s + 8);
                if (magic == Pcapng.BYTE_ORDER_MAGIC) {
                    big = false;
                } else if (Integer.reverseBytes(magic) == Pcapng.BYTE_ORDER_MAGIC) {
                    big = true;
                } else {
                    throw error(off, type, String.format("byte-order magic is 0x%08X, expected"
                            + " 0x1A2B3C4D in either byte order", Integer.reverseBytes(magic)));
                }
            } else if (sections.isEmpty()) {
                throw error(off, type, "a pcapng file must start with a Section Header Block");
            }
            long len = u32(s + 4);
            if (len < 12) {
                throw error(off, type, "block total length " + len + " is less than the minimum of 12");
            }
            if ((len & 3) != 0) {
                throw error(off, type, "block total length " + len + " is not a multiple of 4");
            }
            if (len > Pcapng.MAX_BLOCK) {
                throw error(off, type, "block total length " + len + " (0x" + Long.toHexString(len)
                        + ") exceeds the 64 MiB limit; " + Math.max(0, size - off)
                        + " bytes remain in the file");
            }
            if (!ensure((int) len)) {
                return end();
            }
            s = start;
            int l = (int) len;
            long trailer = u32(s + l - 4);
            if (trailer != len) {
                throw error(off, type, "block total length " + len + " does not match the trailing"
                        + " length " + trailer + " at byte offset " + (off + len - 4));
            }
            start = s + l;
            blockStart = s;
            blockLength = l;
            recordOffset = off;
            recordType = type;
            int body = s + 8;
            int bodyEnd = s + l - 4;
            switch (type) {
                case Pcapng.EPB:
                    readEpb(off, body, bodyEnd);
                    return RecordKind.PACKET;
                case Pcapng.PB:
                    readPb(off, body, bodyEnd);
                    return RecordKind.PACKET;
                case Pcapng.SPB:
                    readSpb(off, body, bodyEnd);
                    return RecordKind.PACKET;
                case Pcapng.SHB:
                    readShb(off, body, bodyEnd);
                    break;
                case Pcapng.IDB:
                    readIdb(off, body, bodyEnd);
                    break;
                case Pcapng.ISB:
                    readIsb(off, body, bodyEnd);
                    return RecordKind.STATISTICS;
                case Pcapng.JOURNAL:
                    readJournal(off, body, bodyEnd);
                    return RecordKind.JOURNAL;
                case Pcapng.CB_COPY:
                case Pcapng.CB_NOCOPY:
                    frame++; // Wireshark lists custom blocks as frames; keep its numbering
                    break;
                case Pcapng.NRB:
                    readNrb(body, bodyEnd);
                    break;
                case Pcapng.DSB:
                    readDsb(off, body, bodyEnd);
                    break;
                default:
                    break; // unknown blocks: skipped
            }
            return null;
        }
    }

    private void need(long off, int type, int body, int bodyEnd, int n, String what) {
        if (bodyEnd - body < n) {
            throw error(off, type, "block body is " + (bodyEnd - body) + " bytes, too short for " + what
                    + " (" + n + " bytes)");
        }
    }

    private int checkInterface(long off, int type, long id) {
        if (id < 0 || id >= interfaceCount) {
            throw error(off, type, "refers to interface " + id + " but the section defines "
                    + interfaceCount + " interface(s)");
        }
        return (int) id;
    }

    private void readEpb(long off, int body, int bodyEnd) {
        need(off, Pcapng.EPB, body, bodyEnd, 20, "the packet header");
        ifId = checkInterface(off, Pcapng.EPB, u32(body));
        long units = (u32(body + 4) << 32) | u32(body + 8);
        long cap = u32(body + 12);
        if (cap > bodyEnd - body - 20) {
            throw error(off, Pcapng.EPB, "captured length " + cap + " runs past the block end ("
                    + (bodyEnd - body - 20) + " bytes of packet data fit)");
        }
        capLen = (int) cap;
        long orig = u32(body + 16);
        origLen = orig > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) orig;
        ts = resolutions[ifId].toNanos(units) + tsOffsets[ifId];
        dataOff = body + 20;
        optStart = body + 20 + BlockWriter.pad4(capLen);
        optEnd = bodyEnd;
        flags = optStart < optEnd ? scanFlags(off, Pcapng.EPB) : 0;
        frame++;
    }

    private void readPb(long off, int body, int bodyEnd) {
        need(off, Pcapng.PB, body, bodyEnd, 20, "the packet header");
        ifId = checkInterface(off, Pcapng.PB, u16(body));
        long units = (u32(body + 4) << 32) | u32(body + 8);
        long cap = u32(body + 12);
        if (cap > bodyEnd - body - 20) {
            throw error(off, Pcapng.PB, "captured length " + cap + " runs past the block end ("
                    + (bodyEnd - body - 20) + " bytes of packet data fit)");
        }
        capLen = (int) cap;
        long orig = u32(body + 16);
        origLen = orig > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) orig;
        ts = resolutions[ifId].toNanos(units) + tsOffsets[ifId];
        dataOff = body + 20;
        optStart = body + 20 + BlockWriter.pad4(capLen);
        optEnd = bodyEnd;
        flags = optStart < optEnd ? scanFlags(off, Pcapng.PB) : 0;
        frame++;
    }

    private void readSpb(long off, int body, int bodyEnd) {
        need(off, Pcapng.SPB, body, bodyEnd, 4, "the original length");
        ifId = checkInterface(off, Pcapng.SPB, 0);
        long orig = u32(body);
        origLen = orig > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) orig;
        long cap = Math.min(orig, bodyEnd - body - 4);
        if (snaplens[0] > 0) {
            cap = Math.min(cap, snaplens[0]);
        }
        capLen = (int) cap;
        ts = 0; // a Simple Packet Block has no timestamp
        dataOff = body + 4;
        optStart = optEnd = 0;
        flags = 0;
        frame++;
    }

    /** Finds epb_flags while validating the option list's structure. */
    private int scanFlags(long off, int type) {
        int p = optStart;
        int result = 0;
        while (p + 4 <= optEnd) {
            int code = u16(p);
            int len = u16(p + 2);
            if (code == Pcapng.OPT_ENDOFOPT) {
                break;
            }
            if (p + 4 + len > optEnd) {
                throw error(off, type, "option " + code + " at byte offset " + offsetOf(p) + " has length "
                        + len + ", running past the block end");
            }
            if (code == Pcapng.EPB_FLAGS && len == 4) {
                result = i32(p + 4);
            }
            p += 4 + BlockWriter.pad4(len);
        }
        return result;
    }

    /** Walks options, calling {@code sink} with (code, valueStart, length); validates bounds. */
    private void eachOption(long off, int type, int from, int to, OptionSink sink) {
        int p = from;
        while (p + 4 <= to) {
            int code = u16(p);
            int len = u16(p + 2);
            if (code == Pcapng.OPT_ENDOFOPT) {
                return;
            }
            if (p + 4 + len > to) {
                throw error(off, type, "option " + code + " at byte offset " + offsetOf(p) + " has length "
                        + len + ", running past the block end");
            }
            sink.option(code, p + 4, len);
            p += 4 + BlockWriter.pad4(len);
        }
    }

    @FunctionalInterface
    private interface OptionSink {
        void option(int code, int at, int len);
    }

    private String str(int at, int len) {
        int end = at + len;
        while (end > at && buf[end - 1] == 0) {
            end--;
        }
        return new String(buf, at, end - at, StandardCharsets.UTF_8);
    }

    private void readShb(long off, int body, int bodyEnd) {
        need(off, Pcapng.SHB, body, bodyEnd, 16, "the section header");
        int major = u16(body + 4);
        if (major != 1) {
            throw error(off, Pcapng.SHB, "pcapng version " + major + "." + u16(body + 6)
                    + " is not supported; only 1.x is");
        }
        SectionHeader.Builder b = SectionHeader.builder()
                .byteOrder(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        eachOption(off, Pcapng.SHB, body + 16, bodyEnd, (code, at, len) -> {
            switch (code) {
                case Pcapng.OPT_COMMENT: b.comment(str(at, len)); break;
                case Pcapng.SHB_HARDWARE: b.hardware(str(at, len)); break;
                case Pcapng.SHB_OS: b.os(str(at, len)); break;
                case Pcapng.SHB_USERAPPL: b.userAppl(str(at, len)); break;
                default: break;
            }
        });
        sections.add(b.build());
        interfaces.clear();
        interfaceCount = 0;
        latestStats.clear();
    }

    private void readIdb(long off, int body, int bodyEnd) {
        need(off, Pcapng.IDB, body, bodyEnd, 8, "the interface header");
        if (interfaceCount >= MAX_INTERFACES) {
            throw error(off, Pcapng.IDB, "more than " + MAX_INTERFACES + " interfaces in one section");
        }
        LinkType lt = LinkType.of(u16(body));
        long snap = u32(body + 4);
        InterfaceDescription.Builder b = InterfaceDescription.builder().linkType(lt)
                .snaplen((int) Math.min(snap, Integer.MAX_VALUE))
                .tsresol(InterfaceDescription.TSRESOL_MICROS);
        long[] tsOffset = {0};
        eachOption(off, Pcapng.IDB, body + 8, bodyEnd, (code, at, len) -> {
            switch (code) {
                case Pcapng.OPT_COMMENT: b.comment(str(at, len)); break;
                case Pcapng.IF_NAME: b.name(str(at, len)); break;
                case Pcapng.IF_DESCRIPTION: b.description(str(at, len)); break;
                case Pcapng.IF_OS: b.os(str(at, len)); break;
                case Pcapng.IF_FILTER:
                    if (len >= 1 && buf[at] == 0) {
                        b.filter(str(at + 1, len - 1));
                    }
                    break;
                case Pcapng.IF_TSRESOL:
                    if (len >= 1) {
                        int raw = buf[at] & 0xFF;
                        if (Tsresol.of(raw) == null) {
                            throw error(off, Pcapng.IDB, String.format("if_tsresol 0x%02X is finer than"
                                    + " this reader supports (10^-18 s or 2^-63 s)", raw));
                        }
                        b.tsresol(raw);
                    }
                    break;
                case Pcapng.IF_TSOFFSET:
                    if (len == 8) {
                        tsOffset[0] = i64(at) * NS;
                    }
                    break;
                default: break;
            }
        });
        InterfaceDescription d = b.build();
        addInterface(d, lt, Tsresol.of(d.tsresol()), tsOffset[0]);
    }

    private void addInterface(InterfaceDescription d, LinkType lt, Tsresol res, long tsOffset) {
        if (interfaceCount == linkTypes.length) {
            int n = interfaceCount * 2;
            linkTypes = Arrays.copyOf(linkTypes, n);
            resolutions = Arrays.copyOf(resolutions, n);
            tsOffsets = Arrays.copyOf(tsOffsets, n);
            snaplens = Arrays.copyOf(snaplens, n);
        }
        linkTypes[interfaceCount] = lt;
        resolutions[interfaceCount] = res;
        tsOffsets[interfaceCount] = tsOffset;
        snaplens[interfaceCount] = d.snaplen();
        interfaceCount++;
        interfaces.add(d);
    }

    private void readIsb(long off, int body, int bodyEnd) {
        need(off, Pcapng.ISB, body, bodyEnd, 12, "the statistics header");
        int id = checkInterface(off, Pcapng.ISB, u32(body));
        Tsresol res = resolutions[id];
        long shift = tsOffsets[id];
        InterfaceStatistics.Builder b = InterfaceStatistics.builder();
        eachOption(off, Pcapng.ISB, body + 12, bodyEnd, (code, at, len) -> {
            if (code == Pcapng.OPT_COMMENT) {
                b.comment(str(at, len));
                return;
            }
            if (len != 8 || code > Pcapng.ISB_USRDELIV) {
                return;
            }
            long v = i64(at);
            switch (code) {
                case Pcapng.ISB_STARTTIME:
                    b.start(instant(res.toNanos((u32(at) << 32) | u32(at + 4)) + shift));
                    break;
                case Pcapng.ISB_ENDTIME:
                    b.end(instant(res.toNanos((u32(at) << 32) | u32(at + 4)) + shift));
                    break;
                case Pcapng.ISB_IFRECV: b.ifRecv(Math.max(0, v)); break;
                case Pcapng.ISB_IFDROP: b.ifDrop(Math.max(0, v)); break;
                case Pcapng.ISB_FILTERACCEPT: b.filterAccept(Math.max(0, v)); break;
                case Pcapng.ISB_OSDROP: b.osDrop(Math.max(0, v)); break;
                case Pcapng.ISB_USRDELIV: b.usrDeliv(Math.max(0, v)); break;
                default: break;
            }
        });
        currentStats = b.build();
        statsIfId = id;
        latestStats.put(id, currentStats);
    }

    private void readJournal(long off, int body, int bodyEnd) {
        Object r = Journal.decode(buf, body, bodyEnd - body);
        if (r instanceof String) {
            throw error(off, Pcapng.JOURNAL, (String) r);
        }
        currentJournal = (JournalEntry) r;
        journal.add(currentJournal);
        ts = BlockWriter.nanos(currentJournal.timestamp());
        frame++;
    }

    /**
     * Name Resolution Block: IPv4 (1) and IPv6 (2) records, each an address and zero-terminated
     * names; record 0 ends the list. A malformed record ends the block's records, never the read
     * (names are a convenience, not evidence).
     */
    private void readNrb(int body, int bodyEnd) {
        int p = body;
        while (p + 4 <= bodyEnd) {
            int type = u16(p);
            int len = u16(p + 2);
            int value = p + 4;
            if (type == 0 || value + len > bodyEnd) {
                return;
            }
            int addressLength = type == 1 ? 4 : type == 2 ? 16 : -1;
            if (addressLength > 0 && len > addressLength) {
                try {
                    java.net.InetAddress address = java.net.InetAddress.getByAddress(
                            java.util.Arrays.copyOfRange(buf, value, value + addressLength));
                    List<String> names = new ArrayList<>();
                    int start = value + addressLength;
                    for (int i = start; i < value + len; i++) {
                        if (buf[i] == 0) {
                            if (i > start) {
                                names.add(new String(buf, start, i - start, java.nio.charset.StandardCharsets.UTF_8));
                            }
                            start = i + 1;
                        }
                    }
                    if (!names.isEmpty()) {
                        nameResolutions.merge(address, names, (a, b) -> {
                            List<String> all = new ArrayList<>(a);
                            b.stream().filter(n -> !all.contains(n)).forEach(all::add);
                            return all;
                        });
                    }
                } catch (java.net.UnknownHostException e) {
                    // cannot happen for 4 or 16 bytes
                }
            }
            p = value + ((len + 3) & ~3);
        }
    }

    /**
     * Decryption Secrets Block: secrets type, length, data (e.g. a TLS key log). A malformed one
     * is skipped like an unknown block: secrets are a convenience, not evidence.
     */
    private void readDsb(long off, int body, int bodyEnd) {
        if (bodyEnd - body < 8) {
            return;
        }
        long type = u32(body);
        long len = u32(body + 4);
        if (len > bodyEnd - body - 8) {
            return;
        }
        secrets.add(new DecryptionSecrets(type, java.util.Arrays.copyOfRange(buf, body + 8, body + 8 + (int) len)));
    }

    private static Instant instant(long ns) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, NS), Math.floorMod(ns, NS));
    }

    // ---- accessors --------------------------------------------------------------------------

    private void requirePacket() {
        if (kind != RecordKind.PACKET) {
            throw new IllegalStateException("no current packet; call nextPacket() (and check it"
                    + " returned true) first");
        }
    }

    public long frameNumber() {
        return frame;
    }

    public long recordOffset() {
        return recordOffset;
    }

    /** Raw pcapng block type of the current record, -1 for a classic pcap record. */
    public int recordType() {
        return recordType;
    }

    public long timestampNanos() {
        return ts;
    }

    public int interfaceId() {
        return ifId;
    }

    public LinkType linkType() {
        return linkTypes[ifId];
    }

    public int capturedLength() {
        return capLen;
    }

    public int originalLength() {
        return origLen;
    }

    public int flags() {
        return flags;
    }

    public byte[] array() {
        return buf;
    }

    public int payloadOffset() {
        return dataOff;
    }

    /** Whether the section being read is big endian. */
    public boolean bigEndian() {
        return big;
    }

    /** The resolution of interface {@code id} of the current section. */
    public Tsresol resolution(int id) {
        return resolutions[id];
    }

    public ByteBuffer payload() {
        requirePacket();
        if (view == null || view.array() != buf) {
            view = ByteBuffer.wrap(buf);
        }
        view.clear();
        view.position(dataOff).limit(dataOff + capLen);
        return view;
    }

    public PacketOptions options() {
        requirePacket();
        if (optStart >= optEnd) {
            return PacketOptions.none();
        }
        PacketOptions.Builder b = PacketOptions.builder();
        eachOption(recordOffset, recordType, optStart, optEnd, (code, at, len) -> {
            switch (code) {
                case Pcapng.OPT_COMMENT:
                    b.comment(str(at, len));
                    break;
                case Pcapng.EPB_FLAGS:
                    if (len == 4) {
                        b.flags(i32(at));
                    }
                    break;
                case Pcapng.EPB_DROPCOUNT:
                    if (len == 8 && recordType == Pcapng.EPB) {
                        b.dropCount(Math.max(0, i64(at)));
                    }
                    break;
                case Pcapng.EPB_PACKETID:
                    if (len == 8 && recordType == Pcapng.EPB && i64(at) != Long.MIN_VALUE) {
                        b.packetId(i64(at));
                    }
                    break;
                case Pcapng.EPB_VERDICT:
                    if (len >= 1 && recordType == Pcapng.EPB) {
                        b.rawVerdict(Arrays.copyOfRange(buf, at, at + len));
                    }
                    break;
                case Pcapng.EPB_PROCESSID_THREADID:
                    if (len == 8 && recordType == Pcapng.EPB) {
                        b.processThread(u32(at), u32(at + 4));
                    }
                    break;
                default:
                    break;
            }
        });
        return b.build();
    }

    public Packet packet() {
        requirePacket();
        return new Packet(frame, ts, ifId, linkTypes[ifId], origLen,
                Arrays.copyOfRange(buf, dataOff, dataOff + capLen), options());
    }

    public JournalEntry journalEntry() {
        if (currentJournal == null) {
            throw new IllegalStateException("no current journal entry; call next() until it"
                    + " returns RecordKind.JOURNAL first");
        }
        return currentJournal;
    }

    public InterfaceStatistics statistics() {
        if (currentStats == null) {
            throw new IllegalStateException("no current statistics; call next() until it"
                    + " returns RecordKind.STATISTICS first");
        }
        return currentStats;
    }

    public int statisticsInterfaceId() {
        statistics();
        return statsIfId;
    }

    public List<InterfaceDescription> interfaces() {
        return List.copyOf(interfaces);
    }

    public SectionHeader sectionHeader() {
        return sections.isEmpty() ? SectionHeader.empty() : sections.get(sections.size() - 1);
    }

    public List<SectionHeader> sections() {
        return List.copyOf(sections);
    }

    public java.util.Map<java.net.InetAddress, List<String>> nameResolutions() {
        return java.util.Collections.unmodifiableMap(nameResolutions);
    }

    public List<DecryptionSecrets> decryptionSecrets() {
        return List.copyOf(secrets);
    }

    public List<JournalEntry> journalEntries() {
        return List.copyOf(journal);
    }

    public Map<Integer, InterfaceStatistics> latestStatistics() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(latestStats));
    }

    public OptionalLong truncatedAt() {
        return truncatedAt < 0 ? OptionalLong.empty() : OptionalLong.of(truncatedAt);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                throw new CaptureException("cannot close " + source + ": " + e, e);
            }
        }
    }
}
