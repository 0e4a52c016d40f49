package io.github.pcapunit.core.pcapng.internal;

import io.github.pcapunit.core.pcapng.DecryptionSecrets;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.InterfaceStatistics;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapReader.RecordKind;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * pcapng, block by block: both byte orders, several sections and interfaces, EPB/PB/SPB packets,
 * ISB statistics, Journal Export entries, Name Resolution and Decryption Secrets blocks; custom
 * and unknown blocks are skipped. Errors name the byte offset and the block type.
 *
 * <pre>{@code
 * PcapngCursor c = (PcapngCursor) RecordCursor.open(Path.of("capture.pcapng"));
 * while (c.nextRawBlock()) { copy(c.array(), c.blockStart(), c.blockLength()); }
 * }</pre>
 */
public final class PcapngCursor extends RecordCursor {

    private static final int MAX_INTERFACES = 1 << 16;

    // per interface of the current section, by id
    private Tsresol[] resolutions = new Tsresol[4];
    private long[] tsOffsets = new long[4];

    private final List<SectionHeader> sections = new ArrayList<>();
    private final List<JournalEntry> journal = new ArrayList<>();
    private final Map<InetAddress, List<String>> nameResolutions = new LinkedHashMap<>();
    private final List<DecryptionSecrets> secrets = new ArrayList<>();
    private final Map<Integer, InterfaceStatistics> latestStats = new LinkedHashMap<>();

    // the current block
    private int blockStart;
    private int blockLength;
    private int optStart;
    private int optEnd;
    private JournalEntry currentJournal;
    private InterfaceStatistics currentStats;
    private int statsIfId = -1;

    PcapngCursor(ByteSource in) {
        super(in);
        // Like a classic file header, the first Section Header Block is checked at open: a file
        // cut inside it has no complete part at all (its own damage is reported when read).
        if (!in.ensure(12)) {
            incompleteFirstSection(12);
        }
        int magic = in.le32(in.start + 8);
        long len = Integer.toUnsignedLong(magic == Pcapng.BYTE_ORDER_MAGIC ? in.le32(in.start + 4)
                : Integer.reverseBytes(in.le32(in.start + 4)));
        if (len >= 12 && len <= Pcapng.MAX_BLOCK && !in.ensure((int) len)) {
            incompleteFirstSection(len);
        }
    }

    @Override
    public boolean isPcapng() {
        return true;
    }

    /**
     * Reads exactly one block, whatever its type; afterwards {@link #blockStart()} and
     * {@link #blockLength()} locate its raw bytes in {@link #array()}. For the rewriting code.
     *
     * @return false at the end of the (complete part of the) file
     */
    public boolean nextRawBlock() {
        return nextRecord() != RecordKind.END;
    }

    public int blockStart() {
        return blockStart;
    }

    public int blockLength() {
        return blockLength;
    }

    /** Start of the current packet's options in {@link #array()}. */
    public int optionsStart() {
        return optStart;
    }

    /** End of the current packet's options in {@link #array()}. */
    public int optionsEnd() {
        return optEnd;
    }

    /** Whether the section being read is big endian. */
    public boolean bigEndian() {
        return in.big;
    }

