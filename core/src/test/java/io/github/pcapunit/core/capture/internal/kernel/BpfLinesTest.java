package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bpftrace output of {@link BpfProgram} read into drop events, and the limits of {@link BpfSubscription}. */
class BpfLinesTest {

    /** Output of the program on this machine's kernel 6.18: a connect dropped on OUTPUT in a namespace, then a UDP drop. */
    private static final List<String> OUTPUT = List.of(
            "Attaching 7 probes...",
            "READY 11899506552407",
            "D 11900347682383 12 nft_do_chain 2048 4 10.200.61.10 10.200.62.20 6 35314 1101 2 64 4026532177 4993 python3|",
            "        sk_skb_reason_drop+144",
            "        nft_do_chain+1135",
            "        nft_do_chain_inet+76",
            "        nf_hook_slow+67",
            "        __ip_local_out+348",
            "        ip_local_out+28",
            "        __ip_queue_xmit+363",
            "",
            "H 11900350000000",
            "D 11905603375936 6 udp_queue_rcv_one_skb 2048 4 127.0.0.1 127.0.0.1 17 60599 57908 0 64 4026531833 0 -|",
            "",
            "D 11905603375999 12 nft_do_chain 34525 6 fd00::1 fd00::2 58 32768 77 0 63 4026532178 0 -|",
            "        sk_skb_reason_drop+144",
            "        nft_do_chain+1135",
            "        nf_hook_slow+67",
            "        ip6_forward+1234",
            "");

    private final BpfLines lines = new BpfLines(1_000_000_000_000_000_000L, n -> n == 12 ? "NETFILTER_DROP"
            : n == 6 ? "UDP_CSUM" : "REASON_" + n, ino -> ino == 4026532177L ? "client" : "net:[" + ino + "]",
            pid -> pid == 4993 ? "python3" : "");

    private List<KernelEvent> read(List<String> output) {
        List<KernelEvent> events = new ArrayList<>();
        for (String line : output) {
            if (lines.accept(line) == BpfLines.Kind.DROP) {
                events.add(lines.last());
            }
        }
        return events;
    }

    @Test
    void connectDroppedOnOutput_readsThePacketsOwnHeadersNamespaceHookAndSocketOwner() {
        KernelEvent syn = read(OUTPUT).get(0);

        assertThat(syn.fields()).containsAllEntriesOf(Map.of("source", "EBPF", "reason", "NETFILTER_DROP",
                "location", "nft_do_chain", "protocol", "IPv4", "ipproto", "TCP", "saddr", "10.200.61.10",
                "daddr", "10.200.62.20", "sport", "35314", "dport", "1101"));
        assertThat(syn.fields()).containsAllEntriesOf(Map.of("flags", "SYN", "ttl", "64", "netns", "client",
                "netns_inode", "4026532177", "hook", "OUTPUT"));
        assertThat(syn.pid()).isEqualTo(4993);
        assertThat(syn.comm()).isEqualTo("python3");
        assertThat(syn.time()).isEqualTo(Instant.ofEpochSecond(0, 1_000_000_000_000_000_000L + 11900347682383L));
        assertThat(lines.lastMono()).isEqualTo(11900350000000L);
    }

    @Test
    void dropWithoutSocketOwner_namesNoProcess_andAForwardedIpv6IcmpNamesTypeAndHook() {
        List<KernelEvent> events = read(OUTPUT);

        assertThat(events).hasSize(3);
        KernelEvent udp = events.get(1);
        assertThat(udp.pid()).isEqualTo(-1);
        assertThat(udp.comm()).isEmpty();
        assertThat(udp.field("hook")).isEmpty();
        assertThat(udp.field("ipproto")).isEqualTo("UDP");
        KernelEvent icmp = events.get(2);
        assertThat(icmp.fields()).containsAllEntriesOf(Map.of("protocol", "IPv6", "ipproto", "ICMPv6",
                "flags", "type 128 code 0", "hook", "FORWARD", "ttl", "63", "netns", "net:[4026532178]"));
        assertThat(icmp.field("sport")).isEmpty();
    }

    @Test
    void garbage_isSkippedAndCounted_neverAnEvent() {
        List<KernelEvent> events = read(List.of("D 1 2 3|", "D x 12 nft_do_chain 2048 4 a b 6 1 2 2 64 1 0 -|", "",
                "hello", "H notanumber"));

        assertThat(events).isEmpty();
        assertThat(lines.skipped()).isEqualTo(3);
    }

