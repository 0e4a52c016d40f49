package io.github.pcapunit.core.pcapng.internal;

import io.github.pcapunit.core.PcapFormatException;
import io.github.pcapunit.core.pcapng.DecryptionSecrets;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.InterfaceStatistics;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.Packet;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapReader.RecordKind;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The record walker behind {@link io.github.pcapunit.core.pcapng.PcapReader}: the state of the
 * current record, which both formats share, over one large reusable buffer; records are parsed in
 * place and nothing is allocated per packet. {@link #open} picks the format's subclass,
 * {@link ClassicCursor} or {@link PcapngCursor}, from the first bytes.
 *
 * <pre>{@code
 * try (RecordCursor c = RecordCursor.open(Path.of("capture.pcapng"))) {
 *     while (c.nextPacket()) { total += c.capturedLength(); }
 * }
 * }</pre>
 */
public abstract class RecordCursor implements AutoCloseable {

    static final long NS = 1_000_000_000L;

    final ByteSource in;
    private boolean closed;
    private boolean ended;
    private long truncatedAt = -1;
    private RecordKind kind;
    private ByteBuffer view;

    /**
     * The section being read, null before the first: set by the subclass when it reads one, so
     * that {@link #sectionHeader()}, asked per packet, is a field read.
     */
    SectionHeader section;

    /** Interfaces of the current section (the one of a classic file). */
    final List<InterfaceDescription> interfaces = new ArrayList<>();
    LinkType[] linkTypes = new LinkType[4];

    // the current record, set by the subclass
    long recordOffset = -1;
    int recordType = -1;
    long frame;
    long ts;
    /** False for a packet without a timestamp (a pcapng Simple Packet Block). */
    boolean timestamped = true;
    int ifId;
    int capLen;
    int origLen;
    int dataOff;
    int flags;
    /** Bit {@code c} set: the current packet has an option with code {@code c} (pcapng, codes below 32). */
    int optionCodes;

    RecordCursor(ByteSource in) {
        this.in = in;
    }

    /**
     * Opens a pcap or pcapng file, detecting the format from its first bytes.
     *
     * @throws PcapFormatException if it is neither
     */
    public static RecordCursor open(Path file) {
        return detect(ByteSource.open(file, -1));
    }

    /**
     * Opens a file with a read buffer of {@code bufferBytes} to start with (at least 64; it grows
     * for larger records): for tests and fuzzing of the refill and growth paths, which the
     * default 256 KiB buffer reaches only on larger files.
     *
     * <pre>{@code RecordCursor c = RecordCursor.open(Path.of("a.pcapng"), 64);}</pre>
     */
    public static RecordCursor open(Path file, int bufferBytes) {
        return detect(ByteSource.open(file, -1, bufferBytes));
    }

    /** Reads an in-memory pcap or pcapng image (not copied). */
    public static RecordCursor of(byte[] contents) {
        return detect(ByteSource.of(contents));
    }

    private static RecordCursor detect(ByteSource in) {
        try {
            if (!in.ensure(4)) {
                throw new PcapFormatException(in.name + ": file is " + in.remaining()
                        + " bytes long, too short for a pcap or pcapng header (offset 0); "
                        + "was the capture stopped before it started?", 0, -1);
            }
            return in.le32(in.start) == Pcapng.SHB ? new PcapngCursor(in) : new ClassicCursor(in);
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Whether the file is pcapng (else classic pcap). */
    public abstract boolean isPcapng();

    /** Reads the next record of the format; {@code null} for one that is not a record (e.g. an IDB). */
    abstract RecordKind step();

    // ---- walking ----------------------------------------------------------------------------

    public final boolean nextPacket() {
        RecordKind k;
        do {
            k = next();
        } while (k != RecordKind.PACKET && k != RecordKind.END);
        return k == RecordKind.PACKET;
    }

    public final RecordKind next() {
        checkOpen();
        if (ended) {
            return kind = RecordKind.END;
        }
        RecordKind k;
        do {
            k = step();
        } while (k == null);
        return kind = k;
    }

    /** Like {@link #next()}, but also stops at records that are not packets, journal or statistics. */
    final RecordKind nextRecord() {
        checkOpen();
        return kind = ended ? RecordKind.END : step();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(in.name + " is closed; open it again with PcapReader.open(...)");
        }
    }

    /** Ends the walk where the complete part of the file ends. */
    final RecordKind end() {
        ended = true;
        if (in.remaining() > 0) {
            truncatedAt = in.offsetOf(in.start);
        }
        recordOffset = -1;
        return RecordKind.END;
    }

    /** Continues after {@link #end()}, e.g. after a seek. */
    final void resume() {
        ended = false;
        truncatedAt = -1;
    }

    final void addInterface(InterfaceDescription d) {
        if (interfaces.size() == linkTypes.length) {
            linkTypes = Arrays.copyOf(linkTypes, linkTypes.length * 2);
        }
        linkTypes[interfaces.size()] = d.linkType();
        interfaces.add(d);
    }

    final PcapFormatException error(long offset, long type, String what) {
        String where = type < 0 ? "pcap record at byte offset " + offset
                : Pcapng.describe(type) + " at byte offset " + offset;
        return new PcapFormatException(in.name + ": " + where + ": " + what, offset, type);
    }

    /** A non-negative 32-bit length as an int, saturated. */
    static int saturated(long unsigned) {
        return unsigned > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) unsigned;
    }

    // ---- the current record -------------------------------------------------------------------

    final void requirePacket() {
        if (kind != RecordKind.PACKET) {
            throw new IllegalStateException("no current packet; call nextPacket() (and check it"
                    + " returned true) first");
        }
    }

    public final long frameNumber() {
        return frame;
    }

    public final long recordOffset() {
        return recordOffset;
    }

    /** Raw pcapng block type of the current record, -1 for a classic pcap record. */
    public final int recordType() {
        return recordType;
    }

    public final long timestampNanos() {
        return ts;
    }

    /** Whether the current packet has a timestamp (a Simple Packet Block has none). */
    public final boolean hasTimestamp() {
        return timestamped;
    }

    public final int interfaceId() {
        return ifId;
    }

    public final LinkType linkType() {
        return linkTypes[ifId];
    }

    public final int capturedLength() {
        return capLen;
    }

    public final int originalLength() {
        return origLen;
    }

    /**
     * Whether the packet carries an option with {@code code} (below 32), seen while its options
     * were validated: lets a reader ask for {@link #options()} only when they hold something.
     */
    public final boolean hasOption(int code) {
        return code >= 0 && code < 32 && (optionCodes & (1 << code)) != 0;
    }

    /** The packet's {@code epb_flags}, 0 when it has none. */
    public final int flags() {
        return flags;
    }

    public final byte[] array() {
        return in.buf;
    }

    public final int payloadOffset() {
        return dataOff;
    }

    public final ByteBuffer payload() {
        requirePacket();
        if (view == null || view.array() != in.buf) {
            view = ByteBuffer.wrap(in.buf);
        }
        view.clear();
        view.position(dataOff).limit(dataOff + capLen);
        return view;
    }

    /** The current packet's options; none for a classic pcap record. */
    public PacketOptions options() {
        requirePacket();
        return PacketOptions.none();
    }

    public final Packet packet() {
        requirePacket();
        byte[] data = Arrays.copyOfRange(in.buf, dataOff, dataOff + capLen);
        return timestamped ? new Packet(frame, ts, ifId, linkTypes[ifId], origLen, data, options())
                : Packet.withoutTimestamp(frame, ifId, linkTypes[ifId], origLen, data, options());
    }

    public final List<InterfaceDescription> interfaces() {
        return List.copyOf(interfaces);
    }

    /** How many interfaces the current section has defined so far (no copy). */
    public final int interfaceCount() {
        return interfaces.size();
    }

    public final OptionalLong truncatedAt() {
        return truncatedAt < 0 ? OptionalLong.empty() : OptionalLong.of(truncatedAt);
    }

    // ---- what only pcapng has: a classic file has none of it -----------------------------------

    public JournalEntry journalEntry() {
        throw new IllegalStateException("no current journal entry; call next() until it"
                + " returns RecordKind.JOURNAL first");
    }

    public InterfaceStatistics statistics() {
        throw new IllegalStateException("no current statistics; call next() until it"
                + " returns RecordKind.STATISTICS first");
    }

    public int statisticsInterfaceId() {
        statistics();
        return -1;
    }

    public abstract List<SectionHeader> sections();

    public final SectionHeader sectionHeader() {
        SectionHeader s = section;
        return s == null ? SectionHeader.empty() : s;
    }

    public Map<InetAddress, List<String>> nameResolutions() {
        return Map.of();
    }

    public List<DecryptionSecrets> decryptionSecrets() {
        return List.of();
    }

    public List<JournalEntry> journalEntries() {
        return List.of();
    }

    public Map<Integer, InterfaceStatistics> latestStatistics() {
        return Map.of();
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        in.close();
    }
}