    @Override
    RecordKind step() {
        currentJournal = null;
        currentStats = null;
        if (!in.ensure(8)) {
            return sections.isEmpty() ? incompleteFirstSection(12) : end();
        }
        int s = in.start;
        long off = in.offsetOf(s);
        int type = in.i32(s);
        if (type == Pcapng.SHB) {
            if (!in.ensure(12)) {
                return sections.isEmpty() ? incompleteFirstSection(12) : end();
            }
            s = in.start;
            int magic = in.le32(s + 8);
            if (magic == Pcapng.BYTE_ORDER_MAGIC) {
                in.bigEndian(false);
            } else if (Integer.reverseBytes(magic) == Pcapng.BYTE_ORDER_MAGIC) {
                in.bigEndian(true);
            } else {
                throw error(off, type, String.format("byte-order magic is 0x%08X, expected"
                        + " 0x1A2B3C4D in either byte order", Integer.reverseBytes(magic)));
            }
        } else if (sections.isEmpty()) {
            throw error(off, type, "a pcapng file must start with a Section Header Block");
        }
        long len = in.u32(s + 4);
        if (len < 12) {
            throw error(off, type, "block total length " + len + " is less than the minimum of 12");
        }
        if ((len & 3) != 0) {
            throw error(off, type, "block total length " + len + " is not a multiple of 4");
        }
        if (len > Pcapng.MAX_BLOCK) {
            throw error(off, type, "block total length " + len + " (0x" + Long.toHexString(len)
                    + ") exceeds the 64 MiB limit" + (in.sizeKnown() ? "; " + Math.max(0, in.size - off)
                    + " bytes remain in the file" : ""));
        }
        if (!in.ensure((int) len)) {
            return sections.isEmpty() ? incompleteFirstSection(len) : end();
        }
        s = in.start;
        int l = (int) len;
        long trailer = in.u32(s + l - 4);
        if (trailer != len) {
            throw error(off, type, "block total length " + len + " does not match the trailing"
                    + " length " + trailer + " at byte offset " + (off + len - 4));
        }
        in.start = s + l;
        blockStart = s;
        blockLength = l;
        recordOffset = off;
        recordType = type;
        int body = s + 8;
        int bodyEnd = s + l - 4;
        switch (type) {
            case Pcapng.EPB:
                need(off, type, body, bodyEnd, 20, "the packet header");
                readPacket(off, type, body, bodyEnd, in.u32(body));
                return RecordKind.PACKET;
            case Pcapng.PB:
                need(off, type, body, bodyEnd, 20, "the packet header");
                readPacket(off, type, body, bodyEnd, in.u16(body)); // then a 16-bit drops count
                return RecordKind.PACKET;
            case Pcapng.SPB:
                readSpb(off, body, bodyEnd);
                return RecordKind.PACKET;
            case Pcapng.SHB:
                readShb(off, body, bodyEnd);
                return null;
            case Pcapng.IDB:
                readIdb(off, body, bodyEnd);
                return null;
            case Pcapng.ISB:
                // statistics of an interface the section does not define are skipped, as tshark
                // and capinfos do: the packets after them are still evidence
                return readIsb(off, body, bodyEnd) ? RecordKind.STATISTICS : null;
            case Pcapng.JOURNAL:
                readJournal(off, body, bodyEnd);
                return RecordKind.JOURNAL;
            case Pcapng.CB_COPY:
            case Pcapng.CB_NOCOPY:
                frame++; // Wireshark lists custom blocks as frames; keep its numbering
                return null;
            case Pcapng.NRB:
                readNrb(body, bodyEnd);
                return null;
            case Pcapng.DSB:
                readDsb(body, bodyEnd);
                return null;
            default:
                return null; // unknown blocks: skipped
        }
    }

    /**
     * A file cut inside its first Section Header Block has no complete part at all: an error, as
     * a classic pcap file cut inside its file header is, rather than "0 packets, truncated".
     */
    private RecordKind incompleteFirstSection(long length) {
        throw error(0, Pcapng.SHB, "the file's first Section Header Block is incomplete: the file has "
                + in.remaining() + " bytes" + (length > 12 ? " of its " + length : "")
                + "; the capture was stopped (or the file cut) before its header was written");
    }

    private void need(long off, int type, int body, int bodyEnd, int n, String what) {
        if (bodyEnd - body < n) {
            throw error(off, type, "block body is " + (bodyEnd - body) + " bytes, too short for " + what
                    + " (" + n + " bytes)");
        }
    }

    private int checkInterface(long off, int type, long id) {
        if (id < 0 || id >= interfaces.size()) {
            throw error(off, type, "refers to interface " + id + " but the section defines "
                    + interfaces.size() + " interface(s)");
        }
        return (int) id;
    }

    /** EPB and the obsolete PB: the same layout after the interface id. */
    private void readPacket(long off, int type, int body, int bodyEnd, long interfaceId) {
        ifId = checkInterface(off, type, interfaceId);
        long units = (in.u32(body + 4) << 32) | in.u32(body + 8);
        long cap = in.u32(body + 12);
        if (cap > bodyEnd - body - 20) {
            throw error(off, type, "captured length " + cap + " runs past the block end ("
                    + (bodyEnd - body - 20) + " bytes of packet data fit)");
        }
        capLen = (int) cap;
        origLen = saturated(in.u32(body + 16));
        ts = nanos(off, type, ifId, units);
        timestamped = true;
        dataOff = body + 20;
        optStart = body + 20 + BlockWriter.pad4(capLen);
        optEnd = bodyEnd;
        packetOptions(off, type, optStart, optEnd);
        frame++;
    }

