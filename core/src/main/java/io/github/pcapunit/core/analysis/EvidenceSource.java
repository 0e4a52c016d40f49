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
    CAPTURE
}
