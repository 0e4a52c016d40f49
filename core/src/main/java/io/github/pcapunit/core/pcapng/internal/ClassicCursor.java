package io.github.pcapunit.core.pcapng.internal;

import io.github.pcapunit.core.PcapFormatException;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PcapReader.RecordKind;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.nio.file.Path;
import java.util.List;

/**
 * Classic pcap (the file libpcap's dumper writes): a 24-byte file header, then 16-byte record
 * headers each followed by the packet. All four magics (µs/ns, either byte order) are read, and
 * two old variants that kept the standard microsecond magic but lengthened the record header:
 * RedHat 6.1's patched libpcap (24 bytes: + interface index, protocol, packet type, padding) and
 * Nokia IPSO's (20 bytes). Like Wireshark, the variant is told from the first records: only when
 * they are impossible with 16-byte headers but read cleanly with one of the longer ones. The
 * engine also reads the native files of a running capture with it, from a record offset found by
 * an earlier pass and up to the bytes flushed so far ({@link #open(Path, long, long)}).
 *
 * <pre>{@code
 * try (ClassicCursor c = ClassicCursor.open(Path.of("eth0.pcap"), 0, -1)) {
 *     while (c.nextPacket()) { count++; }
 * }
 * }</pre>
 */
public final class ClassicCursor extends RecordCursor {

    static final int FILE_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    /** RedHat 6.1 ("ss990417") and Nokia record headers, in the order they are tried. */
    private static final int[] VARIANT_HEADERS = {24, 20};
    /** Records probed to tell the variant. */
    private static final int PROBED = 3;
    /** Largest plausible captured length when the snaplen does not say more (libpcap's maximum). */
    private static final int MAX_SNAPLEN = 262_144;

    private final long subsecondNanos;
    private final int recordHeader;

    ClassicCursor(ByteSource in) {
        super(in);
        int le = in.le32(in.start);
        int be = Integer.reverseBytes(le);
        if (le == Pcapng.PCAP_MICROS || be == Pcapng.PCAP_MICROS) {
            subsecondNanos = 1000;
        } else if (le == Pcapng.PCAP_NANOS || be == Pcapng.PCAP_NANOS) {
            subsecondNanos = 1;
        } else {
            throw new PcapFormatException(String.format("%s: not a pcap or pcapng file: it starts with"
                    + " 0x%08X at byte offset 0; expected the pcapng block type 0x0A0D0D0A or a pcap"
                    + " magic (0xA1B2C3D4 microseconds, 0xA1B23C4D nanoseconds, either byte order)%s",
                    in.name, be, (be >>> 16) == 0x1F8B ? "; it looks gzip-compressed: name it *.gz to have it"
                            + " decompressed as it is read, or gunzip it first" : ""), 0, -1);
        }
        in.bigEndian(be == Pcapng.PCAP_MICROS || be == Pcapng.PCAP_NANOS);
        if (!in.ensure(FILE_HEADER)) {
            throw new PcapFormatException(in.name + ": pcap file header at byte offset 0 is incomplete: "
                    + in.remaining() + " of 24 bytes", 0, -1);
        }
        int major = in.u16(4);
        if (major != 2) {
            throw new PcapFormatException(in.name + ": pcap file header at byte offset 0 has version "
                    + major + "." + in.u16(6) + "; only version 2.x exists", 0, -1);
        }
        section = SectionHeader.builder().byteOrder(in.order()).build();
        recordHeader = subsecondNanos == 1000 ? recordHeader(Math.max(0, in.i32(16))) : RECORD_HEADER;
        addInterface(InterfaceDescription.builder()
                .linkType(LinkType.of(in.i32(20) & 0x03FF_FFFF))
                .snaplen(Math.max(0, in.i32(16)))
                .tsresol(subsecondNanos == 1 ? InterfaceDescription.TSRESOL_NANOS : InterfaceDescription.TSRESOL_MICROS)
                .build());
        in.start = FILE_HEADER;
    }

    /**
     * Opens a classic pcap file at record offset {@code from} (0 or the header size: the first
     * record), reading at most its first {@code limit} bytes (all if negative). A record cut short
     * at the limit counts as the end, as in a file still being written.
     *
     * @throws PcapFormatException if it is not a classic pcap file
     */
    public static ClassicCursor open(Path file, long from, long limit) {
        ByteSource in = ByteSource.open(file, limit);
        try {
            if (!in.ensure(4)) {
                throw new PcapFormatException(file + ": file is " + in.remaining()
                        + " bytes long, too short for a pcap header (offset 0)", 0, -1);
            }
            if (in.le32(in.start) == Pcapng.SHB) {
                throw new PcapFormatException(file + " is already a pcapng file (byte offset 0);"
                        + " conversion takes classic pcap inputs, as libpcap writes them", 0, Pcapng.SHB);
            }
            ClassicCursor c = new ClassicCursor(in);
            if (from > FILE_HEADER) {
                in.seek(from);
            }
            return c;
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * The record header length of a microsecond file: 16, unless the first records are impossible
     * with 16 bytes (captured length above the original or the snaplen, microseconds past a
     * second) and read cleanly, to the end of the file or for {@value #PROBED} records, with a
     * variant's longer header.
     */
    private int recordHeader(int snaplen) {
        if (probe(RECORD_HEADER, snaplen) != Probe.IMPOSSIBLE) {
            return RECORD_HEADER;
        }
        for (int header : VARIANT_HEADERS) {
            if (probe(header, snaplen) == Probe.CLEAN) {
                return header;
            }
        }
        return RECORD_HEADER;
    }

    private enum Probe { CLEAN, CUT, IMPOSSIBLE }

    /** How the first records read with {@code header}-byte record headers (the buffer starts at offset 0). */
    private Probe probe(int header, int snaplen) {
        long p = FILE_HEADER;
        for (int i = 0; i < PROBED; i++) {
            if (p == in.size) {
                return Probe.CLEAN;
            }
            if (p + RECORD_HEADER > Pcapng.MAX_BLOCK || !in.ensure((int) p + RECORD_HEADER)) {
                // a compressed file learns its size only here, at its end
                return p == in.size ? Probe.CLEAN : Probe.CUT;
            }
            int s = (int) p;
            long incl = in.u32(s + 8);
            if (in.u32(s + 4) >= 1_000_000 || incl > in.u32(s + 12) || (incl > MAX_SNAPLEN && incl > snaplen)) {
                return Probe.IMPOSSIBLE;
            }
            p += header + incl;
        }
        return Probe.CLEAN;
    }

    @Override
    public boolean isPcapng() {
        return false;
    }

    @Override
    RecordKind step() {
        if (!in.ensure(RECORD_HEADER)) {
            return end();
        }
        int s = in.start;
        long incl = in.u32(s + 8);
        if (incl > Pcapng.MAX_BLOCK) {
            throw error(in.offsetOf(s), -1, "captured length " + incl + " exceeds the 64 MiB limit;"
                    + " the file is damaged or not a pcap file");
        }
        if (!in.ensure(recordHeader + (int) incl)) {
            return end();
        }
        s = in.start;
        recordOffset = in.offsetOf(s);
        ts = in.u32(s) * NS + in.u32(s + 4) * subsecondNanos;
        capLen = (int) incl;
        origLen = saturated(in.u32(s + 12));
        dataOff = s + recordHeader;
        in.start = dataOff + capLen;
        frame++;
        return RecordKind.PACKET;
    }

    /** File offset just after the current record. */
    public long endOfRecord() {
        return recordOffset + recordHeader + capLen;
    }

    @Override
    public List<SectionHeader> sections() {
        return List.of(section);
    }
}
