package io.github.pcapunit.core.analysis;

/**
 * Where the evidence for a {@link Drop} comes from.
 *
 * <pre>{@code
 * if (drop.source() == EvidenceSource.KERNEL) { ... drop.reason() names the kernel's reason ... }
 * }</pre>
 */
public enum EvidenceSource {
    /** Packets on the wire: what was (not) answered, retransmitted, reset, ICMP errors. */
    WIRE,
    /** Kernel tracepoints recorded during the capture (e.g. {@code skb:kfree_skb}). */
    KERNEL,
    /** The firewall itself (nftables trace naming table, chain and rule). */
    FIREWALL,
    /** The capture: packets the kernel buffer or the interface dropped before recording. */
    CAPTURE,
    /**
     * A drop verdict stored with the packet in the file by the tool that wrote it: a pcapng
     * {@code epb_verdict} of an eBPF TC or XDP program that dropped the packet, as Linux eBPF
     * capture tools and Microsoft's etl2pcapng (for packets pktmon reports dropped) write it.
     */
    PACKET_VERDICT
}