    private void readSpb(long off, int body, int bodyEnd) {
        need(off, Pcapng.SPB, body, bodyEnd, 4, "the original length");
        ifId = checkInterface(off, Pcapng.SPB, 0);
        long orig = in.u32(body);
        origLen = saturated(orig);
        long cap = Math.min(orig, bodyEnd - body - 4);
        int snaplen = interfaces.get(0).snaplen();
        if (snaplen > 0) {
            cap = Math.min(cap, snaplen);
        }
        capLen = (int) cap;
        ts = 0;
        timestamped = false; // a Simple Packet Block has no timestamp
        dataOff = body + 4;
        optStart = optEnd = 0;
        flags = 0;
        optionCodes = 0;
        frame++;
    }

    /** Walks options, calling {@code sink} with (code, valueStart, length); validates bounds. */
    private void eachOption(long off, int type, int from, int to, OptionSink sink) {
        int p = from;
        while (p + 4 <= to) {
            int code = in.u16(p);
            int len = in.u16(p + 2);
            if (code == Pcapng.OPT_ENDOFOPT) {
                return;
            }
            if (p + 4 + len > to) {
                throw optionPastEnd(off, type, p, code, len);
            }
            sink.option(code, p + 4, len);
            p += 4 + BlockWriter.pad4(len);
        }
    }

    /**
     * {@link #eachOption} for a packet's options, written out: validates them while picking up
     * its epb_flags and the codes present, without allocating and without a call per option
     * through {@link OptionSink} (several lambdas implement it, so under the command line's
     * C1-only JVM each option was a megamorphic interface call).
     */
    private void packetOptions(long off, int type, int from, int to) {
        int fl = 0;
        int codes = 0;
        int p = from;
        boolean big = in.big;
        while (p + 4 <= to) {
            int head = in.i32(p); // code and length in one read
            int code = big ? head >>> 16 : head & 0xFFFF;
            int len = big ? head & 0xFFFF : head >>> 16;
            if (code == Pcapng.OPT_ENDOFOPT) {
                break;
            }
            if (p + 4 + len > to) {
                throw optionPastEnd(off, type, p, code, len);
            }
            if (code == Pcapng.EPB_FLAGS && len == 4) {
                fl = in.i32(p + 4);
            }
            if (code < 32) {
                codes |= 1 << code;
            }
            p += 4 + ((len + 3) & ~3);
        }
        flags = fl;
        optionCodes = codes;
    }

    private RuntimeException optionPastEnd(long off, int type, int p, int code, int len) {
        return error(off, type, "option " + code + " at byte offset " + in.offsetOf(p) + " has length "
                + len + ", running past the block end");
    }

    @FunctionalInterface
    private interface OptionSink {
        void option(int code, int at, int len);
    }

    private String str(int at, int len) {
        int end = at + len;
        while (end > at && in.buf[end - 1] == 0) {
            end--;
        }
        return new String(in.buf, at, end - at, StandardCharsets.UTF_8);
    }

    private void readShb(long off, int body, int bodyEnd) {
        need(off, Pcapng.SHB, body, bodyEnd, 16, "the section header");
        int major = in.u16(body + 4);
        if (major != 1) {
            throw error(off, Pcapng.SHB, "pcapng version " + major + "." + in.u16(body + 6)
                    + " is not supported; only 1.x is");
        }
        SectionHeader.Builder b = SectionHeader.builder().byteOrder(in.order());
        eachOption(off, Pcapng.SHB, body + 16, bodyEnd, (code, at, len) -> {
            switch (code) {
                case Pcapng.OPT_COMMENT: b.comment(str(at, len)); break;
                case Pcapng.SHB_HARDWARE: b.hardware(str(at, len)); break;
                case Pcapng.SHB_OS: b.os(str(at, len)); break;
                case Pcapng.SHB_USERAPPL: b.userAppl(str(at, len)); break;
                default: break;
            }
        });
        section = b.build();
        sections.add(section);
        interfaces.clear();
        latestStats.clear();
    }

