package io.github.pcapunit.core.check.internal;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.packet.Flow;
import io.github.pcapunit.core.analysis.IcmpExchange;
import io.github.pcapunit.core.packet.IpProtocol;
import io.github.pcapunit.core.analysis.TcpConnection;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** Checks over the TCP connections to a port, and over ICMP echo requests. */
public final class ConnectionChecks {

    private ConnectionChecks() {
    }

    /** Every connection to {@code port} (any port if negative) completed its handshake. */
    public static Check allEstablished(int port) {
        return (traffic, allow) -> connections(traffic, allow, port, c -> !c.isEstablished(),
                (ctx, sel, total, lines, n) -> ShouldAllBeEstablished.shouldAllBeEstablished(ctx, sel, total, lines, n),
                "to have all " + selection(port) + " established");
    }

    /** No connection to {@code port} was reset or refused. */
    public static Check noneReset(int port) {
        return (traffic, allow) -> connections(traffic, allow, port, TcpConnection::isReset,
                (ctx, sel, total, lines, n) -> ShouldNoneBeReset.shouldNoneBeReset(ctx, sel, total, lines, n),
                "to have none of the " + selection(port) + " reset");
    }

    /** No connection to {@code port} retransmitted a SYN or data. */
    public static Check noneRetransmitted(int port) {
        return (traffic, allow) -> connections(traffic, allow, port, c -> c.retransmissions() > 0,
                (ctx, sel, total, lines, n) -> ShouldNoneBeRetransmitted.shouldNoneBeRetransmitted(ctx, sel, total,
                        lines, n),
                "to have none of the " + selection(port) + " retransmitted");
    }

    private static String selection(int port) {
        return port < 0 ? "TCP connections" : "connections to port " + port;
    }

    private interface Factory {
        String message(MessageContext context, String selection, int total, List<String> lines, int failed);
    }

    private static Optional<String> connections(CapturedTraffic traffic, boolean allowNoTraffic, int port,
                                                Predicate<TcpConnection> failing, Factory factory, String to) {
        List<TcpConnection> all = port < 0 ? traffic.connections() : traffic.connectionsTo(port);
        List<Drop> drops = DropChecks.tied(traffic, port < 0 ? traffic.drops() : traffic.dropsTo(port)).stream()
                .filter(d -> d.flow().map(f -> f.protocol() == IpProtocol.TCP).orElse(false)).toList();
        String selection = port < 0 ? "TCP connections" : "connections to port " + port;
        if (all.isEmpty()) {
            return noTraffic(traffic, allowNoTraffic, to, port < 0 ? "TCP connection" : "TCP connection to port " + port,
                    drops);
        }
        List<TcpConnection> bad = all.stream().filter(failing).toList();
        if (bad.isEmpty()) {
            return Optional.empty();
        }
        Map<Flow, String> evidence = dropLinesByFlow(drops);
        List<String> lines = bad.stream().limit(FailureText.MAX_LINES + 1L)
                .map(c -> evidence.getOrDefault(c.flow(), c.summary())).toList();
        return Optional.of(factory.message(Contexts.of(traffic), selection, all.size(), lines,
                bad.size()));
    }

    /** Every ICMP/ICMPv6 echo request got a reply. */
    public static Check echoRequestsAnswered() {
        return (traffic, allowNoTraffic) -> {
            List<IcmpExchange> all = traffic.icmpEchoes();
            if (all.isEmpty()) {
                List<Drop> kernel = DropChecks.tied(traffic, traffic.drops()).stream()
                        .filter(d -> d.flow().map(f -> f.destination().port() < 0).orElse(false)).toList();
                String to = "to have all ICMP echo requests answered";
                if (kernel.isEmpty()) {
                    List<Drop> untied = untiedFirewallDrops(traffic);
                    if (!untied.isEmpty()) {
                        return Optional.of(ShouldHaveSeenTraffic.shouldHaveSeenButUntiedDrops(Contexts.of(traffic), to,
                                "ICMP echo request", DropChecks.lines(untied), untied.size()));
                    }
                }
                return noTraffic(traffic, allowNoTraffic, to, "ICMP echo request", kernel);
            }
            List<IcmpExchange> unanswered = all.stream().filter(e -> !e.isAnswered()).toList();
            if (unanswered.isEmpty()) {
                return Optional.empty();
            }
            Instant base = traffic.fileFirstPacketTime().orElse(unanswered.get(0).requestTime());
            List<String> lines = unanswered.stream().limit(FailureText.MAX_LINES + 1L)
                    .map(e -> e.summary() + sentTimes(e, base)).toList();
            return Optional.of(ShouldAllBeAnswered.shouldAllBeAnswered(Contexts.of(traffic), all.size(), lines,
                    unanswered.size()));
        };
    }

    /**
     * Kernel records of firewall drops (reason NETFILTER_*) without a flow: an ICMP packet the
     * firewall ate leaves one of these and nothing on the wire. Other flowless records (e.g.
     * NO_SOCKET at ping_rcv for another process's late replies) are not firewall drops.
     */
    private static List<Drop> untiedFirewallDrops(CapturedTraffic traffic) {
        return traffic.drops().stream()
                .filter(d -> d.source() == EvidenceSource.KERNEL && d.flow().isEmpty()
                        && d.reason().map(r -> r.startsWith("NETFILTER")).orElse(false))
                .toList();
    }

    private static String sentTimes(IcmpExchange e, Instant base) {
        String at = " at " + Contexts.relative(e.requestTime(), base);
        return e.requestCount() > 1 ? ", sent " + e.requestCount() + "\u00d7, first" + at : at;
    }

    /**
     * No traffic was seen: kernel drops (an outbound firewall leaves nothing on the wire) are the
     * evidence if there are any; otherwise the "no traffic" explanation unless allowed.
     */
    private static Optional<String> noTraffic(CapturedTraffic traffic, boolean allowNoTraffic, String to,
                                              String what, List<Drop> drops) {
        if (!drops.isEmpty()) {
            return Optional.of(ShouldHaveSeenTraffic.shouldHaveSeenButDropped(Contexts.of(traffic), to,
                    what, DropChecks.lines(drops), drops.size()));
        }
        if (allowNoTraffic) {
            return Optional.empty();
        }
        return Optional.of(ShouldHaveSeenTraffic.shouldHaveSeen(Contexts.of(traffic), to, what));
    }

    private static Map<Flow, String> dropLinesByFlow(List<Drop> drops) {
        Map<Flow, String> lines = new HashMap<>();
        for (Drop d : drops) {
            d.flow().ifPresent(f -> lines.merge(f, d.description(), (a, b) -> a + "; " + b));
        }
        return lines;
    }
}
