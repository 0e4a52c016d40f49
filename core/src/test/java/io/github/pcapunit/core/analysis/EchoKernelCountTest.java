package io.github.pcapunit.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.DecodeBytes;
import io.github.pcapunit.core.packet.IpProtocol;
import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ICMP echo exchange not all of whose requests were answered counts the kernel's records of its
 * packets, with the verdicts stored with its frames ({@code epb_verdict}), each packet once: the
 * mixed-evidence count of TCP flows ({@link MixedEvidenceCountTest}), reused. Before, only the
 * stored verdicts were counted, and a kernel record of the echo became a verdict of its own. A
 * kernel record names no echo identifier: it is tied to the exchange by its addresses and by time
 * (its every instant from 50 ms before the first request to 1 s after the last), which the verdict
 * says is inferred.
 */
class EchoKernelCountTest {
    private static final String CLIENT = "10.200.71.10";
    private static final String SERVER = "10.200.72.20";
    private static final long T0 = 1_764_669_600_000_000_000L;
    @TempDir
    Path dir;

    private static Instant at(long micros) {
        return Instant.ofEpochSecond(0, T0 + micros * 1000);
    }

    private static JournalEntry ebpf(long micros, String reason, String location, String hook) {
        JournalEntry.Builder b = JournalEntry.builder(at(micros))
                .field(JournalKey.MESSAGE, "Drop: reason " + reason + " ... [eBPF, observed]")
                .field(JournalKey.PCAPUNIT_EVENT, "kfree_skb")
                .field(JournalKey.PCAPUNIT_REASON, reason).field(JournalKey.PCAPUNIT_LOCATION, location)
                .field(JournalKey.PCAPUNIT_PROTOCOL, "IPv4").field(JournalKey.PCAPUNIT_FLOW_PROTOCOL, "ICMP")
                .field(JournalKey.PCAPUNIT_SADDR, CLIENT)
                .field(JournalKey.PCAPUNIT_DADDR, SERVER)
                .field(JournalKey.PCAPUNIT_FLAGS, "type 8 code 0").field(JournalKey.PCAPUNIT_TTL, "64")
                .field(JournalKey.PCAPUNIT_NETNS, "router")
                .field(JournalKey.PCAPUNIT_COMPONENT, reason.startsWith("NETFILTER") ? "netfilter (nftables)" : "tc")
                .field(JournalKey.PCAPUNIT_DROP_SOURCE, "EBPF").field(JournalKey.PCAPUNIT_CONFIDENCE, "OBSERVED");
        if (hook != null) {
            b.field(JournalKey.PCAPUNIT_HOOK, hook);
        }
        return b.build();
    }

