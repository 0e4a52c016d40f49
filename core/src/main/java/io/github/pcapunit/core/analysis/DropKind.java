package io.github.pcapunit.core.analysis;

/**
 * What kind of loss a {@link Drop} reports.
 *
 * <pre>{@code
 * traffic.drops().stream().filter(d -> d.kind() == DropKind.REFUSED).count();
 * }</pre>
 */
public enum DropKind {
    /** A TCP SYN (possibly retransmitted) that never got a SYN-ACK or reset. */
    UNANSWERED_CONNECTION_ATTEMPT,
    /** Data segments of an established TCP connection were sent again. */
    RETRANSMITTED,
    /** An established TCP connection was reset by the server (a reset by the initiator itself is no drop). */
    RESET_BY_PEER,
    /**
     * A reset came from a device on the path, not from the address it names: its TTL/hop limit
     * differs from that address's own packets (e.g. a router's {@code reject with tcp reset}).
     */
    RESET_BY_PATH,
    /** A connection attempt was answered by a TCP reset (closed port or {@code reject with tcp reset}). */
    REFUSED,
    /** An ICMP/ICMPv6 destination-unreachable (port, host, net, admin-prohibited, ...) reported on a flow. */
    ICMP_UNREACHABLE,
    /** An ICMP echo request without an echo reply. */
    ECHO_WITHOUT_REPLY,
    /** The capture itself lost packets (kernel buffer or interface drops). */
    CAPTURE_LOSS,
    /** The kernel freed a packet with a drop reason (e.g. {@code NETFILTER_DROP}). */
    KERNEL_DROP
}