    private void readIdb(long off, int body, int bodyEnd) {
        need(off, Pcapng.IDB, body, bodyEnd, 8, "the interface header");
        if (interfaces.size() >= MAX_INTERFACES) {
            throw error(off, Pcapng.IDB, "more than " + MAX_INTERFACES + " interfaces in one section");
        }
        InterfaceDescription.Builder b = InterfaceDescription.builder().linkType(LinkType.of(in.u16(body)))
                .snaplen((int) Math.min(in.u32(body + 4), Integer.MAX_VALUE))
                .tsresol(InterfaceDescription.TSRESOL_MICROS);
        long[] tsOffset = {0};
        eachOption(off, Pcapng.IDB, body + 8, bodyEnd, (code, at, len) -> {
            switch (code) {
                case Pcapng.OPT_COMMENT: b.comment(str(at, len)); break;
                case Pcapng.IF_NAME: b.name(str(at, len)); break;
                case Pcapng.IF_DESCRIPTION: b.description(str(at, len)); break;
                case Pcapng.IF_OS: b.os(str(at, len)); break;
                case Pcapng.IF_FILTER:
                    if (len >= 1 && in.buf[at] == 0) {
                        b.filter(str(at + 1, len - 1));
                    }
                    break;
                case Pcapng.IF_TSRESOL:
                    if (len >= 1) {
                        int raw = in.buf[at] & 0xFF;
                        if (Tsresol.of(raw) == null) {
                            throw error(off, Pcapng.IDB, String.format("if_tsresol 0x%02X is finer than"
                                    + " this reader supports (10^-18 s or 2^-63 s)", raw));
                        }
                        b.tsresol(raw);
                    }
                    break;
                case Pcapng.IF_TSOFFSET:
                    if (len == 8) {
                        tsOffset[0] = in.i64(at); // seconds, applied (range-checked) per timestamp
                    }
                    break;
                default: break;
            }
        });
        InterfaceDescription d = b.build();
        int id = interfaces.size();
        if (id == resolutions.length) {
            resolutions = Arrays.copyOf(resolutions, id * 2);
            tsOffsets = Arrays.copyOf(tsOffsets, id * 2);
        }
        resolutions[id] = Tsresol.of(d.tsresol());
        tsOffsets[id] = tsOffset[0];
        addInterface(d);
    }

    /** Reads an ISB; false (nothing read) when it names an interface the section does not define. */
    private boolean readIsb(long off, int body, int bodyEnd) {
        need(off, Pcapng.ISB, body, bodyEnd, 12, "the statistics header");
        long interfaceId = in.u32(body);
        if (interfaceId >= interfaces.size()) {
            return false;
        }
        int id = (int) interfaceId;
        InterfaceStatistics.Builder b = InterfaceStatistics.builder();
        eachOption(off, Pcapng.ISB, body + 12, bodyEnd, (code, at, len) -> {
            if (code == Pcapng.OPT_COMMENT) {
                b.comment(str(at, len));
                return;
            }
            if (len != 8 || code > Pcapng.ISB_USRDELIV) {
                return;
            }
            long v = Math.max(0, in.i64(at));
            switch (code) {
                case Pcapng.ISB_STARTTIME:
                    b.start(instant(nanos(off, Pcapng.ISB, id, (in.u32(at) << 32) | in.u32(at + 4))));
                    break;
                case Pcapng.ISB_ENDTIME:
                    b.end(instant(nanos(off, Pcapng.ISB, id, (in.u32(at) << 32) | in.u32(at + 4))));
                    break;
                case Pcapng.ISB_IFRECV: b.ifRecv(v); break;
                case Pcapng.ISB_IFDROP: b.ifDrop(v); break;
                case Pcapng.ISB_FILTERACCEPT: b.filterAccept(v); break;
                case Pcapng.ISB_OSDROP: b.osDrop(v); break;
                case Pcapng.ISB_USRDELIV: b.usrDeliv(v); break;
                default: break;
            }
        });
        currentStats = b.build();
        statsIfId = id;
        latestStats.put(id, currentStats);
        return true;
    }

