package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A kernel event's journal entry lists its fields in one fixed order (the event's own fields have
 * none: {@link KernelEvent} keeps them in a {@code Map.copyOf}), so the same event gives the same
 * entry in every run. Pins the order of every field the journal maps, for a tracefs event and for
 * an eBPF drop.
 */
class KernelJournalFieldOrderTest {

    private static final Instant T0 = Instant.parse("2026-12-02T05:00:00.000001Z");

    @Test
    void tracefsEvent_fieldsInTheFixedOrder() {
        KernelEvent e = new KernelEvent("inet_sock_set_state", T0, 1, 77, "curl", Map.of("reason", "R",
                "location", "L", "protocol", "IPPROTO_TCP", "saddr", "10.200.1.10", "daddr", "10.200.1.20",
                "sport", "40000", "dport", "53", "oldstate", "TCP_CLOSE", "newstate", "TCP_SYN_SENT"));

        Map<String, String> f = KernelJournal.fields(e, null);

        assertThat(f.keySet()).containsExactly("MESSAGE", "PCAPUNIT_EVENT", "PCAPUNIT_REASON", "PCAPUNIT_LOCATION",
                "PCAPUNIT_PROTOCOL", "PCAPUNIT_SADDR", "PCAPUNIT_DADDR", "PCAPUNIT_SPORT", "PCAPUNIT_DPORT",
                "PCAPUNIT_OLDSTATE", "PCAPUNIT_NEWSTATE", "PCAPUNIT_CPU", "_PID", "_COMM");
    }

    @Test
    void ebpfDrop_fieldsInTheFixedOrder() {
        Map<String, String> fields = new LinkedHashMap<>(Map.of("reason", "NETFILTER_DROP", "location",
                "nft_do_chain", "protocol", "IPv4", "saddr", "10.200.1.10", "daddr", "10.200.1.20", "sport", "40000",
                "dport", "53", "ipproto", "TCP", "flags", "SYN", "ttl", "64"));
        fields.putAll(Map.of("hook", "OUTPUT", "netns", "app", "netns_inode", "4026532611", "source", "EBPF"));
        KernelEvent e = new KernelEvent("kfree_skb", T0, 1, 77, "curl", fields);

        Map<String, String> f = KernelJournal.fields(e, null);

        assertThat(f.keySet()).containsExactly("MESSAGE", "PCAPUNIT_EVENT", "PCAPUNIT_REASON", "PCAPUNIT_LOCATION",
                "PCAPUNIT_PROTOCOL", "PCAPUNIT_SADDR", "PCAPUNIT_DADDR", "PCAPUNIT_SPORT", "PCAPUNIT_DPORT",
                "PCAPUNIT_FLOW_PROTOCOL", "PCAPUNIT_FLAGS", "PCAPUNIT_TTL", "PCAPUNIT_HOOK", "PCAPUNIT_NETNS",
                "PCAPUNIT_NETNS_INODE", "PCAPUNIT_COMPONENT", "PCAPUNIT_DROP_SOURCE", "PCAPUNIT_CONFIDENCE", "_PID",
                "_COMM");
    }
}
