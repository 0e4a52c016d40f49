package io.github.pcapunit.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.DecodeBytes;
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
 * A flow whose drops come from several sources — eBPF records (observed, placed), tracefs records
 * (inferred, no place) and drop verdicts stored with the packets in the file ({@code epb_verdict},
 * observed) — gets one lead that counts every source once, each with its confidence. Before the
 * fix the stored verdicts were left out of the lead's count (and out of its reasons), so a flow
 * with 4 dropped packets read "3 packets dropped".
 *
 * <p>One packet seen by two sources is counted once: a TC program that shot a packet
 * ({@code TC_ACT_SHOT} stored with the frame) also has the kernel free it, which eBPF records at
 * kfree_skb. The record is taken for the stored packet when it is of the same flow in the same
 * direction, in a namespace the capture ran in (or names none), within 50 ms of the frame, and its
 * reason is one a TC drop frees with ({@code TC_INGRESS}, {@code TC_EGRESS}, or the unspecified
 * reason of older kernels). An XDP verdict drops before any socket buffer exists, so no kfree_skb
 * record can be its packet; a netfilter reason is another drop.
 */
class MixedEvidenceCountTest {

    private static final String CLIENT = "10.200.71.10";
    private static final String SERVER = "10.200.72.20";
    private static final int PORT = 1102;
    private static final long T0 = 1_764_669_600_000_000_000L;
    private static final int SYN = 0x02;
    /** The capture ran in the router's namespace, on its interface towards the client. */
    private static final String IN_ROUTER = "to-client in network namespace router (/run/netns/router)";

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
                .field(JournalKey.PCAPUNIT_PROTOCOL, "IPv4").field(JournalKey.PCAPUNIT_FLOW_PROTOCOL, "TCP")
                .field(JournalKey.PCAPUNIT_SADDR, CLIENT).field(JournalKey.PCAPUNIT_SPORT, "50100")
                .field(JournalKey.PCAPUNIT_DADDR, SERVER).field(JournalKey.PCAPUNIT_DPORT, Integer.toString(PORT))
                .field(JournalKey.PCAPUNIT_FLAGS, "SYN").field(JournalKey.PCAPUNIT_TTL, "64")
                .field(JournalKey.PCAPUNIT_NETNS, "router")
                .field(JournalKey.PCAPUNIT_COMPONENT, reason.startsWith("NETFILTER") ? "netfilter (nftables)" : "tc")
                .field(JournalKey.PCAPUNIT_DROP_SOURCE, "EBPF").field(JournalKey.PCAPUNIT_CONFIDENCE, "OBSERVED");
        if (hook != null) {
            b.field(JournalKey.PCAPUNIT_HOOK, hook);
        }
        return b.build();
    }

    private static JournalEntry tracefs(long micros, long count) {
        return JournalEntry.builder(at(micros))
                .field(JournalKey.MESSAGE, "kernel trace: " + count + " more kfree_skb events counted")
                .field(JournalKey.PCAPUNIT_EVENT, "kernel_trace_summary")
                .field(JournalKey.PCAPUNIT_SUMMARY_EVENT, "kfree_skb")
                .field(JournalKey.PCAPUNIT_SUMMARY_COUNT, Long.toString(count))
                .field(JournalKey.PCAPUNIT_SUMMARY_LAST, at(micros + 1_000_000).toString())
                .field(JournalKey.PCAPUNIT_REASON, "NETFILTER_DROP").field(JournalKey.PCAPUNIT_LOCATION, "nft_do_chain")
                .field(JournalKey.PCAPUNIT_SADDR, CLIENT).field(JournalKey.PCAPUNIT_SPORT, "50100")
                .field(JournalKey.PCAPUNIT_DADDR, SERVER).field(JournalKey.PCAPUNIT_DPORT, Integer.toString(PORT))
                .build();
    }

    /**
     * The client's SYN captured arriving at the router once per entry of {@code synMicros}; those
     * in {@code shot} carry a stored TC_ACT_SHOT verdict. Then {@code journal}.
     */
    private CapturedTraffic file(String name, long[] synMicros, Set<Integer> shot, List<JournalEntry> journal) {
        Path file = dir.resolve(name + ".pcapng");
        InterfaceDescription idb = InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("router/to-client")
                .description(IN_ROUTER).build();
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.empty(), idb)) {
            byte[] frame = DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(6, CLIENT, SERVER,
                    DecodeBytes.tcp(50100, PORT, 7000, 0, SYN, 64240, 0)));
            for (int i = 0; i < synMicros.length; i++) {
                PacketOptions.Builder o = PacketOptions.builder().direction(Direction.INBOUND);
                if (shot.contains(i)) {
                    o.verdict(PacketOptions.VERDICT_LINUX_EBPF_TC, 2);
                }
                w.writePacket(0, T0 + synMicros[i] * 1000, frame.length, frame, 0, frame.length, o.build());
            }
            journal.forEach(w::writeJournal);
        }
        return CapturedTraffic.read(file);
    }

    private static Verdict only(CapturedTraffic traffic) {
        List<Verdict> v = traffic.verdictsTo(PORT);
        assertThat(v).as("verdicts to %d", PORT).hasSize(1);
        return v.get(0);
    }

    @Test
    void threeSources_theLeadCountsTheStoredVerdictToo_eachWithItsConfidence() {
        // GIVEN 4 SYNs: the first shot by a TC program (stored with frame 1), the next two dropped by
        // netfilter before bpftrace attached (tracefs), the last by netfilter in FORWARD (eBPF)
        CapturedTraffic traffic = file("three", new long[] {0, 1_000_000, 2_000_000, 3_000_000}, Set.of(0),
                List.of(tracefs(1_000_100, 2), ebpf(3_000_100, "NETFILTER_DROP", "nft_do_chain", "FORWARD")));

        Verdict v = only(traffic);

        assertThat(v.fate()).as(v.toString()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
        assertThat(v.confidence()).isEqualTo(Confidence.OBSERVED);
        assertThat(v.sentence()).as(v.sentence()).contains(": 4 packets dropped by ",
                ": 1 there as eBPF saw at kfree_skb (observed), 2 recorded by tracefs while eBPF was not recording,"
                        + " tied to this flow by time (inferred: their records name no place) and 1 at router/to-client"
                        + " by an eBPF TC verdict (TC_ACT_SHOT), as the verdict stored with frame 1 says (observed)")
                .contains("TC_ACT_SHOT at router/to-client", "NETFILTER_DROP at nft_do_chain")
                .doesNotContain("3 packets", "records count");
        assertThat(v.where()).hasValueSatisfying(w -> assertThat(w).contains("router/to-client"));
        assertThat(v.drops()).filteredOn(d -> d.source() == EvidenceSource.PACKET_VERDICT).hasSize(1);
    }

    @Test
    void ebpfAndStoredVerdict_withoutTracefs_theLeadSplitsTheCountBySource() {
        CapturedTraffic traffic = file("two", new long[] {0, 1_000_000}, Set.of(0),
                List.of(ebpf(1_000_100, "NETFILTER_DROP", "nft_do_chain", "FORWARD")));

        Verdict v = only(traffic);

        assertThat(v.sentence()).as(v.sentence()).contains(": 2 packets dropped by ", ": 1 there as eBPF saw at"
                + " kfree_skb (observed) and 1 at router/to-client by an eBPF TC verdict (TC_ACT_SHOT), as the verdict"
                + " stored with frame 1 says (observed)").doesNotContain("records count");
    }

    @Test
    void theShotPacketsOwnKfreeSkbRecord_isCountedOnce_andSaysHowItWasMatched() {
        // GIVEN one SYN shot by TC ingress: stored with frame 1, and eBPF saw the kernel free it 20 µs later
        CapturedTraffic traffic = file("same-packet", new long[] {0}, Set.of(0),
                List.of(ebpf(20, "TC_INGRESS", "tcf_classify", null)));

        Verdict v = only(traffic);

        assertThat(v.fate()).as(v.toString()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
        assertThat(v.sentence()).as(v.sentence()).contains(": 1 packet dropped ")
                .contains("as the verdict stored with frame 1 says (observed)")
                .contains("eBPF saw the same packet freed (TC_INGRESS at tcf_classify) 0.020 ms later: one packet,"
                        + " matched by flow, direction, time and reason (inferred)")
                .doesNotContain("2 packets");
    }

    @Test
    void aNetfilterRecordNearTheShotFrame_isAnotherPacket_countedApart() {
        // GIVEN the shot SYN and, 20 µs later, a netfilter drop of the same flow: a TC-shot packet is freed
        // by TC, so a NETFILTER_DROP record is another packet (here one the capture did not see)
        CapturedTraffic traffic = file("other-packet", new long[] {0}, Set.of(0),
                List.of(ebpf(20, "NETFILTER_DROP", "nft_do_chain", "FORWARD")));

        Verdict v = only(traffic);

        assertThat(v.sentence()).as(v.sentence()).contains(": 2 packets dropped by ").doesNotContain("same packet");
    }

    @Test
    void storedVerdictAndTracefs_withoutEbpf_theLeadSplitsTheCountBySource() {
        // GIVEN the shot SYN (frame 1) and two more SYNs netfilter dropped, which only tracefs recorded
        CapturedTraffic traffic = file("stored-tracefs", new long[] {0, 1_000_000, 2_000_000}, Set.of(0),
                List.of(tracefs(1_000_100, 2)));

        Verdict v = only(traffic);

        assertThat(v.fate()).as(v.toString()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
        assertThat(v.sentence()).as(v.sentence()).contains("as the verdict stored with frame 1 says",
                ": 3 packets: 1 at router/to-client by an eBPF TC verdict (TC_ACT_SHOT), as the verdict stored with"
                        + " frame 1 says (observed) and 2 recorded by the kernel trace (NETFILTER_DROP at nft_do_chain),"
                        + " tied to this flow by time (inferred: their records name no place)")
                .doesNotContain("records count");
    }

    @Test
    void storedVerdictOnly_keepsItsWording() {
        CapturedTraffic traffic = file("stored-only", new long[] {0, 1_000_000}, Set.of(0, 1), List.of());

        Verdict v = only(traffic);

        assertThat(v.sentence()).as(v.sentence()).contains("as the verdict stored with frame 1 says")
                .endsWith("; the records count 2 dropped packets");
    }
}
