package io.github.pcapunit.core.pcapng;

import java.util.Optional;

/**
 * The journal field names pcapunit writes and reads, defined once. {@link #fieldName()} is the
 * name in the journal export block ({@code MESSAGE}, {@code _PID}, {@code PCAPUNIT_SADDR}, ...);
 * docs/DESIGN.md describes what each one holds.
 *
 * <pre>{@code
 * JournalEntry drop = JournalEntry.builder(t)
 *         .field(JournalKey.MESSAGE, "Drop: reason NETFILTER_DROP, ...")
 *         .field(JournalKey.PCAPUNIT_EVENT, "kfree_skb")
 *         .field(JournalKey.PCAPUNIT_REASON, "NETFILTER_DROP")
 *         .build();
 * drop.get(JournalKey.PCAPUNIT_REASON);   // Optional["NETFILTER_DROP"]
 * }</pre>
 */
public enum JournalKey {
    /** The text Wireshark shows for the entry. */
    MESSAGE("MESSAGE"),
    /** Who wrote the entry: {@code pcapunit}. */
    SYSLOG_IDENTIFIER("SYSLOG_IDENTIFIER"),
    /** The process that was running when a kernel event fired. */
    PID("_PID"),
    /** That process's name. */
    COMM("_COMM"),

    /** What the entry is: {@code mark}, {@code kfree_skb}, {@code nftrace}, {@code evidence_status}, ... */
    PCAPUNIT_EVENT("PCAPUNIT_EVENT"),
    /** The CPU a kernel event fired on. */
    PCAPUNIT_CPU("PCAPUNIT_CPU"),
    /** Kernel drop reason, e.g. {@code NETFILTER_DROP}. */
    PCAPUNIT_REASON("PCAPUNIT_REASON"),
    /** Kernel function that freed the packet, e.g. {@code nft_do_chain}. */
    PCAPUNIT_LOCATION("PCAPUNIT_LOCATION"),
    /** Readable component, e.g. {@code netfilter (nftables)}. */
    PCAPUNIT_COMPONENT("PCAPUNIT_COMPONENT"),
    /** The event's protocol as the kernel or nft prints it ({@code IPv4}, {@code tcp}, ...). */
    PCAPUNIT_PROTOCOL("PCAPUNIT_PROTOCOL"),
    /** The protocol of the flow a kernel drop is attributed to, e.g. {@code TCP}. */
    PCAPUNIT_FLOW_PROTOCOL("PCAPUNIT_FLOW_PROTOCOL"),
    /** Source address. */
    PCAPUNIT_SADDR("PCAPUNIT_SADDR"),
    /** Destination address. */
    PCAPUNIT_DADDR("PCAPUNIT_DADDR"),
    /** Source port. */
    PCAPUNIT_SPORT("PCAPUNIT_SPORT"),
    /** Destination port. */
    PCAPUNIT_DPORT("PCAPUNIT_DPORT"),
    /** TCP flags of a traced packet, e.g. {@code syn}. */
    PCAPUNIT_FLAGS("PCAPUNIT_FLAGS"),
    /** TCP state before a state change. */
    PCAPUNIT_OLDSTATE("PCAPUNIT_OLDSTATE"),
    /** TCP state after a state change (or during a retransmission). */
    PCAPUNIT_NEWSTATE("PCAPUNIT_NEWSTATE"),
    /** nftables table of a drop verdict, with its family: {@code inet filter}. */
    PCAPUNIT_NFT_TABLE("PCAPUNIT_NFT_TABLE"),
    /** nftables chain of a drop verdict. */
    PCAPUNIT_NFT_CHAIN("PCAPUNIT_NFT_CHAIN"),
    /** nftables rule handle of a drop verdict, -1 for a chain policy. */
    PCAPUNIT_NFT_HANDLE("PCAPUNIT_NFT_HANDLE"),
    /** nftables rule comment of a drop verdict, empty when none. */
    PCAPUNIT_NFT_COMMENT("PCAPUNIT_NFT_COMMENT"),
    /** Network namespace a verdict was traced in, {@code (JVM)} for the JVM's own. */
    PCAPUNIT_NETNS("PCAPUNIT_NETNS"),
    /** Kernel drop: the network namespace's inode number (as in {@code /proc/PID/ns/net}). */
    PCAPUNIT_NETNS_INODE("PCAPUNIT_NETNS_INODE"),
    /** Kernel drop: the netfilter hook it happened in ({@code OUTPUT}, {@code INPUT}, {@code FORWARD}, ...). */
    PCAPUNIT_HOOK("PCAPUNIT_HOOK"),
    /** Kernel drop: the dropped packet's TTL / hop limit. */
    PCAPUNIT_TTL("PCAPUNIT_TTL"),
    /** Kernel drop: what recorded it, {@code EBPF} (the packet's own headers) or {@code TRACEFS} (correlated). */
    PCAPUNIT_DROP_SOURCE("PCAPUNIT_DROP_SOURCE"),
    /** Kernel drop: how sure its flow and process are, {@code OBSERVED} or {@code INFERRED}. */
    PCAPUNIT_CONFIDENCE("PCAPUNIT_CONFIDENCE"),
    /**
     * Kernel trace summary ({@code PCAPUNIT_EVENT=kernel_trace_summary}): the tracepoint whose
     * events it counts, e.g. {@code kfree_skb}; {@code *} for events the recorder never read.
     */
    PCAPUNIT_SUMMARY_EVENT("PCAPUNIT_SUMMARY_EVENT"),
    /** Kernel trace summary: how many events it stands for. */
    PCAPUNIT_SUMMARY_COUNT("PCAPUNIT_SUMMARY_COUNT"),
    /** Kernel trace summary: the last event's time (ISO-8601); the entry's own time is the first's. */
    PCAPUNIT_SUMMARY_LAST("PCAPUNIT_SUMMARY_LAST"),

