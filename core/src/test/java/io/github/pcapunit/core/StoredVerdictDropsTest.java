package io.github.pcapunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Confidence;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.analysis.Fate;
import io.github.pcapunit.core.analysis.Verdict;
import io.github.pcapunit.core.check.TrafficExpectations;
import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by other tools keep their evidence: a pcapng {@code epb_verdict} that drops the
 * packet (eBPF TC {@code TC_ACT_SHOT}, eBPF XDP {@code XDP_DROP}, which Microsoft's etl2pcapng
 * writes for every packet pktmon reports dropped) becomes a drop record of that packet, observed;
 * verdicts that pass it, and hardware verdicts (vendor bytes), do not. tshark is the referee for
 * what the files hold.
 */
class StoredVerdictDropsTest {

    private static final String CLIENT = "10.200.7.10";
    private static final String SERVER = "10.200.7.20";
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int FIN = 0x01;
    private static final long T0 = 1_764_669_600_000_000_000L;

    @TempDir
    Path dir;

    private static byte[] tcp(String src, int sport, String dst, int dport, int flags, long seq, long ack) {
        return DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(6, src, dst,
                DecodeBytes.tcp(sport, dport, seq, ack, flags, 64240, 0)));
    }

    private static byte[] echoRequest(String src, String dst, int id, int seq) {
        return DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(1, src, dst, DecodeBytes.icmpEcho(8, id, seq)));
    }

    private static void write(PcapngWriter w, long micros, byte[] frame, PacketOptions options) {
        w.writePacket(0, T0 + micros * 1000, frame.length, frame, 0, frame.length, options);
    }

    /**
     * The layout etl2pcapng gives a pktmon capture: the pktmon component as the interface, the
     * packet's group id in epb_packetid, and a dropped packet marked with epb_verdict type 2
     * (Linux eBPF XDP) value 1 (XDP_DROP), no comment. Here: a client's SYN to 1433 sent twice,
     * both dropped; a healthy connection to 443 beside it.
     */
    private Path pktmonLike() {
        Path file = dir.resolve("pktmon-like.pcapng");
        InterfaceDescription component = InterfaceDescription.builder().linkType(LinkType.ETHERNET)
                .name("Intel(R) Ethernet Connection").description("pktmon component 12").build();
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.empty(), component)) {
            for (int i = 0; i < 2; i++) {
                write(w, i * 1_000_000L, tcp(CLIENT, 50100, SERVER, 1433, SYN, 7000, 0),
                        PacketOptions.builder().direction(Direction.OUTBOUND).packetId(40 + i)
                                .verdict(PacketOptions.VERDICT_LINUX_EBPF_XDP, 1).build());
            }
            write(w, 2_000_000, tcp(CLIENT, 50101, SERVER, 443, SYN, 100, 0), PacketOptions.none());
            write(w, 2_000_100, tcp(SERVER, 443, CLIENT, 50101, SYN | ACK, 900, 101), PacketOptions.none());
            write(w, 2_000_200, tcp(CLIENT, 50101, SERVER, 443, ACK, 101, 901), PacketOptions.none());
            write(w, 2_000_300, tcp(CLIENT, 50101, SERVER, 443, FIN | ACK, 101, 901), PacketOptions.none());
            write(w, 2_000_400, tcp(SERVER, 443, CLIENT, 50101, FIN | ACK, 901, 102), PacketOptions.none());
            write(w, 2_000_500, tcp(CLIENT, 50101, SERVER, 443, ACK, 102, 902), PacketOptions.none());
        }
        return file;
    }

    @Test
    void pktmonDropsAsEtl2pcapngWritesThem_areObservedDropsOnThisHost() {
        Path file = pktmonLike();
        // The referee: tshark reads the verdict as eBPF XDP value 1 on the two SYNs, on no other frame.
        assertThat(PcapTools.tsharkFields(file, "frame.number", "frame.verdict.ebpf_xdp"))
                .containsExactly("1|1", "2|1", "3|", "4|", "5|", "6|", "7|", "8|");

        CapturedTraffic traffic = CapturedTraffic.read(file);

        List<Drop> stored = traffic.drops().stream().filter(d -> d.source() == EvidenceSource.PACKET_VERDICT).toList();
        assertThat(stored).hasSize(2);
        Drop first = stored.get(0);
        assertThat(first.kind()).isEqualTo(DropKind.KERNEL_DROP);
        assertThat(first.reason()).contains("XDP_DROP");
        assertThat(first.frames()).containsExactly(1L);
        assertThat(first.flow().map(Object::toString)).contains("TCP " + CLIENT + ":50100 \u2192 " + SERVER + ":1433");
        assertThat(first.location()).contains("Intel(R) Ethernet Connection");
        assertThat(first.recordedBy()).contains("pcapng epb_verdict");
        assertThat(first.confidence()).contains(Confidence.OBSERVED);
        assertThat(first.description()).startsWith("frame 1 on Intel(R) Ethernet Connection was dropped: its"
                + " epb_verdict is eBPF XDP XDP_DROP (TCP " + CLIENT + ":50100 \u2192 " + SERVER + ":1433 [SYN]");

        Verdict v = traffic.verdictsTo(1433).get(0);
        assertThat(v.fate()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
        assertThat(v.confidence()).isEqualTo(Confidence.OBSERVED);
        assertThat(v.where()).contains("this host, Intel(R) Ethernet Connection");
        assertThat(v.sentence()).contains("XDP_DROP").contains("frame 1");
        assertThat(v.drops()).containsAll(stored);

        assertThat(TrafficExpectations.noDropsTo(1433).check(traffic)).isPresent();
        assertThat(traffic.verdictsTo(443).get(0).fate()).isEqualTo(Fate.COMPLETED);
        assertThat(TrafficExpectations.noDropsTo(443).check(traffic)).isEmpty();
    }

    @Test
    void tcShot_isADrop_whilePassVerdictsAndHardwareVerdicts_areNot() {
        Path file = dir.resolve("verdicts.pcapng");
        InterfaceDescription eth = InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("eth0").build();
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.empty(), eth)) {
            // An answered connection whose packets carry verdicts that let them through ...
            write(w, 0, tcp(CLIENT, 50200, SERVER, 8080, SYN, 10, 0), PacketOptions.builder()
                    .verdict(PacketOptions.VERDICT_LINUX_EBPF_TC, 0).build()); // TC_ACT_OK
            write(w, 100, tcp(SERVER, 8080, CLIENT, 50200, SYN | ACK, 20, 11), PacketOptions.builder()
                    .verdict(PacketOptions.VERDICT_LINUX_EBPF_XDP, 2).build()); // XDP_PASS
            write(w, 200, tcp(CLIENT, 50200, SERVER, 8080, ACK, 11, 21), PacketOptions.builder()
                    .verdict(PacketOptions.VERDICT_HARDWARE, new byte[] {1, 2, 3, 4}).build());
            // ... and a SYN a TC program shot (TC_ACT_SHOT = 2), on the way in.
            write(w, 1_000_000, tcp(SERVER, 40000, CLIENT, 22, SYN, 500, 0), PacketOptions.builder()
                    .direction(Direction.INBOUND).verdict(PacketOptions.VERDICT_LINUX_EBPF_TC, 2).build());
        }
        assertThat(PcapTools.tsharkFields(file, "frame.verdict.ebpf_tc", "frame.verdict.ebpf_xdp", "frame.verdict.hw"))
                .containsExactly("0||", "|2|", "||01 02 03 04", "2||");

        CapturedTraffic traffic = CapturedTraffic.read(file);

        List<Drop> stored = traffic.drops().stream().filter(d -> d.source() == EvidenceSource.PACKET_VERDICT).toList();
        assertThat(stored).singleElement().satisfies(d -> {
            assertThat(d.reason()).contains("TC_ACT_SHOT");
            assertThat(d.frames()).containsExactly(4L);
            assertThat(d.component()).contains("eBPF TC verdict");
        });
        assertThat(traffic.verdictsTo(8080).get(0).fate()).isEqualTo(Fate.COMPLETED);
        assertThat(traffic.verdictsTo(8080).get(0).hasLoss()).isFalse();
        assertThat(traffic.verdictsTo(22).get(0).fate()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
        assertThat(TrafficExpectations.noDropsTo(8080).check(traffic)).isEmpty();
        assertThat(TrafficExpectations.noDropsTo(22).check(traffic)).isPresent();
    }

    @Test
    void droppedEchoRequest_isTheEchoVerdictsEvidence_notAnUnexplainedLoss() {
        Path file = dir.resolve("echo.pcapng");
        InterfaceDescription eth = InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("eth0").build();
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.empty(), eth)) {
            write(w, 0, echoRequest(CLIENT, SERVER, 9, 1), PacketOptions.builder()
                    .verdict(PacketOptions.VERDICT_LINUX_EBPF_XDP, 1).build());
        }
        CapturedTraffic traffic = CapturedTraffic.read(file);

        Verdict echo = traffic.verdicts().stream().filter(v -> v.flow().destination().port() < 0).findFirst()
                .orElseThrow();
        assertThat(echo.fate()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
        assertThat(echo.confidence()).isEqualTo(Confidence.OBSERVED);
        assertThat(echo.drops()).anyMatch(d -> d.source() == EvidenceSource.PACKET_VERDICT);
        // One verdict for the echo: the stored drop is not left over as a flow of its own.
        assertThat(traffic.verdicts()).hasSize(1);
    }

    @Test
    void aFilterKeepsOnlyTheStoredDropsOfMatchingPackets() {
        CapturedTraffic traffic = CapturedTraffic.read(pktmonLike());

        assertThat(traffic.filter("tcp port 443").drops()).noneMatch(d -> d.source() == EvidenceSource.PACKET_VERDICT);
        assertThat(traffic.filter("tcp port 1433").drops()).filteredOn(d -> d.source() == EvidenceSource.PACKET_VERDICT)
                .hasSize(2);
    }
}
