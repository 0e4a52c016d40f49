package io.github.pcapunit.core;

import io.github.pcapunit.core.cli.TextFormatTest;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.analysis.Fate;
import io.github.pcapunit.core.analysis.TcpConnection;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.CaptureStatistics;
import io.github.pcapunit.core.packet.DecodedPacket;
import io.github.pcapunit.core.packet.Endpoint;
import io.github.pcapunit.core.packet.Flow;
import io.github.pcapunit.core.packet.IpProtocol;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapReader;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;

import static io.github.pcapunit.core.DecodeBytes.ethernet;
import static io.github.pcapunit.core.DecodeBytes.icmpError;
import static io.github.pcapunit.core.DecodeBytes.ipv4;
import static io.github.pcapunit.core.DecodeBytes.udp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.analysis.internal.EvidenceProvider;
import io.github.pcapunit.core.analysis.internal.EvidenceProviders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapturedTrafficTest {

    @TempDir
    Path dir;

    @Test
    void sampleCapture_exposesLossStatusAndPacketsByFrameNumber() {
        CapturedTraffic t = CapturedTraffic.read(TextFormatTest.sample(dir));

        assertThat(t.packetCount()).isEqualTo(3);
        assertThat(t.packetsDroppedByKernel()).isEqualTo(3);
        assertThat(t.packetsDroppedByInterface()).isZero();
        assertThat(t.isComplete()).isFalse();
        assertThat(t.isTruncated()).isFalse();
        assertThat(t.incompleteness()).contains("the capture is incomplete: the kernel buffer dropped 3 packets");
        // The section comment says "kernel evidence off" for people; the status is read only from its journal entry.
        assertThat(t.evidenceStatus()).isEmpty();
        assertThat(t.journal()).extracting(JournalEntry::message).containsExactly("test placesOrder ended");
        assertThat(t.packet(2).orElseThrow().isRst()).isTrue();
        assertThat(t.packet(2).orElseThrow().interfaceName()).contains("eth0");
        assertThat(t.packet(9)).isEmpty();
        assertThat(t.packets(List.of(3L, 1L))).extracting(DecodedPacket::frameNumber).containsExactly(1L, 3L);
        assertThat(t.packetsTo(1433)).isEqualTo(1);
        assertThat(t.packetsTo("10.0.1.20", 1433)).isEqualTo(1);
        assertThat(t.packetsTo("10.0.1.20", 1434)).isZero();
        assertThat(t.packetsToHost("10.0.1.30")).isEqualTo(1);
        assertThat(t.destinations()).contains(Endpoint.of("10.0.1.20", 1433), Endpoint.of("10.0.1.30", -1));
        assertThat(t.drops()).extracting(Drop::kind).containsExactly(DropKind.CAPTURE_LOSS, DropKind.REFUSED,
                DropKind.ECHO_WITHOUT_REPLY);
    }

    @Test
    void captureResult_statisticsAndStatusWinOverTheFile() {
        Path file = TextFormatTest.sample(dir);
        CaptureResult result = new CaptureResult(file, CaptureSpec.builder().build(), TextFormatTest.T0,
                TextFormatTest.T0.plusSeconds(2), List.of(new CaptureStatistics("any", LinkType.LINUX_SLL2, 3, 3, 0, 2)),
                null, EvidenceStatus.builder(KernelEvidence.AUTO)
                        .source(EvidenceStatus.SourceStatus.recorded(EvidenceStatus.Source.KERNEL_TRACE)).build());

        CapturedTraffic t = CapturedTraffic.of(result);

        assertThat(t.packetsDroppedByKernel()).isZero();
        assertThat(t.packetsDroppedByInterface()).isEqualTo(2);
        assertThat(t.incompleteness()).contains("the capture is incomplete: the interface dropped 2 packets");
        assertThat(t.kernelEvidenceStatus()).contains("kernel evidence recorded (tracefs)");
        assertThat(t.drops().get(0).description()).isEqualTo("capture lost packets on any: 2 dropped by the interface");
    }

    @Test
    void fileCutMidRecord_isTruncatedAndIncomplete_butStillAnalysed() throws Exception {
        Path full = TextFormatTest.sample(dir);
        byte[] bytes = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.pcapng");
        // Cut inside the third packet's block: the SYN and the RST stay readable.
        Files.write(cut, Arrays.copyOf(bytes, indexOfThirdPacketBlock(full) + 20));

        CapturedTraffic t = CapturedTraffic.read(cut);

        assertThat(t.packetCount()).isEqualTo(2);
        assertThat(t.isTruncated()).isTrue();
        assertThat(t.isComplete()).isFalse();
        assertThat(t.incompleteness().orElseThrow()).contains("ends in an incomplete record at byte");
        assertThat(t.connections()).singleElement().extracting(TcpConnection::isRefused).isEqualTo(true);
    }

    private static int indexOfThirdPacketBlock(Path file) {
        try (PcapReader r = PcapReader.open(file)) {
            r.nextPacket();
            r.nextPacket();
            r.nextPacket();
            return (int) r.offset();
        }
    }

    @Test
    void missingFileAndNonCaptureFile_failWithTheFix() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a capture, just some text here");

        assertThatThrownBy(() -> CapturedTraffic.read(dir.resolve("nope.pcapng")))
                .isInstanceOf(CaptureException.class)
                .hasMessage("CapturedTraffic.read(" + dir.resolve("nope.pcapng") + "): no such file. Pass the path of a"
                        + " pcap or pcapng file, e.g. CaptureResult.file() of a finished capture.");
        assertThatThrownBy(() -> CapturedTraffic.read(text)).isInstanceOf(PcapFormatException.class);
    }

    @Test
    void filterSubset_supportsProtocolsPortsHostsNetsAndBooleans() {
        CapturedTraffic t = CapturedTraffic.read(TextFormatTest.sample(dir));

        assertThat(t.filter("tcp").packetCount()).isEqualTo(2);
        assertThat(t.filter("tcp port 1433 and host 10.0.1.20").packetCount()).isEqualTo(2);
        assertThat(t.filter("dst port 1433").packetCount()).isEqualTo(1);
        assertThat(t.filter("src host 10.0.1.10 && !icmp").packetCount()).isEqualTo(1);
        assertThat(t.filter("net 10.0.1.0/24 and not (tcp or udp)").packetCount()).isEqualTo(1);
        assertThat(t.filter("portrange 1400-1500 or 10.0.1.30").packetCount()).isEqualTo(3);
        assertThat(t.filter("ip6").packetCount()).isZero();
        assertThat(t.filter("tcp").filter("src port 1433").packetCount()).isEqualTo(1);
        assertThat(t.filter("tcp").filterExpression()).contains("tcp");
        try (Stream<DecodedPacket> s = t.filter("icmp").packets()) {
            assertThat(s.map(DecodedPacket::frameNumber)).containsExactly(3L);
        }
    }

    @Test
    void unsupportedFilter_namesThePartAndTheSupportedSyntax() {
        CapturedTraffic t = CapturedTraffic.read(TextFormatTest.sample(dir));

        assertThatThrownBy(() -> t.filter("ether host 00:11:22:33:44:55"))
                .isInstanceOf(InvalidFilterException.class)
                .hasMessageStartingWith("filter(\"ether host 00:11:22:33:44:55\") is not supported: unknown or"
                        + " unsupported primitive 'ether'. Supported: tcp, udp, icmp, icmp6, ip, ip6;");
        assertThatThrownBy(() -> t.filter("tcp port 70000")).hasMessageContaining("port 70000 is out of range 0..65535");
        assertThatThrownBy(() -> t.filter("host db.example")).hasMessageContaining(
                "'db.example' is not a numeric IP address (host names are not supported)");
        assertThatThrownBy(() -> t.filter("(tcp")).hasMessageContaining("expected ')' at the end");
        assertThatThrownBy(() -> t.filter(" ")).hasMessageStartingWith("filter(\" \") is empty");
    }

    @Test
    void icmpErrorQuotingAMatchingPacket_isKeptByThePortFilter() throws Exception {
        Path file = dir.resolve("unreach.pcapng");
        byte[] query = ethernet(0x0800, ipv4(17, "10.0.0.1", "10.0.0.2", udp(40000, 53, 4)));
        byte[] error = ethernet(0x0800, ipv4(1, "10.0.0.2", "10.0.0.1",
                icmpError(3, 3, Arrays.copyOfRange(query, 14, 14 + 28))));
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.empty(),
                InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("eth0").build())) {
            w.writePacket(0, TextFormatTest.T0, query.length, query, 0, query.length, PacketOptions.none());
            w.writePacket(0, TextFormatTest.T0.plusMillis(1), error.length, error, 0, error.length, PacketOptions.none());
        }

        CapturedTraffic t = CapturedTraffic.read(file).filter("udp port 53");

        assertThat(t.packetCount()).isEqualTo(2);
        assertThat(t.drops()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DropKind.ICMP_UNREACHABLE);
            assertThat(d.description()).isEqualTo(
                    "ICMP port unreachable from 10.0.0.2 for UDP 10.0.0.1:40000 \u2192 10.0.0.2:53 at +0.001 s");
        });
    }

    @Test
    void evidenceProvider_addsKernelDropsBuiltFromTheJournal() {
        Path file = TextFormatTest.sample(dir);
        EvidenceProvider provider = ctx -> ctx.journal("mark").stream()
                .map(e -> Drop.builder(DropKind.KERNEL_DROP, EvidenceSource.KERNEL).reason("NETFILTER_DROP")
                        .component("netfilter (nftables)").location("nft_do_chain").process("java", 4242)
                        .flow(Flow.of(IpProtocol.TCP, Endpoint.of("10.0.1.10", 50122), Endpoint.of("10.0.1.20", 1433)))
                        .time(e.timestamp()).build())
                .toList();
        EvidenceProviders.register(provider);
        try {
            List<Drop> drops = CapturedTraffic.read(file).dropsTo(1433);

            assertThat(drops).extracting(Drop::kind).containsExactly(DropKind.REFUSED, DropKind.KERNEL_DROP);
            assertThat(drops.get(1)).hasToString("[KERNEL KERNEL_DROP] KERNEL_DROP TCP 10.0.1.10:50122 \u2192"
                    + " 10.0.1.20:1433, reason NETFILTER_DROP, component netfilter (nftables) (nft_do_chain),"
                    + " process java (pid 4242)");
            assertThat(drops.get(1).time()).contains(Instant.parse("2026-11-23T10:00:00.001001Z"));
            assertThat(CapturedTraffic.read(file).filter("port 1433").drops()).extracting(Drop::kind)
                    .contains(DropKind.KERNEL_DROP);
            assertThat(CapturedTraffic.read(file).filter("port 53").drops()).extracting(Drop::kind)
                    .doesNotContain(DropKind.KERNEL_DROP);
        } finally {
            EvidenceProviders.unregister(provider);
        }
        assertThat(CapturedTraffic.read(file).dropsTo(1433)).extracting(Drop::kind).containsExactly(DropKind.REFUSED);
    }

    /**
     * The sample capture and real ones of the fuzz corpus (loopback TCP/UDP/ICMP, 60k packets,
     * stored verdicts, kernel drops without reason, every block type), copied into {@link #dir}.
     */
    private List<Path> varietyOfCaptures() throws java.io.IOException {
        String inputs = "/io/github/pcapunit/core/fuzz/CapturedTrafficFuzzTestInputs/"
                + "anyFile_isAnalysedOrRejectedWithDocumentedException/";
        List<Path> files = new java.util.ArrayList<>(List.of(TextFormatTest.sample(dir)));
        for (String name : List.of("loopback-tcp-udp-icmp.pcap", "loopback-60k.pcap", "epb-verdicts.pcapng",
                "kfree-skb-without-reason.pcapng", "all-blocks.pcapng")) {
            Path f = dir.resolve(name);
            try (java.io.InputStream in = getClass().getResourceAsStream(inputs + name)) {
                Files.copy(java.util.Objects.requireNonNull(in, name), f);
            }
            files.add(f);
        }
        return files;
    }

    /**
     * flowsByFate() counts the quiet flows without building their verdicts: it must agree with
     * counting verdicts() (asked after it, so the quiet verdicts are not built yet when it counts),
     * fate for fate and in Fate's order, on real captures and on filtered views of them; and the
     * verdicts with loss claim every drop any verdict claims (the footers rely on both).
     */
    @Test
    void flowsByFate_agreesWithCountingTheVerdicts() throws Exception {
        List<Path> files = varietyOfCaptures();
        java.util.Map<Fate, Long> loopback = null;
        for (Path f : files) {
            for (String filter : List.of("", "tcp", "udp or icmp", "port 1433")) {
                CapturedTraffic t = filter.isEmpty() ? CapturedTraffic.read(f) : CapturedTraffic.read(f).filter(filter);
                java.util.Map<Fate, Long> fates = t.flowsByFate();
                java.util.Map<Fate, Long> counted = new java.util.EnumMap<>(Fate.class);
                t.verdicts().forEach(v -> counted.merge(v.fate(), 1L, Long::sum));

                assertThat(fates).as(f.getFileName() + " " + filter).containsExactlyEntriesOf(counted);
                assertThat(t.flowsByFate()).isEqualTo(fates);
                java.util.Set<Drop> claimed = new java.util.HashSet<>();
                t.verdictsWithLoss().forEach(v -> claimed.addAll(v.drops()));
                t.verdicts().forEach(v -> assertThat(claimed).containsAll(v.drops()));
                if (f.getFileName().toString().equals("loopback-tcp-udp-icmp.pcap") && filter.isEmpty()) {
                    loopback = fates;
                }
            }
        }
        // the loopback capture's TCP connection, UDP exchange and ping completed
        assertThat(loopback).containsKey(Fate.COMPLETED);
        assertThatThrownBy(() -> CapturedTraffic.read(files.get(0)).flowsByFate().put(Fate.REFUSED, 1L))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    /**
     * diagnoses() counts each destination's quiet flows without building their verdicts: every
     * diagnosis must say what one built from all verdicts() says (the grouping diagnoses() did
     * before), and its flows(), asked for afterwards, must be those verdicts in order.
     */
    @Test
    void diagnoses_agreeWithDiagnosesBuiltFromAllVerdicts() throws Exception {
        List<Path> files = varietyOfCaptures();
        int compared = 0;
        for (Path f : files) {
            for (String filter : List.of("", "tcp", "udp or icmp", "port 1433")) {
                CapturedTraffic t = filter.isEmpty() ? CapturedTraffic.read(f) : CapturedTraffic.read(f).filter(filter);
                List<io.github.pcapunit.core.analysis.Diagnosis> got = t.diagnoses();
                List<io.github.pcapunit.core.analysis.Diagnosis> want = byGrouping(t.verdicts());

                assertThat(got).as(f.getFileName() + " " + filter).hasSameSizeAs(want);
                for (int i = 0; i < want.size(); i++) {
                    io.github.pcapunit.core.analysis.Diagnosis g = got.get(i);
                    io.github.pcapunit.core.analysis.Diagnosis w = want.get(i);
                    assertThat(g.destination()).isEqualTo(w.destination());
                    assertThat(g.sentence()).isEqualTo(w.sentence());
                    assertThat(g.isReachable()).isEqualTo(w.isReachable());
                    assertThat(g.answersEcho()).isEqualTo(w.answersEcho());
                    assertThat(g.echoes()).isEqualTo(w.echoes());
                    assertThat(g.failures()).isEqualTo(w.failures());
                    assertThat(g.flows()).isEqualTo(w.flows());
                    assertThat(g.flows()).isSameAs(g.flows());
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(10);
    }

    /** The diagnoses as diagnoses() built them from every verdict (before it counted quiet flows). */
    private static List<io.github.pcapunit.core.analysis.Diagnosis> byGrouping(
            List<io.github.pcapunit.core.analysis.Verdict> verdicts) {
        java.util.Map<Endpoint, List<io.github.pcapunit.core.analysis.Verdict>> flows = new java.util.LinkedHashMap<>();
        java.util.Map<java.net.InetAddress, List<io.github.pcapunit.core.analysis.Verdict>> echoes =
                new java.util.LinkedHashMap<>();
        for (io.github.pcapunit.core.analysis.Verdict v : verdicts) {
            IpProtocol p = v.flow().protocol();
            if (p == IpProtocol.ICMP || p == IpProtocol.ICMPV6) {
                echoes.computeIfAbsent(v.flow().destination().address(), k -> new java.util.ArrayList<>()).add(v);
            } else if (p == IpProtocol.TCP || p == IpProtocol.UDP) {
                flows.computeIfAbsent(v.flow().destination(), k -> new java.util.ArrayList<>()).add(v);
            }
        }
        List<io.github.pcapunit.core.analysis.Diagnosis> out = new java.util.ArrayList<>();
        java.util.Set<java.net.InetAddress> withFlows = new java.util.HashSet<>();
        flows.forEach((dest, vs) -> {
            withFlows.add(dest.address());
            out.add(new io.github.pcapunit.core.analysis.Diagnosis(dest, echoes.getOrDefault(dest.address(), List.of()), vs));
        });
        echoes.forEach((host, vs) -> {
            if (!withFlows.contains(host)) {
                out.add(new io.github.pcapunit.core.analysis.Diagnosis(Endpoint.of(host, -1), vs, List.of()));
            }
        });
        return out;
    }
}