    private void readJournal(long off, int body, int bodyEnd) {
        Object r = Journal.decode(in.buf, body, bodyEnd - body);
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
            int type = in.u16(p);
            int len = in.u16(p + 2);
            int value = p + 4;
            if (type == 0 || value + len > bodyEnd) {
                return;
            }
            int addressLength = type == 1 ? 4 : type == 2 ? 16 : -1;
            if (addressLength > 0 && len > addressLength) {
                addNames(value, addressLength, value + len);
            }
            p = value + BlockWriter.pad4(len);
        }
    }

    private void addNames(int at, int addressLength, int end) {
        InetAddress address;
        try {
            address = InetAddress.getByAddress(Arrays.copyOfRange(in.buf, at, at + addressLength));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
        List<String> names = new ArrayList<>();
        int from = at + addressLength;
        for (int i = from; i < end; i++) {
            if (in.buf[i] == 0) {
                if (i > from) {
                    names.add(new String(in.buf, from, i - from, StandardCharsets.UTF_8));
                }
                from = i + 1;
            }
        }
        if (!names.isEmpty()) {
            nameResolutions.merge(address, names, (a, b) -> {
                List<String> all = new ArrayList<>(a);
                b.stream().filter(n -> !all.contains(n)).forEach(all::add);
                return all;
            });
        }
    }

    /**
     * Decryption Secrets Block: secrets type, length, data (e.g. a TLS key log). A malformed one
     * is skipped like an unknown block: secrets are a convenience, not evidence.
     */
    private void readDsb(int body, int bodyEnd) {
        if (bodyEnd - body < 8) {
            return;
        }
        long type = in.u32(body);
        long len = in.u32(body + 4);
        if (len > bodyEnd - body - 8) {
            return;
        }
        secrets.add(new DecryptionSecrets(type, Arrays.copyOfRange(in.buf, body + 8, body + 8 + (int) len)));
    }

    /**
     * Interface {@code id}'s timestamp {@code units} plus its {@code if_tsoffset} as nanoseconds
     * since the epoch; a time outside the 64-bit nanosecond range (before 1677 or after 2262) is
     * an error rather than a wrapped, wrong time.
     */
    private long nanos(long off, int type, int id, long units) {
        try {
            long ns = resolutions[id].toNanosExact(units);
            long offset = tsOffsets[id];
            return offset == 0 ? ns : Math.addExact(ns, Math.multiplyExact(offset, NS));
        } catch (ArithmeticException e) {
            throw error(off, type, "timestamp " + Long.toUnsignedString(units) + " in units of "
                    + resolutions[id].describe() + (tsOffsets[id] != 0 ? " plus if_tsoffset " + tsOffsets[id] + " s" : "")
                    + " of interface " + id + " lies outside the years 1677-2262 that nanoseconds since 1970"
                    + " in 64 bits can hold; the file is damaged or its writer's clock or resolution is wrong");
        }
    }

    private static Instant instant(long ns) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, NS), Math.floorMod(ns, NS));
    }

    /** The resolution of interface {@code id} of the current section. */
    public Tsresol resolution(int id) {
        return resolutions[id];
    }

    @Override
    public PacketOptions options() {
        requirePacket();
        if (optStart >= optEnd) {
            return PacketOptions.none();
        }
        PacketOptions.Builder b = PacketOptions.builder();
        boolean epb = recordType == Pcapng.EPB;
        eachOption(recordOffset, recordType, optStart, optEnd, (code, at, len) -> {
            switch (code) {
                case Pcapng.OPT_COMMENT:
                    b.comment(str(at, len));
                    break;
                case Pcapng.EPB_FLAGS:
                    if (len == 4) {
                        b.flags(in.i32(at));
                    }
                    break;
                case Pcapng.EPB_DROPCOUNT:
                    if (len == 8 && epb) {
                        b.dropCount(Math.max(0, in.i64(at)));
                    }
                    break;
                case Pcapng.EPB_PACKETID:
                    if (len == 8 && epb && in.i64(at) != Long.MIN_VALUE) {
                        b.packetId(in.i64(at));
                    }
                    break;
                case Pcapng.EPB_VERDICT:
                    if (len >= 1 && epb) {
                        b.rawVerdict(Arrays.copyOfRange(in.buf, at, at + len));
                    }
                    break;
                case Pcapng.EPB_PROCESSID_THREADID:
                    if (len == 8 && epb) {
                        b.processThread(in.u32(at), in.u32(at + 4));
                    }
                    break;
                default:
                    break;
            }
        });
        return b.build();
    }

    @Override
    public JournalEntry journalEntry() {
        return currentJournal != null ? currentJournal : super.journalEntry();
    }

    @Override
    public InterfaceStatistics statistics() {
        return currentStats != null ? currentStats : super.statistics();
    }

    @Override
    public int statisticsInterfaceId() {
        statistics();
        return statsIfId;
    }

    @Override
    public List<SectionHeader> sections() {
        return List.copyOf(sections);
    }

    @Override
    public Map<InetAddress, List<String>> nameResolutions() {
        return Collections.unmodifiableMap(nameResolutions);
    }

    @Override
    public List<DecryptionSecrets> decryptionSecrets() {
        return List.copyOf(secrets);
    }

    @Override
    public List<JournalEntry> journalEntries() {
        return List.copyOf(journal);
    }

    @Override
    public Map<Integer, InterfaceStatistics> latestStatistics() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(latestStats));
    }
}
