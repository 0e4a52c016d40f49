package io.github.pcapunit.core;

import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.InterfaceStatistics;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.Packet;
import io.github.pcapunit.core.pcapng.PcapConversion;
import io.github.pcapunit.core.pcapng.PcapReader;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConversionTest {

    @TempDir
    Path dir;

    static final long T = 1_714_558_530_000_000_000L;

    private Path pcap(String name, int linkType, long[] ts, byte[][] frames) {
        int[] orig = new int[frames.length];
        for (int i = 0; i < frames.length; i++) {
            orig[i] = frames[i].length;
        }
        return PcapTools.write(dir.resolve(name),
                PcapTools.classicPcap(ByteOrder.LITTLE_ENDIAN, true, linkType, 65535, ts, frames, orig));
    }

    private static byte[][] frames(int n, int seq) {
        byte[][] f = new byte[n][];
        for (int i = 0; i < n; i++) {
            f[i] = PcapTools.udpFrame(60 + i, seq + i);
        }
        return f;
    }

    private static Instant at(long ns) {
        return Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L);
    }

    @Test
    void onePcapWithMetadataAndJournal_becomesPcapngThatTsharkAgreesWith() {
        Path in = pcap("in.pcap", 1, new long[] {T, T + 10, T + 20_000, T + 30_000}, frames(4, 0));
        JournalEntry mid = JournalEntry.builder(at(T + 15_000)).field("MESSAGE", "between 2 and 3").build();
        JournalEntry first = JournalEntry.builder(at(T - 1_000)).field("MESSAGE", "test started").build();
        InterfaceStatistics stats = InterfaceStatistics.builder().ifRecv(4).ifDrop(0).osDrop(1).build();
        Path out = dir.resolve("out.pcapng");
        PcapConversion.Summary s = PcapConversion.builder()
                .section(SectionHeader.builder().userAppl("pcapunit").comment("test run").build())
                .addInput(in, InterfaceDescription.builder().name("lo").filter("udp").build(), stats)
                .journal(List.of(mid, first))
                .build().convert(out);
        assertThat(s.packets()).isEqualTo(4);
        assertThat(s.journalEntries()).isEqualTo(2);
        assertThat(s.sizeCapped()).isFalse();
        assertThat(out).hasSize(s.bytes());

        List<String> rows = PcapTools.tsharkFields(out, "frame.number", "frame.interface_name",
                "systemd_journal.message", "frame.cap_len");
        assertThat(rows).containsExactly("1||test started|59", "2|lo||60", "3|lo||61",
                "4||between 2 and 3|62", "5|lo||62", "6|lo||63");
        try (PcapReader r = PcapReader.open(out)) {
            assertThat(r.next()).isEqualTo(PcapReader.RecordKind.JOURNAL);
            assertThat(r.journalEntry()).isEqualTo(first);
            assertThat(r.nextPacket()).isTrue();
            assertThat(r.interfaces().get(0).linkType()).isEqualTo(LinkType.ETHERNET);
            assertThat(r.interfaces().get(0).snaplen()).isEqualTo(65535);
            assertThat(r.interfaces().get(0).filter()).hasValue("udp");
            assertThat(r.timestampNanos()).isEqualTo(T);
            while (r.next() != PcapReader.RecordKind.END) {
                // to the statistics at the end
            }
            assertThat(r.latestStatistics()).containsEntry(0, stats);
        }

        // editcap -F pcapng of the same input gives the same packets and timestamps
        Path ref = dir.resolve("ref.pcapng");
        PcapTools.run("editcap", "-F", "pcapng", in.toString(), ref.toString());
        assertThat(PcapTools.tsharkFields(out, "frame.time_epoch", "frame.len", "frame.protocols")
                .stream().filter(l -> !l.contains("systemd")).collect(Collectors.toList()))
                .isEqualTo(PcapTools.tsharkFields(ref, "frame.time_epoch", "frame.len", "frame.protocols"));
    }

    @Test
    void twoInputs_areMergedInTimestampOrder_oneInterfaceEach() {
        Path a = pcap("a.pcap", 1, new long[] {T, T + 300, T + 301}, frames(3, 0));
        Path b = pcap("b.pcap", 101, new long[] {T + 100, T + 300, T + 900},
                new byte[][] {new byte[40], new byte[41], new byte[42]});
        Path out = dir.resolve("merged.pcapng");
        PcapConversion.Summary s = PcapConversion.builder()
                .addInput(a, InterfaceDescription.builder().name("eth0").build(), null)
                .addInput(b, InterfaceDescription.builder().name("tun0").build(), null)
                .build().convert(out);
        assertThat(s.packets()).isEqualTo(6);
        assertThat(PcapTools.tsharkFields(out, "frame.interface_name", "frame.cap_len"))
                .containsExactly("eth0|60", "tun0|40", "eth0|61", "tun0|41", "eth0|62", "tun0|42");
        try (PcapReader r = PcapReader.open(out)) {
            assertThat(r.packets().map(Packet::linkType).distinct())
                    .containsExactly(LinkType.ETHERNET, LinkType.RAW);
        }
    }

    private static byte[] sll2(int packetType) {
        ByteBuffer b = ByteBuffer.allocate(20 + 28);
        b.putShort((short) 0x0800).putShort((short) 0).putInt(1).putShort((short) 1)
                .put((byte) packetType).put((byte) 6).put(new byte[8]);
        b.put(Arrays.copyOfRange(PcapTools.udpFrame(42, packetType), 14, 42));
        return b.array();
    }

    private static byte[] sll(int packetType) {
        ByteBuffer b = ByteBuffer.allocate(16 + 28);
        b.putShort((short) packetType).putShort((short) 1).putShort((short) 6).put(new byte[8])
                .putShort((short) 0x0800);
        b.put(Arrays.copyOfRange(PcapTools.udpFrame(42, packetType), 14, 42));
        return b.array();
    }

    @Test
    void cookedCaptures_packetTypeBecomesDirectionFlags_asTsharkShows() {
        long[] ts = {T, T + 1, T + 2, T + 3};
        byte[][] v2 = {sll2(0), sll2(4), sll2(1), sll2(2)};
        byte[][] v1 = {sll(4), sll(0), sll(3), sll(4)};
        Path out2 = dir.resolve("sll2.pcapng");
        Path out1 = dir.resolve("sll.pcapng");
        PcapConversion.builder().addInput(pcap("sll2.pcap", 276, ts, v2)).build().convert(out2);
        PcapConversion.builder().addInput(pcap("sll.pcap", 113, ts, v1)).build().convert(out1);
        assertThat(PcapTools.tsharkFields(out2, "frame.packet_flags_direction", "frame.packet_flags_reception_type"))
                .containsExactly("0x00000001|1", "0x00000002|0", "0x00000001|3", "0x00000001|2");
        assertThat(PcapTools.tsharkFields(out1, "frame.packet_flags_direction"))
                .containsExactly("0x00000002", "0x00000001", "0x00000001", "0x00000002");
        try (PcapReader r = PcapReader.open(out2)) {
            assertThat(r.packets().map(Packet::direction)).containsExactly(Direction.INBOUND,
                    Direction.OUTBOUND, Direction.INBOUND, Direction.INBOUND);
        }
    }

    @Test
    void sizeCap_stopsBeforeTheLimit_reportsIt_andSaysWhereItWasCut() {
        int n = 200;
        long[] ts = new long[n];
        byte[][] f = new byte[n][];
        for (int i = 0; i < n; i++) {
            ts[i] = T + i * 1000L;
            f[i] = PcapTools.udpFrame(200, i);
        }
        Path out = dir.resolve("capped.pcapng");
        PcapConversion.Summary s = PcapConversion.builder()
                .addInput(pcap("big.pcap", 1, ts, f), null,
                        InterfaceStatistics.builder().ifRecv(n).comment("libpcap stats").build())
                .maxBytes(10_000).build().convert(out);
        assertThat(s.sizeCapped()).isTrue();
        assertThat(s.packets()).isPositive();
        assertThat(s.packets() + s.packetsNotWritten()).isEqualTo(n);
        assertThat(out).hasSize(s.bytes());
        assertThat(s.bytes()).isLessThanOrEqualTo(10_000);
        List<String> rows = PcapTools.tsharkFields(out, "systemd_journal.message");
        assertThat(rows).hasSize((int) s.packets() + 1);
        assertThat(rows.get(rows.size() - 1)).contains("size cap of 10000 bytes")
                .contains(s.packetsNotWritten() + " later packet(s) were not written");
        try (PcapReader r = PcapReader.open(out)) {
            while (r.next() != PcapReader.RecordKind.END) {
                // to the end
            }
            assertThat(r.latestStatistics().get(0).comment().orElseThrow())
                    .startsWith("libpcap stats; pcapunit: file size cap");
            assertThat(r.latestStatistics().get(0).ifRecv()).hasValue(n);
        }
    }

    @Test
    void addComments_annotatesGivenFrames_leavesTheRestByteIdentical() throws Exception {
        Path in = pcap("in.pcap", 1, new long[] {T, T + 1000, T + 2000, T + 3000}, frames(4, 0));
        Path out = dir.resolve("annotated.pcapng");
        PcapConversion.builder().addInput(in)
                .journal(List.of(JournalEntry.builder(at(T + 2500)).field("MESSAGE", "drop").build()))
                .build().convert(out);
        // frames: 1 pkt, 2 pkt, 3 journal (between packets 2 and 3 in time), 4 pkt, 5 pkt
        List<String> before = PcapTools.tsharkFields(out, "frame.number", "systemd_journal.message");
        assertThat(before).containsExactly("1|", "2|", "3|drop", "4|", "5|");
        int n = PcapConversion.addComments(out, Map.of(2L, List.of("dropped: NETFILTER_DROP", "second"),
                5L, List.of("last")));
        assertThat(n).isEqualTo(2);
        assertThat(PcapTools.tsharkFields(out, "frame.number", "frame.comment"))
                .containsExactly("1|", "2|dropped: NETFILTER_DROP;second", "3|", "4|", "5|last");
        try (PcapReader r = PcapReader.open(out)) {
            assertThat(r.packets().map(p -> p.data().length)).containsExactly(60, 61, 62, 63);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(Files.getPosixFilePermissions(in));
    }

    @Test
    void sizeCap_alsoCountsJournalEntries_andNeverExceedsTheCap() {
        int n = 50;
        long[] ts = new long[n];
        byte[][] f = new byte[n][];
        JournalEntry[] journal = new JournalEntry[n];
        for (int i = 0; i < n; i++) {
            ts[i] = T + i * 1000L;
            f[i] = PcapTools.udpFrame(60, i);
            journal[i] = JournalEntry.builder(at(T + i * 1000L)).field("MESSAGE", "x".repeat(300)).build();
        }
        Path out = dir.resolve("journal-capped.pcapng");
        PcapConversion.Summary s = PcapConversion.builder().addInput(pcap("j.pcap", 1, ts, f))
                .addInput(pcap("k.pcap", 1, ts, f))
                .journal(List.of(journal)).maxBytes(8192).build().convert(out);
        assertThat(s.sizeCapped()).isTrue();
        assertThat(s.bytes()).isEqualTo(out.toFile().length()).isLessThanOrEqualTo(8192);
        assertThat(s.packets() + s.packetsNotWritten()).isEqualTo(2L * n);
        List<String> messages = PcapTools.tsharkFields(out, "systemd_journal.message");
        assertThat(messages.get(messages.size() - 1)).contains("journal entr(y/ies)");
    }

    @Test
    void addComments_badFrame_failsAndLeavesFileUntouched() throws Exception {
        Path out = dir.resolve("x.pcapng");
        PcapConversion.builder().addInput(pcap("in.pcap", 1, new long[] {T}, frames(1, 0)))
                .journal(List.of(JournalEntry.builder(at(T + 5000)).field("MESSAGE", "j").build()))
                .build().convert(out);
        byte[] original = Files.readAllBytes(out);
        assertThatThrownBy(() -> PcapConversion.addComments(out, Map.of(9L, List.of("x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("frame 9 does not exist")
                .hasMessageContaining("has 2 frame(s)");
        assertThatThrownBy(() -> PcapConversion.addComments(out, Map.of(2L, List.of("x"))))
                .hasMessageContaining("frame 2 is a Journal Export Block");
        assertThatThrownBy(() -> PcapConversion.addComments(out, Map.of(0L, List.of("x"))))
                .hasMessageContaining("frame number 0 is invalid");
        assertThat(Files.readAllBytes(out)).isEqualTo(original);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("in.pcap", "x.pcapng");
        }
    }

    @Test
    void badInputs_failBeforeTheOutputIsCreated() {
        Path out = dir.resolve("never.pcapng");
        Path png = dir.resolve("already.pcapng");
        try (PcapngWriter w = PcapngWriter.open(png, SectionHeader.empty())) {
            w.flush();
        }
        assertThatThrownBy(() -> PcapConversion.builder().addInput(png).build().convert(out))
                .isInstanceOf(PcapFormatException.class).hasMessageContaining("already a pcapng file");
        assertThatThrownBy(() -> PcapConversion.builder().addInput(dir.resolve("nope.pcap")).build().convert(out))
                .isInstanceOf(CaptureException.class).hasMessageContaining("nope.pcap");
        Path in = pcap("in.pcap", 1, new long[] {T}, frames(1, 0));
        assertThatThrownBy(() -> PcapConversion.builder().addInput(in).build().convert(in))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is also an input");
        assertThatThrownBy(() -> PcapConversion.builder().maxBytes(100))
                .hasMessageContaining("maxBytes 100 is too small");
        assertThatThrownBy(() -> PcapConversion.builder().build()).hasMessageContaining("call addInput");
        assertThat(out).doesNotExist();
    }
}