    /** Evidence status: the kernel evidence mode asked for ({@code AUTO}, {@code REQUIRED}, {@code OFF}). */
    PCAPUNIT_EVIDENCE_MODE("PCAPUNIT_EVIDENCE_MODE"),
    /** Evidence status of the kernel trace recorder: {@code RECORDED}, {@code UNAVAILABLE}, ... */
    PCAPUNIT_KERNEL_TRACE_STATE("PCAPUNIT_KERNEL_TRACE_STATE"),
    /** Why the kernel trace recorder did not record, when it did not. */
    PCAPUNIT_KERNEL_TRACE_CAUSE("PCAPUNIT_KERNEL_TRACE_CAUSE"),
    /** Events the kernel trace recorder recorded, when counted. */
    PCAPUNIT_KERNEL_TRACE_EVENTS("PCAPUNIT_KERNEL_TRACE_EVENTS"),
    /** Events the kernel trace recorder could not keep (over its limit), when counted. */
    PCAPUNIT_KERNEL_TRACE_NOT_KEPT("PCAPUNIT_KERNEL_TRACE_NOT_KEPT"),
    /** Events the kernel trace recorder may have missed (an upper bound), when counted. */
    PCAPUNIT_KERNEL_TRACE_MISSING("PCAPUNIT_KERNEL_TRACE_MISSING"),
    /** What the kernel trace recorder observed, for people. */
    PCAPUNIT_KERNEL_TRACE_SCOPE("PCAPUNIT_KERNEL_TRACE_SCOPE"),
    /** Evidence status of the eBPF drop recorder (bpftrace): {@code RECORDED}, {@code UNAVAILABLE}, ... */
    PCAPUNIT_EBPF_DROPS_STATE("PCAPUNIT_EBPF_DROPS_STATE"),
    /** Why the eBPF drop recorder did not record, when it did not. */
    PCAPUNIT_EBPF_DROPS_CAUSE("PCAPUNIT_EBPF_DROPS_CAUSE"),
    /** Drops the eBPF drop recorder recorded, when counted. */
    PCAPUNIT_EBPF_DROPS_EVENTS("PCAPUNIT_EBPF_DROPS_EVENTS"),
    /** Drops the eBPF drop recorder counted but did not keep one by one, when counted. */
    PCAPUNIT_EBPF_DROPS_NOT_KEPT("PCAPUNIT_EBPF_DROPS_NOT_KEPT"),
    /** Drop records the eBPF drop recorder may have missed (an upper bound: lost, skipped or unreadable), when counted. */
    PCAPUNIT_EBPF_DROPS_MISSING("PCAPUNIT_EBPF_DROPS_MISSING"),
    /** When and what the eBPF drop recorder observed, for people. */
    PCAPUNIT_EBPF_DROPS_SCOPE("PCAPUNIT_EBPF_DROPS_SCOPE"),
    /** Evidence status of firewall explain mode. */
    PCAPUNIT_FIREWALL_EXPLAIN_STATE("PCAPUNIT_FIREWALL_EXPLAIN_STATE"),
    /** Why firewall explain mode did not record, when it did not. */
    PCAPUNIT_FIREWALL_EXPLAIN_CAUSE("PCAPUNIT_FIREWALL_EXPLAIN_CAUSE"),
    /** Drop verdicts firewall explain mode recorded, when counted. */
    PCAPUNIT_FIREWALL_EXPLAIN_EVENTS("PCAPUNIT_FIREWALL_EXPLAIN_EVENTS"),
    /** Verdicts firewall explain mode could not keep, when counted. */
    PCAPUNIT_FIREWALL_EXPLAIN_NOT_KEPT("PCAPUNIT_FIREWALL_EXPLAIN_NOT_KEPT"),
    /** Verdicts firewall explain mode may have missed (an upper bound), when counted. */
    PCAPUNIT_FIREWALL_EXPLAIN_MISSING("PCAPUNIT_FIREWALL_EXPLAIN_MISSING"),
    /** What firewall explain mode traced (match and namespaces), for people. */
    PCAPUNIT_FIREWALL_EXPLAIN_SCOPE("PCAPUNIT_FIREWALL_EXPLAIN_SCOPE");

    private final String fieldName;

    JournalKey(String fieldName) {
        this.fieldName = fieldName;
    }

    /** The field's name in the journal export format, e.g. {@code _PID} for {@link #PID}. */
    public String fieldName() {
        return fieldName;
    }

    /**
     * The key whose {@link #fieldName()} is {@code fieldName}, or empty for a field pcapunit does
     * not define (another tool's entry).
     *
     * <pre>{@code JournalKey.of("_PID");   // Optional[PID]}</pre>
     */
    public static Optional<JournalKey> of(String fieldName) {
        for (JournalKey k : values()) {
            if (k.fieldName.equals(fieldName)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return fieldName;
    }
}