    @Test
    void hook_isTheCallerOfNfHookSlow() {
        assertThat(BpfLines.hook(List.of("nf_hook_slow+67", "ip_local_deliver+100"))).isEqualTo("INPUT");
        assertThat(BpfLines.hook(List.of("nf_hook_slow+67", "nf_hook_slow_list+5", "ip_sublist_rcv+9")))
                .isEqualTo("PREROUTING");
        assertThat(BpfLines.hook(List.of("nf_hook_slow+67", "ip_output+1"))).isEqualTo("POSTROUTING");
        assertThat(BpfLines.hook(List.of("nf_hook_slow+67", "something_else+1"))).isEmpty();
        assertThat(BpfLines.hook(List.of("nft_do_chain+1135"))).isEmpty();
    }

    @Test
    void floodOfOtherFlowsDrops_neverSummarizesAwayAFlowsFirstDrops() {
        BpfSubscription recorder = BpfSubscription.forLimitsTest();
        for (int i = 0; i < BpfSubscription.MAX_EVENTS + 5_000; i++) {
            recorder.keep(drop("10.9.0." + (i % 200), 40000 + i % 50, 1433));
        }
        recorder.keep(drop("10.200.64.1", 50122, 1433));
        recorder.keep(drop("10.200.64.1", 50122, 1433));

        assertThat(recorder.events()).filteredOn(e -> e.field("saddr").equals("10.200.64.1")).hasSize(2);
        long counted = recorder.summaries().stream().mapToLong(KernelSummary::count).sum();
        assertThat(recorder.events().size() + counted).as("every drop kept or counted")
                .isEqualTo(BpfSubscription.MAX_EVENTS + 5_000 + 2);
        assertThat(recorder.overflow()).isEqualTo(counted);
    }

    @Test
    void floodOfOneFlow_keepsAtMostItsKindsLimit_andCountsTheRestWithTheFlow() {
        BpfSubscription recorder = BpfSubscription.forLimitsTest();
        for (int i = 0; i < 1_000; i++) {
            recorder.keep(drop("10.9.0.1", 40000, 53));
        }

        assertThat(recorder.events()).hasSize(BpfSubscription.MAX_PER_KIND);
        assertThat(recorder.summaries()).singleElement().satisfies(s -> {
            assertThat(s.count()).isEqualTo(1_000 - BpfSubscription.MAX_PER_KIND);
            assertThat(s.example().field("saddr")).isEqualTo("10.9.0.1");
            assertThat(s.example().field("dport")).isEqualTo("53");
        });
    }

    @Test
    void journalEntries_readBackAsTheSameObservedRecord_andACraftedAddressIsRefused() {
        List<KernelEvent> events = read(OUTPUT);
        List<io.github.pcapunit.core.pcapng.JournalEntry> journal = new ArrayList<>();
        for (KernelEvent e : events.subList(0, 1)) {
            journal.add(io.github.pcapunit.core.pcapng.JournalEntry.of(e.time(), KernelJournal.fields(e, null)));
            journal.add(io.github.pcapunit.core.pcapng.JournalEntry.of(e.time().plusSeconds(1),
                    KernelJournal.fields(new KernelEvent(e.name(), e.time().plusSeconds(1), -1, e.pid(), e.comm(),
                            e.fields()), null)));
        }

        assertThat(KernelJournal.drops(journal)).singleElement().satisfies(d -> {
            assertThat(d.line()).isEqualTo("Drop: reason NETFILTER_DROP, component netfilter (nftables, nft_do_chain),"
                    + " TCP 10.200.61.10:35314 \u2192 10.200.62.20:1101 SYN, hook OUTPUT in namespace client, ttl 64,"
                    + " 2 packets, process python3 (pid 4993), the socket's owner [eBPF, observed]");
            assertThat(d.count()).isEqualTo(2);
            assertThat(d.observed()).isTrue();
        });
        Map<String, String> crafted = new java.util.LinkedHashMap<>(journal.get(0).fields());
        crafted.put("PCAPUNIT_SADDR", "not-an-address");
        crafted.remove(io.github.pcapunit.core.pcapng.JournalEntry.REALTIME_TIMESTAMP);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KernelJournal.drops(List.of(
                io.github.pcapunit.core.pcapng.JournalEntry.of(Instant.EPOCH, crafted))))
                .isInstanceOf(io.github.pcapunit.core.CaptureException.class).hasMessageContaining("not-an-address");
    }

    private static KernelEvent drop(String saddr, int sport, int dport) {
        return new KernelEvent("kfree_skb", Instant.now(), -1, -1, "", Map.of("source", "EBPF", "reason",
                "NETFILTER_DROP", "location", "nft_do_chain", "ipproto", "TCP", "saddr", saddr, "daddr", "10.200.64.2",
                "sport", Integer.toString(sport), "dport", Integer.toString(dport), "flags", "SYN", "hook", "OUTPUT"));
    }
}