    private CapturedTraffic file(String name, long[] micros, Set<Integer> shot, List<JournalEntry> journal) {
        Path file = dir.resolve(name + ".pcapng");
        InterfaceDescription idb = InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("router/to-client")
                .description("to-client in network namespace router (/run/netns/router)").build();
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.empty(), idb)) {
            for (int i = 0; i < micros.length; i++) {
                byte[] frame = DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(1, CLIENT, SERVER, DecodeBytes.icmpEcho(8, 7, i + 1)));
                PacketOptions.Builder o = PacketOptions.builder().direction(Direction.INBOUND);
                if (shot.contains(i)) {
                    o.verdict(PacketOptions.VERDICT_LINUX_EBPF_TC, 2);
                }
                w.writePacket(0, T0 + micros[i] * 1000, frame.length, frame, 0, frame.length, o.build());
            }
            journal.forEach(w::writeJournal);
        }
        return CapturedTraffic.read(file);
    }

    private static List<Verdict> echoVerdicts(CapturedTraffic traffic) {
        return traffic.verdicts().stream().filter(v -> v.flow().protocol() == IpProtocol.ICMP).toList();
    }

    @Test
    void ebpfRecordsOfTheRequests_areCountedByTheEchoVerdict_andTheTieSaysItIsInferred() {
        // GIVEN two echo requests captured arriving at the router, unanswered, both freed by its INPUT rule
        CapturedTraffic traffic = file("ebpf", new long[] {0, 1_000_000}, Set.of(),
                List.of(ebpf(20, "NETFILTER_DROP", "nft_do_chain", "INPUT"),
                        ebpf(1_000_050, "NETFILTER_DROP", "nft_do_chain", "INPUT")));

        List<Verdict> icmp = echoVerdicts(traffic);

        // THEN one verdict, the echo's, with the drop placed and counted (before: "not answered ... where
        // it was lost is not recorded", and a second verdict "none of its packets reached a captured interface")
        assertThat(icmp).as("%s", icmp).hasSize(1);
        Verdict v = icmp.get(0);
        assertThat(v.fate()).as(v.toString()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
        assertThat(v.confidence()).isEqualTo(Confidence.OBSERVED);
        assertThat(v.sentence()).as(v.sentence())
                .startsWith("ICMP " + CLIENT + " \u2192 " + SERVER + " was dropped on this host, in namespace router (INPUT)")
                .contains(": 2 packets dropped there by netfilter (nftables) (NETFILTER_DROP at nft_do_chain), as eBPF"
                        + " saw at kfree_skb; 2 requests, 0 answered; the kernel record is tied to this exchange by"
                        + " addresses and time (inferred: a kernel record carries no echo identifier); the records count"
                        + " 2 dropped packets")
                .doesNotContain("not recorded", "none of its packets");
        assertThat(traffic.verdicts()).filteredOn(Verdict::hasLoss).containsExactly(v);
    }

    @Test
    void aStoredShotVerdictAndTheKernelsRecordOfTheSamePacket_areCountedOnce() {
        // GIVEN request 1 shot by TC (stored with frame 1) and freed 20 µs later (eBPF, TC_INGRESS: the same
        // packet), request 2 freed by netfilter (eBPF), request 3 lost where nothing recorded it
        CapturedTraffic traffic = file("mixed", new long[] {0, 1_000_000, 2_000_000}, Set.of(0),
                List.of(ebpf(20, "TC_INGRESS", "tcf_classify", null),
                        ebpf(1_000_050, "NETFILTER_DROP", "nft_do_chain", "INPUT")));

        List<Verdict> icmp = echoVerdicts(traffic);

        // THEN 2 packets, not 1 (only the stored verdict, before) and not 3 (the shot packet twice)
        assertThat(icmp).as("%s", icmp).hasSize(1);
        Verdict v = icmp.get(0);
        assertThat(v.fate()).as(v.toString()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
        assertThat(v.sentence()).as(v.sentence()).contains(": 2 packets dropped by ",
                ": 1 there as eBPF saw at kfree_skb (observed) and 1 at router/to-client by an eBPF TC verdict"
                        + " (TC_ACT_SHOT), as the verdict stored with frame 1 says (observed), and eBPF saw the same"
                        + " packet freed (TC_INGRESS at tcf_classify) 0.020 ms later: one packet, matched by flow,"
                        + " direction, time and reason (inferred)",
                "; 3 requests, 0 answered; the kernel records are tied to this exchange by addresses and time"
                        + " (inferred: a kernel record carries no echo identifier)")
                .doesNotContain("3 packets", "records count");
        assertThat(v.drops()).filteredOn(d -> d.source() == EvidenceSource.PACKET_VERDICT).hasSize(1);
        assertThat(v.drops()).filteredOn(d -> d.source() == EvidenceSource.KERNEL).hasSize(2);
    }

    @Test
    void aRecordOutsideTheExchangesSpan_isNotClaimed() {
        // GIVEN one unanswered request and a record of the same addresses 5 s later (another exchange's)
        CapturedTraffic traffic = file("later", new long[] {0}, Set.of(),
                List.of(ebpf(5_000_000, "NETFILTER_DROP", "nft_do_chain", "INPUT")));

        List<Verdict> icmp = echoVerdicts(traffic);

        // THEN the echo's verdict stays as it was, and the record keeps its own verdict
        assertThat(icmp).as("%s", icmp).hasSize(2);
        assertThat(icmp.get(0).fate()).isEqualTo(Fate.UNANSWERED);
        assertThat(icmp.get(0).sentence()).contains("where it was lost is not recorded");
        assertThat(icmp.get(1).drops()).extracting(Drop::count).containsExactly(1L);
    }

    @Test
    void aFirewallRecordOfARequest_isClaimedToo_andNamedAsTheFirewalls() {
        // GIVEN one unanswered request and the nft trace of its drop by a rule in the router's INPUT
        JournalEntry nftrace = JournalEntry.builder(at(30))
                .field(JournalKey.MESSAGE, "Drop: verdict drop by rule table inet filter chain input handle 4")
                .field(JournalKey.PCAPUNIT_EVENT, "nftrace").field(JournalKey.PCAPUNIT_NFT_TABLE, "inet filter")
                .field(JournalKey.PCAPUNIT_NFT_CHAIN, "input").field(JournalKey.PCAPUNIT_NFT_HANDLE, "4")
                .field(JournalKey.PCAPUNIT_SADDR, CLIENT).field(JournalKey.PCAPUNIT_DADDR, SERVER)
                .field(JournalKey.PCAPUNIT_PROTOCOL, "icmp").field(JournalKey.PCAPUNIT_NETNS, "router").build();
        CapturedTraffic traffic = file("nftrace", new long[] {0}, Set.of(), List.of(nftrace));

        List<Verdict> icmp = echoVerdicts(traffic);

        assertThat(icmp).as("%s", icmp).hasSize(1);
        Verdict v = icmp.get(0);
        assertThat(v.fate()).as(v.toString()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
        assertThat(v.sentence()).as(v.sentence()).contains("by nftables ", "in this host, namespace router",
                ": 1 request, 0 answered; the firewall record is tied to this exchange by addresses and time"
                        + " (inferred: a firewall record carries no echo identifier); the records count 1 dropped packet");
    }
}
