package io.github.pcapunit.core;

import io.github.pcapunit.core.analysis.Drop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.capture.internal.kernel.KernelDrop;
import io.github.pcapunit.core.capture.internal.kernel.KernelDrops;
import io.github.pcapunit.core.capture.internal.kernel.KernelEvent;
import io.github.pcapunit.core.capture.internal.kernel.KernelJournal;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import io.github.pcapunit.core.capture.internal.kernel.KernelTraceText;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing and correlation on recorded trace text (kernel 6.18); no root needed. */
class KernelTraceParsingTest {

    private static final String FORMAT = "name: kfree_skb\nformat:\n\tfield:enum skb_drop_reason reason;\n\n"
            + "print fmt: \"skbaddr=%p reason: %s\", REC->skbaddr, __print_symbolic(REC->reason, { 2, \"NOT_SPECIFIED\" },"
            + " { 3, \"NO_SOCKET\" }, { 4, \"SOCKET_CLOSE\" }, { 12, \"NETFILTER_DROP\" }, { 56, \"IPV6DISABLED\" },"
            + " { 104, \"QUEUE_PURGE\" }, { 128, \"MAX\" })\n";

    /** A connect to 1433 dropped on OUTPUT, its retransmission dropped, and unrelated noise. */
    private static final List<String> TRACE = List.of(
            "         python3-11816   [001] .....  2855.036760: inet_sock_set_state: family=AF_INET protocol=IPPROTO_TCP sport=0 dport=1433 saddr=10.200.1.10 daddr=10.200.1.20 saddrv6=::ffff:10.200.1.10 daddrv6=::ffff:10.200.1.20 oldstate=TCP_CLOSE newstate=TCP_SYN_SENT",
            "         python3-11816   [001] .....  2855.037059: kfree_skb: skbaddr=00000000554b7388 rx_sk=0000000000000000 protocol=2048 location=nft_do_chain+0x3e8/0x610 reason: NETFILTER_DROP",
            "     kworker/1:1-41      [000] ..s1.  2855.500000: kfree_skb: skbaddr=0000000034f7965a rx_sk=0000000000000000 protocol=34525 location=ip6_pkt_discard+0x11/0x20 reason: IP_INNOROUTES",
            "          <idle>-0       [000] ..s2.  2856.060109: kfree_skb: skbaddr=00000000554b7388 rx_sk=0000000000000000 protocol=2048 location=nft_do_chain+0x3e8/0x610 reason: NETFILTER_DROP",
            "          <idle>-0       [000] ..s2.  2856.060112: tcp_retransmit_skb: skbaddr=00000000e8cbd699 skaddr=00000000f0e774cf family=AF_INET sport=39322 dport=1433 saddr=10.200.1.10 daddr=10.200.1.20 saddrv6=::ffff:10.200.1.10 daddrv6=::ffff:10.200.1.20 state=TCP_SYN_SENT err=-1",
            "         python3-11816   [001] .....  2856.540498: inet_sock_set_state: family=AF_INET protocol=IPPROTO_TCP sport=39322 dport=1433 saddr=10.200.1.10 daddr=10.200.1.20 saddrv6=::ffff:10.200.1.10 daddrv6=::ffff:10.200.1.20 oldstate=TCP_SYN_SENT newstate=TCP_CLOSE",
            "# tracer: nop",
            "garbage");

    @Test
    void dropReasonFilter_excludesNonNetworkReasonsByTheirNumbersOnThisKernel() {
        assertThat(KernelTraceText.filterFor(FORMAT)).isEqualTo("reason != 2 && reason != 4 && reason != 104 && reason != 56 && reason != 128");
    }

    @Test
    void formatWithoutReasons_givesNoFilter() {
        assertThat(KernelTraceText.filterFor("print fmt: \"skbaddr=%p protocol=%u\", REC->skbaddr")).isEmpty();
    }

