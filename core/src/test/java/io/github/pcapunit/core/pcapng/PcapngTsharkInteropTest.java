package io.github.pcapunit.core.pcapng;

import io.github.pcapunit.core.CaptureException;

import io.github.pcapunit.core.PcapTools;

import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.InterfaceStatistics;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapReader;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tshark/capinfos (Wireshark 4.0 on Debian 12) as outside referee of the files we write. */
class PcapngTsharkInteropTest {

    @TempDir
    Path dir;

    static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123456789Z");

    private Path writeSample() {
        Path f = dir.resolve("sample.pcapng");
        InterfaceDescription lo = InterfaceDescription.builder().linkType(LinkType.ETHERNET)
                .name("lo").description("loopback").filter("udp port 9").build();
        InterfaceDescription any = InterfaceDescription.builder().linkType(LinkType.RAW).name("tun7").build();
        try (PcapngWriter w = PcapngWriter.open(f, SectionHeader.builder().userAppl("pcapunit")
                .comment("section comment").build(), lo, any)) {
            byte[] frame = PcapTools.udpFrame(60, 1);
            w.writePacket(0, T0, 60, frame, 0, 60, PacketOptions.builder()
                    .direction(Direction.OUTBOUND).comment("dropped here").comment("second comment")
                    .dropCount(3).packetId(77).verdict(PacketOptions.VERDICT_LINUX_EBPF_TC, 2L).build());
            w.writeJournal(JournalEntry.builder(T0.plusMillis(1))
                    .field("MESSAGE", "kfree_skb reason NETFILTER_DROP")
                    .field("SYSLOG_IDENTIFIER", "pcapunit").field("PCAPUNIT_EVENT", "kfree_skb").build());
            byte[] ip = java.util.Arrays.copyOfRange(frame, 14, 60);
            w.writePacket(1, T0.plusNanos(1), 46, ip, 0, 46, PacketOptions.builder()
                    .direction(Direction.INBOUND).build());
            w.writePacket(0, T0.plusSeconds(1), 1000, frame, 0, 60, null);
            w.writeStatistics(0, InterfaceStatistics.builder().start(T0).end(T0.plusSeconds(2))
                    .ifRecv(10).ifDrop(4).osDrop(5).build());
            w.writeStatistics(1, InterfaceStatistics.builder().ifRecv(1).ifDrop(2).build());
        }
        return f;
    }

    @Test
    void writtenFile_tsharkSeesPacketsTimestampsCommentsFlagsVerdictsAndInterfaces() {
        Path f = writeSample();
        List<String> rows = PcapTools.tsharkFields(f, "frame.number", "frame.time_epoch",
                "frame.interface_name", "frame.packet_flags_direction", "frame.comment",
                "frame.drop_count", "frame.packet_id", "frame.verdict.ebpf_tc", "frame.len",
                "frame.cap_len", "systemd_journal.message");
        assertThat(rows).hasSize(4);
        String[] p1 = rows.get(0).split("\\|", -1);
        assertThat(PcapTools.epochNanos(p1[1])).isEqualTo(PcapngWriter.toNanos(T0));
        assertThat(p1[2]).isEqualTo("lo");
        assertThat(p1[3]).isEqualTo("0x00000002");
        assertThat(p1[4]).isEqualTo("dropped here;second comment");
        assertThat(p1[5]).isEqualTo("3");
        assertThat(p1[6]).isEqualTo("77");
        assertThat(p1[7]).isEqualTo("2");
        // the journal export block is frame 2 in Wireshark, with its MESSAGE shown
        String[] j = rows.get(1).split("\\|", -1);
        assertThat(j[0]).isEqualTo("2");
        assertThat(j[10]).isEqualTo("kfree_skb reason NETFILTER_DROP");
        // journal timestamps are microseconds (__REALTIME_TIMESTAMP)
        assertThat(PcapTools.epochNanos(j[1])).isEqualTo(PcapngWriter.toNanos(T0.plusMillis(1)) / 1000 * 1000);
        String[] p2 = rows.get(2).split("\\|", -1);
        assertThat(PcapTools.epochNanos(p2[1])).isEqualTo(PcapngWriter.toNanos(T0) + 1);
        assertThat(p2[2]).isEqualTo("tun7");
        assertThat(p2[3]).isEqualTo("0x00000001");
        String[] p3 = rows.get(3).split("\\|", -1);
        assertThat(p3[8]).isEqualTo("1000");
        assertThat(p3[9]).isEqualTo("60");

        // and our reader numbers frames the same way
        try (PcapReader r = PcapReader.open(f)) {
            assertThat(r.packets().map(p -> p.frameNumber())).containsExactly(1L, 3L, 4L);
        }
    }

    @Test
    void journalEntry_tsharkVerboseShowsMessageAndFields() {
        Path f = writeSample();
        String verbose = String.join("\n", PcapTools.run("tshark", "-n", "-r", f.toString(), "-V", "frame.number == 2"));
        assertThat(verbose).contains("Message: kfree_skb reason NETFILTER_DROP")
                .contains("Field name: PCAPUNIT_EVENT").contains("Field value: kfree_skb");
    }

    @Test
    void statistics_capinfosReportsInterfaces_andTsharkFileDissectorReportsIsbCounters() {
        Path f = writeSample();
        String info = String.join("\n", PcapTools.run("capinfos", "-M", f.toString()));
        assertThat(info).contains("Number of packets:   3");
        assertThat(info).contains("Number of interfaces in file: 2");
        assertThat(info).contains("Name = lo").contains("Description = loopback")
                .contains("Filter string = udp port 9").contains("Name = tun7");
        assertThat(info).containsPattern("Number of stat entries = 1\\s+Number of packets = 2");
        assertThat(info).containsPattern("Number of stat entries = 1\\s+Number of packets = 1");
        // capinfos 4.0 prints no ISB counters; Wireshark's own pcapng file-format dissector does
        List<String> isb = PcapTools.run("tshark", "-n", "-r", f.toString(), "-X",
                "read_format:MIME Files Format", "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=;",
                "-e", "pcapng.options.option.data.interface.received",
                "-e", "pcapng.options.option.data.interface.dropped",
                "-e", "pcapng.options.option.data.interface.dropped_by_os");
        assertThat(isb).containsExactly("10;1\t4;2\t5");
    }
}
