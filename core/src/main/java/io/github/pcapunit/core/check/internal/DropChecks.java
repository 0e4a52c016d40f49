package io.github.pcapunit.core.check.internal;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.packet.Endpoint;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.analysis.Verdict;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Checks about drops: to a port, to a host and port, anywhere; and capture completeness. */
public final class DropChecks {

    private DropChecks() {
    }

    /** No drop to {@code port}; fails without traffic to it unless allowed. */
    public static Check noDropsTo(int port) {
        String target = "port " + port;
        return (traffic, allowNoTraffic) -> evaluate(traffic, allowNoTraffic, target,
                failing(traffic, traffic.verdictsWithLoss().stream()
                        .filter(v -> v.flow().destination().port() == port).toList()),
                List.of(), () -> traffic.packetsTo(port));
    }

    /** No drop to {@code host}:{@code port}; {@code host} is validated by the caller. */
    public static Check noDropsTo(InetAddress host, int port) {
        String target = Endpoint.of(host, port).toString();
        return (traffic, allowNoTraffic) -> evaluate(traffic, allowNoTraffic, target,
                failing(traffic, traffic.verdictsWithLoss().stream()
                        .filter(v -> v.flow().destination().port() == port
                                && v.flow().destination().address().equals(host)).toList()),
                List.of(), () -> traffic.packetsTo(host.getHostAddress(), port));
    }

    /** No drop at all (capture loss included); fails on an empty capture unless allowed. */
    public static Check noDrops() {
        return (traffic, allowNoTraffic) -> evaluate(traffic, allowNoTraffic, null,
                failing(traffic, traffic.verdictsWithLoss()),
                traffic.drops().stream().filter(d -> d.kind() == DropKind.CAPTURE_LOSS).toList(),
                traffic::packetCount);
    }

    /**
     * The verdicts of {@code verdicts} that fail a "no drops" check: the flow failed or lost
     * packets on the way, and it is tied to the captured traffic ({@link #attributable}).
     */
    public static List<Verdict> failing(CapturedTraffic traffic, List<Verdict> verdicts) {
        List<Verdict> lossy = verdicts.stream().filter(Verdict::hasLoss).toList();
        if (lossy.isEmpty()) {
            return lossy;
        }
        Set<InetAddress> seen = traffic.addresses();
        return lossy.stream().filter(v -> seen.isEmpty() || seen.contains(v.flow().source().address())
                || seen.contains(v.flow().destination().address())).toList();
    }

    /** The drops of {@code drops} that {@link #attributable} ties to {@code traffic}. */
    public static List<Drop> tied(CapturedTraffic traffic, List<Drop> drops) {
        Set<InetAddress> seen = traffic.addresses();
        return drops.stream().filter(d -> attributable(d, seen)).toList();
    }

    /**
     * Kernel tracepoints see the whole machine, every namespace. A kernel or firewall record counts
     * against "no drops" only if it can be tied to the captured traffic: it has a flow, and one of
     * its addresses was seen in the capture (or the capture saw no packet at all, as when an
     * outbound firewall drops everything). Records without a flow (a UDP socket buffer overflow
     * elsewhere, an ICMP reply no ping socket wanted) and drops between hosts the capture never
     * saw (another test's namespaces) do not count. Wire and capture-loss drops always count.
     */
    public static boolean attributable(Drop drop, Set<InetAddress> seen) {
        if (drop.source() == EvidenceSource.WIRE || drop.source() == EvidenceSource.CAPTURE) {
            return true;
        }
        return drop.flow().map(f -> seen.isEmpty() || seen.contains(f.source().address())
                || seen.contains(f.destination().address())).orElse(false);
    }

    private static Optional<String> evaluate(CapturedTraffic traffic, boolean allowNoTraffic, String target,
                                             List<Verdict> failing, List<Drop> loss,
                                             java.util.function.LongSupplier packets) {
        // Drops first: an outbound firewall drop leaves no packet on the wire but a kernel record.
        if (!failing.isEmpty() || !loss.isEmpty()) {
            return Optional.of(ShouldHaveNoDrops.shouldHaveNoDrops(Contexts.of(traffic), target,
                    Verdicts.lead(failing, loss, target == null ? "" : "to " + target),
                    Verdicts.lines(failing, loss), failing.size() + loss.size()));
        }
        if (packets.getAsLong() == 0 && !allowNoTraffic) {
            String to = target == null ? "to have no dropped packets" : "to have no dropped packets to " + target;
            return Optional.of(ShouldHaveSeenTraffic.shouldHaveSeenTraffic(Contexts.of(traffic), to, target));
        }
        return Optional.empty();
    }

    /** One line per drop, at most a screenful plus one (the factory adds "and N more"). */
    static List<String> lines(List<Drop> drops) {
        return drops.stream().limit(FailureText.MAX_LINES + 1L).map(Drop::description).toList();
    }

    /** The capture lost nothing (no kernel-buffer or interface drops, not truncated). */
    public static Check complete() {
        return (traffic, allowNoTraffic) -> {
            Optional<String> loss = traffic.incompleteness();
            if (loss.isEmpty()) {
                return Optional.empty();
            }
            long lost = traffic.packetsDroppedByKernel() + traffic.packetsDroppedByInterface();
            return Optional.of(ShouldBeComplete.shouldBeComplete(Contexts.of(traffic), lost,
                    List.of(loss.get())));
        };
    }
}
