package io.github.pcapunit.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PacketOptions;
import java.nio.file.Path;
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
    /** The capture ran in the router's namespace, on its interface towards the client. */
    private static final String IN_ROUTER = "to-client in network namespace router (/run/netns/router)";

    @TempDir
    Path dir;

    /** The router's drop of the client's SYN, as eBPF records it: {@code tc} for a TC reason. */
    private static JournalEntry ebpf(long micros, String reason, String location, String hook) {
        return DropFiles.ebpf(micros, CLIENT, DropFiles.CLIENT_PORT, SERVER, PORT).in("router", hook)
                .reason(reason, location, reason.startsWith("NETFILTER") ? "netfilter (nftables)" : "tc").entry();
    }

    private static JournalEntry tracefs(long micros, long count) {
        return DropFiles.tracefsSummary(micros, CLIENT, SERVER, PORT, count);
    }

    /**
     * The client's SYN captured arriving at the router once per entry of {@code synMicros}; those
     * in {@code shot} carry a stored TC_ACT_SHOT verdict. Then {@code journal}.
     */
    private CapturedTraffic file(String name, long[] synMicros, Set<Integer> shot, List<JournalEntry> journal) {
        InterfaceDescription idb = InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("router/to-client")
                .description(IN_ROUTER).build();
        return DropFiles.synFile(dir.resolve(name + ".pcapng"), List.of(idb), CLIENT, SERVER, PORT, synMicros, i -> {
            PacketOptions.Builder o = PacketOptions.builder().direction(Direction.INBOUND);
            if (shot.contains(i)) {
                o.verdict(PacketOptions.VERDICT_LINUX_EBPF_TC, 2);
            }
            return o.build();
        }, journal);
    }

    private static Verdict only(CapturedTraffic traffic) {
        return DropFiles.onlyVerdict(traffic, PORT);
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
