package io.github.pcapunit.assertions.synthetic;

import static io.github.pcapunit.assertions.PcapunitAssertions.assertThat;
import static io.github.pcapunit.assertions.synthetic.Expected.passes;
import static io.github.pcapunit.assertions.synthetic.TrafficFile.CLIENT;
import static io.github.pcapunit.assertions.synthetic.TrafficFile.SERVER;
import static io.github.pcapunit.assertions.synthetic.TrafficFile.at;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.analysis.Fate;
import io.github.pcapunit.core.analysis.Verdict;
import io.github.pcapunit.core.packet.IpProtocol;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import java.nio.file.Path;
import java.time.Instant;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A root {@code ping} listens on a raw socket: each echo reply reaches it, then {@code ping_rcv}
 * (the kernel's echo-reply handler) frees the reply with {@code NO_SOCKET} because no ping socket
 * wants it. With the reply captured arriving just before, that record is a note on the answered
 * exchange, never a drop of it; a record the wire does not explain stays a drop.
 */
class RootPingVerdictsTest {

    @TempDir
    Path dir;

    /** The eBPF recorder's entry of the echo reply {@code from} → {@code to} freed at ping_rcv. */
    private static JournalEntry ebpfReplyFreed(Instant t, String from, String to) {
        return JournalEntry.builder(t)
                .field(JournalKey.MESSAGE, "Drop: reason NO_SOCKET, component ICMP (ping_rcv), ICMP " + from + " \u2192 "
                        + to + " type 0 code 0, ttl 64 [eBPF, observed]")
                .field(JournalKey.PCAPUNIT_EVENT, "kfree_skb")
                .field(JournalKey.PCAPUNIT_REASON, "NO_SOCKET").field(JournalKey.PCAPUNIT_LOCATION, "ping_rcv")
                .field(JournalKey.PCAPUNIT_PROTOCOL, "IPv4").field(JournalKey.PCAPUNIT_FLOW_PROTOCOL, "ICMP")
                .field(JournalKey.PCAPUNIT_SADDR, from).field(JournalKey.PCAPUNIT_DADDR, to)
                .field(JournalKey.PCAPUNIT_FLAGS, "type 0 code 0").field(JournalKey.PCAPUNIT_TTL, "64")
                .field(JournalKey.PCAPUNIT_DROP_SOURCE, "EBPF")
                .build();
    }

    private static Verdict echoVerdict(CapturedTraffic traffic) {
        return traffic.verdicts().stream().filter(v -> v.flow().protocol() == IpProtocol.ICMP).findFirst().orElseThrow();
    }

    @Test
    void rootPingReplies_freedAtPingRcv_areNotesOfTheAnsweredExchange_withEbpfRecords() {
        // GIVEN the healthy file's two answered pings (replies captured at +10.400 ms and +1010.350 ms),
        // each reply then freed at ping_rcv 30 µs later, as the eBPF recorder sees a root ping's replies
        CapturedTraffic traffic = Scenarios.healthy(dir, "root-ping-ebpf").kernelEvidenceRecorded()
                .journal(ebpfReplyFreed(at(10_430), SERVER, CLIENT))
                .journal(ebpfReplyFreed(at(1_010_380), SERVER, CLIENT))
                .read();

        // THEN the records stay visible, every check passes, and the echo's verdict notes them
        Assertions.assertThat(traffic.drops()).filteredOn(d -> d.source() == EvidenceSource.KERNEL)
                .allSatisfy(d -> Assertions.assertThat(d.flow()).isPresent())
                .extracting(d -> d.count()).containsExactly(2L); // one record of the flow, both replies
        Assertions.assertThat(traffic.drops()).filteredOn(d -> d.source() == EvidenceSource.KERNEL)
                .allMatch(Drop::isNote);
        Assertions.assertThat(traffic.drops()).filteredOn(d -> !d.isNote()).isEmpty();
        passes(() -> assertThat(traffic).hasNoDrops());
        passes(() -> assertThat(traffic).icmp().echoRequests().allAnswered());
        passes(() -> assertThat(traffic).isReachable(SERVER, 1433));
        Verdict echo = echoVerdict(traffic);
        Assertions.assertThat(echo.fate()).isEqualTo(Fate.COMPLETED);
        Assertions.assertThat(echo.hasLoss()).isFalse();
        Assertions.assertThat(echo.evidence()).singleElement().satisfies(line -> Assertions.assertThat(line)
                .startsWith("kernel note (not a drop of this exchange, inferred): 2 echo replies " + SERVER + " \u2192 "
                        + CLIENT + " captured from +0.010 s to +1.010 s were freed")
                .contains("were freed at ping_rcv with NO_SOCKET"));
        Assertions.assertThat(traffic.verdicts()).noneMatch(Verdict::hasLoss);
    }

    @Test
    void rootPingReplies_withFlowlessTracefsRecords_areNotesToo() {
        CapturedTraffic traffic = Scenarios.healthy(dir, "root-ping-tracefs").kernelEvidenceRecorded()
                .journal(KernelEvents.drop(at(10_450), "NO_SOCKET", "ping_rcv", "4243", "ping"))
                .read();

        passes(() -> assertThat(traffic).hasNoDrops());
        Assertions.assertThat(traffic.drops()).filteredOn(d -> d.source() == EvidenceSource.KERNEL).isNotEmpty()
                .allMatch(Drop::isNote);
        Assertions.assertThat(echoVerdict(traffic).evidence()).singleElement()
                .satisfies(line -> Assertions.assertThat(line).contains("the echo reply " + SERVER + " \u2192 " + CLIENT));
    }

    @Test
    void aReplyFreedWithoutAnAnsweredEchoBeforeIt_staysADrop() {
        // GIVEN an echo reply from another host freed at ping_rcv: no captured reply explains it
        CapturedTraffic traffic = Scenarios.healthy(dir, "stray-reply").kernelEvidenceRecorded()
                .journal(ebpfReplyFreed(at(10_430), "10.200.1.99", CLIENT))
                // and one of the server's, 3 s after its last captured reply
                .journal(ebpfReplyFreed(at(4_100_000), SERVER, CLIENT))
                .read();

        Assertions.assertThat(echoVerdict(traffic).evidence()).isEmpty();
        // the records are notes by kind (no packet lost); only the verdicts, with no captured reply to tie them to, keep them as drops
        Assertions.assertThat(traffic.drops()).filteredOn(d -> d.source() == EvidenceSource.KERNEL).hasSize(2)
                .allMatch(Drop::isNote);
        Assertions.assertThat(traffic.verdicts()).filteredOn(Verdict::hasLoss).hasSize(2)
                .allSatisfy(v -> Assertions.assertThat(v.drops()).allMatch(d -> d.reason().orElse("").equals("NO_SOCKET")));
    }
}
