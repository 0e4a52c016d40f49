package io.github.pcapunit.maven;

/**
 * Rule of {@code capture:verify}: no packet to this port (optionally on this host) was dropped —
 * no unanswered SYN, reset, ICMP unreachable or kernel/firewall drop. Same check and message as
 * the AssertJ assertion {@code hasNoDroppedPacketsTo(port)}.
 *
 * <pre>{@code
 * <noDropsTo>
 *   <port>1433</port>
 *   <host>10.0.1.20</host>   <!-- optional -->
 * </noDropsTo>
 * }</pre>
 *
 * @since 0.1.0
 */
public class NoDropsTo extends Destination {

    /** For Maven's configurator. */
    public NoDropsTo() {
    }

    /** A rule for {@code port} on any host, e.g. {@code new NoDropsTo(1433)}. */
    public NoDropsTo(int port) {
        this.port = port;
    }
}
