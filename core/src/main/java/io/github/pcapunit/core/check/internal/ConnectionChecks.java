package io.github.pcapunit.core.check.internal;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.analysis.IcmpExchange;
import io.github.pcapunit.core.packet.IpProtocol;
import io.github.pcapunit.core.analysis.TcpConnection;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.ArrayList;
import io.github.pcapunit.core.analysis.Fate;
import io.github.pcapunit.core.analysis.Verdict;

/** Checks over the TCP connections to a port, and over ICMP echo requests. */
public final class ConnectionChecks {

    private ConnectionChecks() {
    }

    /** Every connection to {@code port} (any port if negative) completed its handshake. */
    public static Check allEstablished(int port) {
        return (traffic, allow) -> connections(traffic, allow, port, c -> !c.isEstablished(), v -> true,
                ShouldAllBeEstablished::shouldAllBeEstablished, "to have all " + selection(port) + " established");
    }

    /**
     * No connection to {@code port} was refused or reset by the server or by a device on the path;
     * a reset sent by the connection's own initiator (a client closing early) is no failure.
     */
    public static Check noneReset(int port) {
        // Only a connection with a reset can have one of these fates: the others' verdicts are not built.
        return (traffic, allow) -> connections(traffic, allow, port, TcpConnection::isReset,
                v -> v.fate() == Fate.REFUSED || v.fate() == Fate.RESET_BY_PEER || v.fate() == Fate.RESET_BY_PATH,
                ShouldNoneBeReset::shouldNoneBeReset, "to have none of the " + selection(port) + " reset");
    }

    /** No connection to {@code port} retransmitted a SYN or data. */
    public static Check noneRetransmitted(int port) {
        return (traffic, allow) -> connections(traffic, allow, port, c -> c.retransmissions() > 0, v -> true,
                ShouldNoneBeRetransmitted::shouldNoneBeRetransmitted,
                "to have none of the " + selection(port) + " retransmitted");
    }

    private static String selection(int port) {
        return port < 0 ? "TCP connections" : "connections to port " + port;
    }

    private interface Factory {
        String message(MessageContext context, String lead, String selection, int total, List<String> lines,
                       int failed);
    }

    private static Optional<String> connections(CapturedTraffic traffic, boolean allowNoTraffic, int port,
                                                Predicate<TcpConnection> candidate, Predicate<Verdict> failing,
                                                Factory factory,
                                                String to) {
        List<TcpConnection> all = port < 0 ? traffic.connections() : traffic.connectionsTo(port);
        String selection = port < 0 ? "TCP connections" : "connections to port " + port;
        if (all.isEmpty()) {
            List<Drop> drops = DropChecks.tied(traffic, port < 0 ? traffic.drops() : traffic.dropsTo(port)).stream()
                    .filter(d -> d.flow().map(f -> f.protocol() == IpProtocol.TCP).orElse(false)).toList();
            return noTraffic(traffic, allowNoTraffic, to, port < 0 ? "TCP connection" : "TCP connection to port " + port,
                    drops);
        }
        List<Verdict> bad = new ArrayList<>();
        for (TcpConnection c : all) {
            if (candidate.test(c)) {
                Verdict v = traffic.verdictOf(c);
                if (failing.test(v)) {
                    bad.add(v);
                }
            }
        }
        if (bad.isEmpty()) {
            return Optional.empty();
        }
        String lead = Verdicts.lead(bad, List.of(), port < 0 ? "" : "to port " + port);
        return Optional.of(factory.message(Contexts.of(traffic), lead, selection, all.size(),
                Verdicts.lines(bad, List.of()), bad.size()));
    }

    /** Every ICMP/ICMPv6 echo request got a reply. */
    public static Check echoRequestsAnswered() {
        return echoRequestsAnswered(null);
    }

    /** Every ICMP/ICMPv6 echo request to {@code host} (any host when null) got a reply. */
    public static Check echoRequestsAnswered(InetAddress host) {
        return (traffic, allowNoTraffic) -> {
            List<IcmpExchange> all = traffic.icmpEchoes().stream()
                    .filter(e -> host == null || e.destination().equals(host)).toList();
            if (all.isEmpty()) {
                // ICMP records by protocol: tracefs-tied ones carry no port, eBPF ones port 0
                List<Drop> kernel = DropChecks.tied(traffic, traffic.drops()).stream()
                        .filter(d -> d.flow().map(f -> (f.protocol() == IpProtocol.ICMP
                                || f.protocol() == IpProtocol.ICMPV6)
                                && (host == null || f.destination().address().equals(host))).orElse(false))
                        .toList();
                String to = "to have all ICMP echo requests" + (host == null ? "" : " to " + host.getHostAddress())
                        + " answered";
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
            List<Verdict> failed = traffic.verdicts().stream()
                    .filter(v -> v.isFailure() && (v.flow().protocol() == IpProtocol.ICMP
                            || v.flow().protocol() == IpProtocol.ICMPV6)
                            && (host == null || v.flow().destination().address().equals(host)))
                    .toList();
            String lead = failed.isEmpty() ? unanswered.size() + " ICMP echo requests were not answered"
                    : Verdicts.lead(failed, List.of(), host == null ? "" : "to " + host.getHostAddress());
            return Optional.of(ShouldAllBeAnswered.shouldAllBeAnswered(Contexts.of(traffic), lead,
                    host == null ? null : host.getHostAddress(), all.size(), lines, unanswered.size()));
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
                    what, DropChecks.lines(drops), drops.size(), drops.stream().mapToLong(Drop::count).sum()));
        }
        if (allowNoTraffic) {
            return Optional.empty();
        }
        return Optional.of(ShouldHaveSeenTraffic.shouldHaveSeen(Contexts.of(traffic), to, what));
    }
}
