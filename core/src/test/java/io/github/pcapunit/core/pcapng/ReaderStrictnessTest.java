package io.github.pcapunit.core.pcapng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.PcapFormatException;
import io.github.pcapunit.core.PcapTools;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reader is as strict as the damage warrants, the same way everywhere (issue 14, item 6):
 * statistics of an interface that does not exist are skipped, not fatal; the classic pcap
 * variants with longer record headers are read, not shifted; an impossible timestamp is an error,
 * not a wrapped time; a Simple Packet Block has no timestamp rather than 1970; a file cut inside
 * its first header is an error in both formats. tshark and capinfos referee where they have a
 * view.
 */
class ReaderStrictnessTest {

    private static final long T0 = 1_700_000_000_123_456_000L;

    @TempDir
    Path dir;

    // ---- pcapng blocks by hand, little endian ----------------------------------------------

    private static byte[] block(int type, byte[] body) {
        int len = 12 + body.length;
        return ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(type).putInt(len).put(body).putInt(len).array();
    }

    private static byte[] shb() {
        return block(0x0A0D0D0A, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1).array());
    }

    /** Ethernet, nanosecond resolution, optionally an if_tsoffset (seconds). */
    private static byte[] idb(Long tsOffsetSeconds) {
        ByteBuffer b = ByteBuffer.allocate(8 + 8 + (tsOffsetSeconds != null ? 12 : 0) + 4).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 1).putShort((short) 0).putInt(0)
                .putShort((short) 9).putShort((short) 1).putInt(9); // if_tsresol 9 (+3 padding bytes)
        if (tsOffsetSeconds != null) {
            b.putShort((short) 14).putShort((short) 8).putLong(tsOffsetSeconds);
        }
        b.putInt(0); // opt_endofopt
        return block(1, b.array());
    }

    private static byte[] epb(int interfaceId, long units, byte[] frame) {
        int padded = (frame.length + 3) & ~3;
        return block(6, ByteBuffer.allocate(20 + padded).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(interfaceId).putInt((int) (units >>> 32)).putInt((int) units)
                .putInt(frame.length).putInt(frame.length).put(frame).array());
    }

    private static byte[] spb(byte[] frame) {
        int padded = (frame.length + 3) & ~3;
        return block(3, ByteBuffer.allocate(4 + padded).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(frame.length).put(frame).array());
    }

    private static byte[] isb(int interfaceId, long ifRecv) {
        return block(5, ByteBuffer.allocate(12 + 12 + 4).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(interfaceId).putInt(0).putInt(0)
                .putShort((short) 4).putShort((short) 8).putLong(ifRecv).putInt(0).array());
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** An Ethernet frame whose payload carries {@code mark}. */
    private static byte[] frame(int mark) {
        byte[] f = new byte[60];
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xB5; // local experimental EtherType
        Arrays.fill(f, 14, 60, (byte) mark);
        return f;
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    private static List<Packet> packets(Path file) {
        try (PcapReader r = PcapReader.open(file)) {
            List<Packet> all = new ArrayList<>();
            r.forEach(all::add);
            assertThat(r.truncatedAt()).as("truncation of %s", file).isEmpty();
            return all;
        }
    }

    // ---- the defects ---------------------------------------------------------------------------

    @Test
    void statisticsOfAnInterfaceTheSectionLacks_areSkipped_andThePacketsAfterThemRead() throws Exception {
        // GIVEN one interface, a packet, statistics naming interface 5, another packet, real statistics
        Path file = write("isb.pcapng", concat(shb(), idb(null), epb(0, T0, frame(1)), isb(5, 99),
                epb(0, T0 + 1000, frame(2)), isb(0, 2)));

        // THEN both packets are read, the bogus statistics are not reported, the real ones are
        List<Packet> packets;
        List<Long> received = new ArrayList<>();
        try (PcapReader r = PcapReader.open(file)) {
            packets = new ArrayList<>();
            for (PcapReader.RecordKind k = r.next(); k != PcapReader.RecordKind.END; k = r.next()) {
                if (k == PcapReader.RecordKind.PACKET) {
                    packets.add(r.packet());
                } else if (k == PcapReader.RecordKind.STATISTICS) {
                    assertThat(r.statisticsInterfaceId()).isZero();
                    received.add(r.statistics().ifRecv().orElseThrow());
                }
            }
        }
        assertThat(packets).extracting(Packet::frameNumber).containsExactly(1L, 2L);
        assertThat(received).containsExactly(2L);
        // the referees skip it too and read both packets
        assertThat(PcapTools.tsharkFields(file, "frame.number")).containsExactly("1", "2");
        assertThat(String.join("\n", PcapTools.run("capinfos", "-c", "-M", file.toString())))
                .containsPattern("Number of packets:\\s+2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rh6_1pcap", "nokiapcap"})
    void pcapVariantWithLongerRecordHeaders_isReadAsTsharkReadsIt(String editcapFormat) throws Exception {
        // GIVEN a standard file of 4 frames, and editcap's copy in the variant (same magic, longer headers)
        byte[][] frames = {frame(1), frame(2), Arrays.copyOf(frame(3), 42), frame(4)};
        long[] times = {T0, T0 + 1_000, T0 + 2_000_000, T0 + 3_000_000_000L};
        Path standard = write("standard.pcap", PcapTools.classicPcap(ByteOrder.LITTLE_ENDIAN, false, 1, 65535,
                times, frames, new int[] {60, 60, 60, 60}));
        Path variant = dir.resolve(editcapFormat + ".pcap");
        PcapTools.run("editcap", "-F", editcapFormat, standard.toString(), variant.toString());
        assertThat(Files.size(variant)).isGreaterThan(Files.size(standard)); // the longer headers

        // THEN it reads as the standard file: same times, lengths and bytes, as tshark sees them
        List<Packet> expected = packets(standard);
        List<Packet> actual = packets(variant);
        assertThat(actual).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(actual.get(i).timestampNanos()).isEqualTo(expected.get(i).timestampNanos());
            assertThat(actual.get(i).originalLength()).isEqualTo(expected.get(i).originalLength());
            assertThat(actual.get(i).data()).isEqualTo(expected.get(i).data());
        }
        assertThat(PcapTools.tsharkFields(variant, "frame.time_epoch", "frame.len", "frame.cap_len"))
                .isEqualTo(PcapTools.tsharkFields(standard, "frame.time_epoch", "frame.len", "frame.cap_len"));
    }

    @Test
    void timestampPastTheYear2262_isRejectedWithItsOffset_notWrapped() throws Exception {
        // GIVEN nanosecond units of 2^63 + 1: the year 2262 and a bit
        byte[] ok = epb(0, T0, frame(1));
        int badAt = shb().length + idb(null).length + ok.length;
        Path file = write("y2262.pcapng", concat(shb(), idb(null), ok, epb(0, Long.MIN_VALUE + 1, frame(2))));

        try (PcapReader r = PcapReader.open(file)) {
            assertThat(r.nextPacket()).isTrue();
            assertThat(r.timestampNanos()).isEqualTo(T0);
            assertThatThrownBy(r::nextPacket).isInstanceOf(PcapFormatException.class)
                    .hasMessageContaining("byte offset " + badAt).hasMessageContaining("2262")
                    .satisfies(e -> assertThat(((PcapFormatException) e).offset()).isEqualTo(badAt));
        }
    }

    @Test
    void hugeIfTsoffset_isRejected_notWrappedToANegativeTime() throws Exception {
        // GIVEN if_tsoffset of 10^10 s (the year 2286) on an ordinary timestamp
        Path file = write("tsoffset.pcapng", concat(shb(), idb(10_000_000_000L), epb(0, T0, frame(1))));

        try (PcapReader r = PcapReader.open(file)) {
            assertThatThrownBy(r::nextPacket).isInstanceOf(PcapFormatException.class)
                    .hasMessageContaining("if_tsoffset 10000000000 s").hasMessageContaining("2262");
        }
        // a modest offset still applies
        try (PcapReader r = PcapReader.of(concat(shb(), idb(-3600L), epb(0, T0, frame(1))))) {
            assertThat(r.nextPacket()).isTrue();
            assertThat(r.timestampNanos()).isEqualTo(T0 - 3_600_000_000_000L);
        }
    }

    @Test
    void simplePacketBlock_hasNoTimestamp_notTheEpoch() throws Exception {
        Path file = write("spb.pcapng", concat(shb(), idb(null), epb(0, T0, frame(1)), spb(frame(2))));

        List<Boolean> cursor = new ArrayList<>();
        try (PcapReader r = PcapReader.open(file)) {
            while (r.nextPacket()) {
                cursor.add(r.hasTimestamp());
            }
        }
        List<Packet> packets = packets(file);

        assertThat(cursor).containsExactly(true, false);
        assertThat(packets).extracting(Packet::hasTimestamp).containsExactly(true, false);
        assertThat(packets.get(0).timestampNanos()).isEqualTo(T0);
        assertThat(packets.get(1).toString()).contains("no timestamp").doesNotContain("1970");
        assertThat(packets.get(1).data()).isEqualTo(frame(2));
        // tshark: a time for the EPB, none for the SPB
        assertThat(PcapTools.tsharkFields(file, "frame.time_epoch"))
                .satisfies(l -> assertThat(PcapTools.epochNanos(l.get(0))).isEqualTo(T0))
                .satisfies(l -> assertThat(l.get(1)).isBlank());
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 8, 10, 12, 27})
    void pcapngCutInsideItsFirstSectionHeader_isAnError_likeACutPcapHeader(int keep) {
        byte[] cut = Arrays.copyOf(concat(shb(), idb(null)), keep);

        assertThatThrownBy(() -> PcapReader.of(cut)).isInstanceOf(PcapFormatException.class)
                .hasMessageContaining("Section Header Block").hasMessageContaining("incomplete")
                .satisfies(e -> assertThat(((PcapFormatException) e).offset()).isZero());

        byte[] pcap = PcapTools.classicPcap(ByteOrder.LITTLE_ENDIAN, false, 1, 65535,
                new long[] {T0}, new byte[][] {frame(1)}, new int[] {60});
        assertThatThrownBy(() -> PcapReader.of(Arrays.copyOf(pcap, Math.min(keep, 23)))).isInstanceOf(PcapFormatException.class)
                .satisfies(e -> assertThat(((PcapFormatException) e).offset()).isZero());
    }

    @Test
    void pcapngCutAfterItsFirstSectionHeader_stillReadsAsTruncated() {
        byte[] whole = concat(shb(), idb(null), epb(0, T0, frame(1)), epb(0, T0 + 1, frame(2)));
        byte[] cut = Arrays.copyOf(whole, whole.length - 10);

        try (PcapReader r = PcapReader.of(cut)) {
            assertThat(r.nextPacket()).isTrue();
            assertThat(r.nextPacket()).isFalse();
            assertThat(r.truncatedAt()).hasValue(whole.length - epb(0, T0 + 1, frame(2)).length);
        }
    }
}