    @Test
    void traceLine_parsesTaskCpuMonotonicTimeAndNormalisedFields() {
        long offset = 1_000_000_000_000_000_000L;
        KernelEvent e = KernelTraceText.parse(TRACE.get(4), offset).orElseThrow();

        assertThat(e.name()).isEqualTo("tcp_retransmit_skb");
        assertThat(e.cpu()).isZero();
        assertThat(e.pid()).isZero();
        assertThat(e.hasProcess()).isFalse();
        assertThat(e.time()).isEqualTo(Instant.ofEpochSecond(1_000_000_000L + 2856, 60_112_000));
        assertThat(e.fields()).containsEntry("saddr", "10.200.1.10").containsEntry("sport", "39322")
                .containsEntry("dport", "1433").containsEntry("newstate", "TCP_SYN_SENT");
        assertThat(KernelTraceText.parse(TRACE.get(6), offset)).isEmpty();
        assertThat(KernelTraceText.parse(TRACE.get(7), offset)).isEmpty();
    }

    @Test
    void commWithDashesAndTgidColumn_pidIsTheProcess() {
        KernelEvent e = KernelTraceText.parse(
                "  Test worker-1-19001 (  18937) [001] .....  10.000001: kfree_skb: protocol=2048 location=nf_hook_slow+0x1/0x2 reason: NETFILTER_DROP",
                0).orElseThrow();
        assertThat(e.comm()).isEqualTo("Test worker-1");
        assertThat(e.pid()).isEqualTo(18937);
        assertThat(e.field("location")).isEqualTo("nf_hook_slow");
    }

    @Test
    void synSentThenRetransmission_bothDropsBecomeOneRecordWithTheConnectingProcess() {
        List<KernelEvent> events = TRACE.stream().map(l -> KernelTraceText.parse(l, 0)).flatMap(java.util.Optional::stream).toList();

        List<KernelDrop> drops = KernelDrops.correlate(events);

        assertThat(drops).hasSize(2);
        KernelDrop connect = drops.get(0);
        assertThat(connect.line()).isEqualTo("Drop: reason NETFILTER_DROP, component netfilter (nftables, nft_do_chain), "
                + "TCP 10.200.1.10:39322 \u2192 10.200.1.20:1433 SYN, 2 packets, process python3 (pid 11816)");
        assertThat(connect.times()).hasSize(2);
        KernelDrop noise = drops.get(1);
        assertThat(noise.hasFlow()).isFalse();
        assertThat(noise.reason()).isEqualTo("IP_INNOROUTES");
        assertThat(noise.component()).isEqualTo("IPv6");
        assertThat(noise.processName()).isEmpty();
    }

    @Test
    void dropOnAnotherCpu_isNotAttributedToTheConnect() {
        List<KernelEvent> events = List.of(
                KernelTraceText.parse(TRACE.get(0), 0).orElseThrow(),
                KernelTraceText.parse(TRACE.get(1).replace("[001]", "[000]"), 0).orElseThrow());

        assertThat(KernelDrops.correlate(events)).singleElement().satisfies(d -> assertThat(d.hasFlow()).isFalse());
    }

    @Test
    void journalRoundTrip_givesTheSameDropRecords() {
        List<KernelEvent> events = TRACE.stream().map(l -> KernelTraceText.parse(l, 1_700_000_000_000_000_000L))
                .flatMap(java.util.Optional::stream).toList();
        List<KernelDrops.Attributed> attributed = KernelDrops.attribute(events);
        List<JournalEntry> entries = events.stream().map(e -> {
            KernelDrop drop = attributed.stream().filter(a -> a.event() == e).map(KernelDrops.Attributed::drop)
                    .findFirst().orElse(null);
            return JournalEntry.of(e.time(), KernelJournal.fields(e, drop));
        }).toList();

        assertThat(entries.get(1).fields()).containsEntry("PCAPUNIT_EVENT", "kfree_skb")
                .containsEntry("PCAPUNIT_REASON", "NETFILTER_DROP")
                .containsEntry("PCAPUNIT_COMPONENT", "netfilter (nftables)").containsEntry("PCAPUNIT_DPORT", "1433")
                .containsEntry("_COMM", "python3");
        assertThat(entries.get(1).get(JournalKey.PCAPUNIT_REASON)).contains("NETFILTER_DROP");
        assertThat(KernelJournal.drops(entries)).isEqualTo(KernelDrops.correlate(events));
    }
}
