package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.pcapng.JournalKey;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One summary type for both recorders, and its journal entry per source (tracefs, eBPF). */
class KernelSummaryTest {

    private static final Instant T0 = Instant.parse("2026-12-02T05:00:00.000001Z");

    @Test
    void plus_countsAndKeepsTheFirstAndLatestTime() {
        KernelEvent drop = new KernelEvent("kfree_skb", T0, -1, -1, "", Map.of("reason", "NO_SOCKET"));

        KernelSummary s = KernelSummary.of(drop).plus(T0.plusSeconds(4)).plus(T0.plusSeconds(2));

        assertThat(s).isEqualTo(new KernelSummary(drop, 3, T0, T0.plusSeconds(4)));
    }

    @Test
    void tracefsSummary_isAKernelTraceSummaryEntryWithTheKeyFields() {
        KernelEvent example = new KernelEvent("kfree_skb", T0, -1, -1, "", Map.of("reason", "NO_SOCKET",
                "location", "__udp4_lib_rcv", "protocol", "IPv4"));

        Map<String, String> f = KernelJournal.fields(new KernelSummary(example, 5, T0, T0.plusSeconds(4)));

        assertThat(f).containsExactly(
                Map.entry("MESSAGE", "kernel trace: 5 more kfree_skb events (reason NO_SOCKET, location"
                        + " __udp4_lib_rcv, protocol IPv4) counted, not kept one by one, from"
                        + " 2026-12-02T05:00:00.000001Z to 2026-12-02T05:00:04.000001Z"),
                Map.entry("PCAPUNIT_EVENT", KernelJournal.SUMMARY), Map.entry("PCAPUNIT_REASON", "NO_SOCKET"),
                Map.entry("PCAPUNIT_LOCATION", "__udp4_lib_rcv"), Map.entry("PCAPUNIT_PROTOCOL", "IPv4"),
                Map.entry("PCAPUNIT_COMPONENT", "UDP (no socket)"), Map.entry("PCAPUNIT_SUMMARY_EVENT", "kfree_skb"),
                Map.entry("PCAPUNIT_SUMMARY_COUNT", "5"),
                Map.entry("PCAPUNIT_SUMMARY_LAST", "2026-12-02T05:00:04.000001Z"));
    }

    @Test
    void ebpfSummary_isItsExamplesEbpfEntryWithTheCount() {
        KernelEvent example = new KernelEvent("kfree_skb", T0, -1, 77, "curl", Map.of("source", "EBPF", "reason",
                "NETFILTER_DROP", "location", "nft_do_chain", "protocol", "IPv4", "ipproto", "TCP", "saddr",
                "10.9.0.1", "sport", "40000", "daddr", "10.200.64.2", "dport", "53", "hook", "OUTPUT"));

        Map<String, String> f = KernelJournal.fields(new KernelSummary(example, 100, T0, T0.plusMillis(99)));

        assertThat(f).isEqualTo(KernelJournal.ebpfFields(example, 100, T0.plusMillis(99)));
        assertThat(f.get(JournalKey.PCAPUNIT_EVENT.fieldName())).isEqualTo(KernelJournal.SUMMARY);
        assertThat(f.get(JournalKey.PCAPUNIT_DROP_SOURCE.fieldName())).isEqualTo(KernelDrop.EBPF);
        assertThat(f.get(JournalKey.MESSAGE.fieldName())).startsWith("eBPF: 100 more kfree_skb drops (")
                .endsWith(" counted, not kept one by one, from 2026-12-02T05:00:00.000001Z to"
                        + " 2026-12-02T05:00:00.099001Z");
    }
}
