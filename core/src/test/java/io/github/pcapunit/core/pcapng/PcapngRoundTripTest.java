package io.github.pcapunit.core.pcapng;

import io.github.pcapunit.core.CaptureException;

import io.github.pcapunit.core.PcapTools;

import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.InterfaceStatistics;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.Packet;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapReader;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.pcapng.PcapReader.RecordKind;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapngRoundTripTest {

    @TempDir
    Path dir;

    static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123456789Z");

    static final SectionHeader SHB = SectionHeader.builder().hardware("AMD EPYC").os("Linux 6.1")
            .userAppl("pcapunit test").comment("first comment").comment("zweiter Kommentar ü").build();
    static final InterfaceDescription ETH = InterfaceDescription.builder().linkType(LinkType.ETHERNET)
            .snaplen(262144).name("lo").description("loopback").filter("tcp port 1433").os("Linux")
            .comment("iface comment").build();
    static final InterfaceDescription RAW_MICROS = InterfaceDescription.builder().linkType(LinkType.RAW)
            .snaplen(65535).name("tun0").tsresol(InterfaceDescription.TSRESOL_MICROS).build();
    static final InterfaceDescription SLL2_POW2 = InterfaceDescription.builder().linkType(LinkType.LINUX_SLL2)
            .name("any").tsresol(0x80 | 20).build();

    static final PacketOptions ALL_OPTIONS = PacketOptions.builder()
            .comment("first").comment("second")
            .direction(Direction.OUTBOUND)
            .dropCount(7)
            .packetId(0x1122334455667788L)
            .verdict(PacketOptions.VERDICT_LINUX_EBPF_XDP, 1L)
            .verdict(PacketOptions.VERDICT_HARDWARE, new byte[] {1, 2, 3})
            .processThread(4242, 4243)
            .build();

    @Test
    void everyBlockAndOption_writtenAndReadBack_isIdentical() {
        Path f = dir.resolve("all.pcapng");
        byte[] frame = PcapTools.udpFrame(75, 1);
        InterfaceStatistics stats = InterfaceStatistics.builder().start(T0).end(T0.plusSeconds(2))
                .ifRecv(100).ifDrop(1).osDrop(2).filterAccept(90).usrDeliv(88).comment("stats").build();
        JournalEntry journal = JournalEntry.builder(T0.plusMillis(1))
                .field("MESSAGE", "packet dropped by nftables")
                .field("PCAPUNIT_EVENT", "kfree_skb")
                .field("PCAPUNIT_REASON", "NETFILTER_DROP")
                .field("PCAPUNIT_NFT_COMMENT", "line one\nline two")
                .build();
        long written;
        try (PcapngWriter w = PcapngWriter.open(f, SHB, ETH, RAW_MICROS)) {
            assertThat(w.addInterface(SLL2_POW2)).isEqualTo(2);
            w.writePacket(0, T0, 100, frame, 0, frame.length, ALL_OPTIONS);
            w.writePacket(1, T0.plusNanos(1500), frame.length, frame, 0, frame.length, null);
            w.writePacket(2, T0.plusSeconds(1), frame.length, frame, 0, frame.length,
                    PacketOptions.builder().direction(Direction.INBOUND).build());
            w.writeJournal(journal);
            w.writeStatistics(0, stats);
            w.flush();
            written = w.bytesWritten();
        }
        assertThat(f).hasSize(written);

        try (PcapReader r = PcapReader.open(f)) {
            assertThat(r.isPcapng()).isTrue();
            assertThat(r.nextPacket()).isTrue();
            assertThat(r.sectionHeader()).isEqualTo(SHB);
            assertThat(r.interfaces()).containsExactly(ETH, RAW_MICROS, SLL2_POW2);
            assertThat(r.timestamp()).isEqualTo(T0);
            assertThat(r.interfaceId()).isZero();
            assertThat(r.linkType()).isEqualTo(LinkType.ETHERNET);
            assertThat(r.capturedLength()).isEqualTo(75);
            assertThat(r.originalLength()).isEqualTo(100);
            assertThat(r.direction()).isEqualTo(Direction.OUTBOUND);
            assertThat(r.options()).isEqualTo(ALL_OPTIONS);
            assertThat(r.options().verdicts().get(0)).containsExactly(2, 1, 0, 0, 0, 0, 0, 0, 0);
            ByteBuffer payload = r.payload();
            byte[] got = new byte[payload.remaining()];
            payload.get(got);
            assertThat(got).isEqualTo(frame);

            assertThat(r.nextPacket()).isTrue();
            // microsecond interface: 1500 ns truncates to 1 µs
            assertThat(r.timestamp()).isEqualTo(Instant.parse("2024-05-01T10:15:30.123458Z"));
            assertThat(r.linkType()).isEqualTo(LinkType.RAW);
            assertThat(r.options().isEmpty()).isTrue();
            assertThat(r.direction()).isEqualTo(Direction.UNKNOWN);

            assertThat(r.nextPacket()).isTrue();
            assertThat(r.interfaceId()).isEqualTo(2);
            // 2^-20 s resolution: within one unit (~954 ns) below the written time
            long exact = PcapngWriter.toNanos(T0.plusSeconds(1));
            assertThat(r.timestampNanos()).isBetween(exact - 954, exact);
            assertThat(r.direction()).isEqualTo(Direction.INBOUND);

            assertThat(r.next()).isEqualTo(RecordKind.JOURNAL);
            assertThat(r.journalEntry()).isEqualTo(journal);
            assertThat(r.journalEntry().message()).isEqualTo("packet dropped by nftables");
            assertThat(r.frameNumber()).isEqualTo(4);

            assertThat(r.next()).isEqualTo(RecordKind.STATISTICS);
            assertThat(r.statistics()).isEqualTo(stats);
            assertThat(r.statisticsInterfaceId()).isZero();
            assertThat(r.next()).isEqualTo(RecordKind.END);
            assertThat(r.truncatedAt()).isEmpty();
            assertThat(r.latestStatistics()).containsEntry(0, stats);
            assertThat(r.journalEntries()).containsExactly(journal);
        }
    }

    @Test
    void secondSection_restartsInterfaceIds_andIsReported() {
        Path f = dir.resolve("two-sections.pcapng");
        byte[] frame = PcapTools.udpFrame(60, 2);
        SectionHeader second = SectionHeader.builder().comment("second section").build();
        try (PcapngWriter w = PcapngWriter.open(f, SHB, ETH)) {
            w.writePacket(0, T0, 60, frame, 0, 60, null);
            w.newSection(second, RAW_MICROS);
            w.writePacket(0, T0.plusSeconds(5), 60, frame, 0, 60, null);
        }
        try (PcapReader r = PcapReader.open(f)) {
            List<Packet> packets = r.packets().collect(java.util.stream.Collectors.toList());
            assertThat(packets).extracting(Packet::linkType).containsExactly(LinkType.ETHERNET, LinkType.RAW);
            assertThat(packets).extracting(Packet::frameNumber).containsExactly(1L, 2L);
            assertThat(r.sections()).containsExactly(SHB, second);
            assertThat(r.interfaces()).containsExactly(RAW_MICROS);
        }
    }

    @Test
    void outputStream_receivesSameBytesAsFile() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] frame = PcapTools.udpFrame(60, 3);
        try (PcapngWriter w = PcapngWriter.open(out, SectionHeader.empty(), ETH)) {
            w.writePacket(0, T0, 60, frame, 0, 60, null);
        }
        try (PcapReader r = PcapReader.of(out.toByteArray())) {
            List<Packet> all = new ArrayList<>();
            r.forEach(all::add);
            assertThat(all).hasSize(1);
            assertThat(all.get(0).timestamp()).isEqualTo(T0);
            assertThat(all.get(0).data()).isEqualTo(frame);
        }
    }

    @Test
    void writerMisuse_failsWithActionableMessage() {
        Path f = dir.resolve("misuse.pcapng");
        byte[] frame = new byte[10];
        try (PcapngWriter w = PcapngWriter.open(f, SectionHeader.empty(), ETH)) {
            assertThatThrownBy(() -> w.writePacket(3, T0, 10, frame, 0, 10, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("interface id 3").hasMessageContaining("addInterface");
            assertThatThrownBy(() -> w.writePacket(0, T0, 5, frame, 0, 10, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("originalLength 5");
            w.close();
            assertThatThrownBy(() -> w.writePacket(0, T0, 10, frame, 0, 10, null))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
        assertThatThrownBy(() -> InterfaceDescription.builder().tsresol(25))
                .hasMessageContaining("if_tsresol 25");
        assertThatThrownBy(() -> JournalEntry.builder(T0).field("message", "x"))
                .hasMessageContaining("'message'");
        assertThatThrownBy(() -> PcapngWriter.open(dir.resolve("no/such/dir/x.pcapng"), SectionHeader.empty()))
                .isInstanceOf(CaptureException.class).hasMessageContaining("no/such/dir");
    }
}
