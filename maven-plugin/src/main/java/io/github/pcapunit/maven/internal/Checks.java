package io.github.pcapunit.maven.internal;

import io.github.pcapunit.core.CapturedTraffic;
import io.github.pcapunit.core.DecodedPacket;
import io.github.pcapunit.core.Drop;
import io.github.pcapunit.core.Endpoint;
import io.github.pcapunit.core.TcpConnection;
import io.github.pcapunit.core.internal.expect.MessageContext;
import io.github.pcapunit.core.internal.expect.ShouldBeComplete;
import io.github.pcapunit.core.internal.expect.ShouldHaveNoDrops;
import io.github.pcapunit.core.internal.expect.ShouldHaveSeenTraffic;
import io.github.pcapunit.core.internal.expect.ShouldNoneBeReset;
import io.github.pcapunit.core.internal.expect.ShouldNoneBeRetransmitted;
import io.github.pcapunit.core.internal.expect.ShouldOnlyTalkTo;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The rule checks: each returns {@code null} when the rule holds, else the failure message built
 * by core's message factories (the same ones behind the AssertJ assertions).
 */
final class Checks {

    private Checks() {
    }

    static MessageContext context(CapturedTraffic t) {
        MessageContext c = MessageContext.none().withFile(t.path());
        Optional<String> loss = t.incompleteness();
        return loss.isPresent() ? c.withCaptureLoss(loss.get()) : c;
    }

    static String complete(CapturedTraffic t) {
        if (t.isComplete()) {
            return null;
        }
        long lost = t.packetsDroppedByKernel() + t.packetsDroppedByInterface();
        return ShouldBeComplete.shouldBeComplete(context(t), lost,
                t.incompleteness().map(List::of).orElse(List.of()));
    }

    static String noDropsTo(CapturedTraffic t, String host, int port, boolean allowNoTraffic) {
        String target = host == null ? "port " + port : Endpoint.of(host, port).toString();
        long seen = host == null ? t.packetsTo(port) : t.packetsTo(host, port);
        if (seen == 0) {
            return allowNoTraffic ? null : ShouldHaveSeenTraffic.shouldHaveSeenTraffic(context(t),
                    "to have no dropped packets to " + target, target);
        }
        InetAddress address = host == null ? null : Endpoint.of(host, port).address();
        List<Drop> drops = t.dropsTo(port).stream()
                .filter(d -> address == null || d.flow()
                        .map(f -> f.destination().address().equals(address)).orElse(false))
                .toList();
        if (drops.isEmpty()) {
            return null;
        }
        return ShouldHaveNoDrops.shouldHaveNoDrops(context(t), target,
                drops.stream().map(Drop::toString).toList(), drops.size());
    }

    static String onlyTalksTo(CapturedTraffic t, List<Endpoint> allowed) {
        Map<String, Long> offending = new LinkedHashMap<>();
        try (Stream<DecodedPacket> packets = t.packets()) {
            packets.forEach(p -> {
                if (p.sourceAddress().isEmpty() || p.destinationAddress().isEmpty()) {
                    return;
                }
                boolean ok = allowed.stream().anyMatch(e ->
                        matches(e, p.sourceAddress().get(), p.sourcePort())
                                || matches(e, p.destinationAddress().get(), p.destinationPort()));
                if (!ok) {
                    String line = p.flow().map(Object::toString).orElseGet(() ->
                            p.sourceAddress().get().getHostAddress() + " → "
                                    + p.destinationAddress().get().getHostAddress());
                    offending.merge(line, 1L, Long::sum);
                }
            });
        }
        if (offending.isEmpty()) {
            return null;
        }
        List<String> lines = offending.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue() + (e.getValue() == 1 ? " packet)"
                        : " packets)"))
                .toList();
        return ShouldOnlyTalkTo.shouldOnlyTalkTo(context(t),
                allowed.stream().map(Endpoint::toString).collect(Collectors.toList()), lines,
                lines.size());
    }

    private static boolean matches(Endpoint e, InetAddress address, int port) {
        return e.address().equals(address) && (e.port() < 0 || e.port() == port);
    }

    static String noResets(CapturedTraffic t) {
        List<TcpConnection> all = t.connections();
        List<TcpConnection> reset = all.stream().filter(TcpConnection::isReset).toList();
        return reset.isEmpty() ? null : ShouldNoneBeReset.shouldNoneBeReset(context(t),
                "TCP connections", all.size(), reset.stream().map(TcpConnection::summary).toList(),
                reset.size());
    }

    static String noRetransmissions(CapturedTraffic t) {
        List<TcpConnection> all = t.connections();
        List<TcpConnection> re = all.stream().filter(c -> c.retransmissions() > 0).toList();
        return re.isEmpty() ? null : ShouldNoneBeRetransmitted.shouldNoneBeRetransmitted(
                context(t), "TCP connections", all.size(),
                re.stream().map(TcpConnection::summary).toList(), re.size());
    }
}
