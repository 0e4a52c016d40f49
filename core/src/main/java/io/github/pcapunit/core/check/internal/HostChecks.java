package io.github.pcapunit.core.check.internal;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.packet.DecodedPacket;
import io.github.pcapunit.core.packet.IpProtocol;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Checks about who the traffic talks to; they stream the packets and keep only per-flow counts. */
public final class HostChecks {

    /** Distinct offending flows remembered for the message; more are only counted. */
    private static final int MAX_FLOWS = 10_000;

    private HostChecks() {
    }

    /** Every IP packet has its source or its destination in {@code allowed}. */
    public static Check onlyTalksTo(List<AddressRange> allowed) {
        List<String> names = allowed.stream().map(AddressRange::toString).toList();
        return (traffic, allowNoTraffic) -> {
            Offenders o = offenders(traffic, p -> !inAny(allowed, p.sourceAddress().orElseThrow())
                    && !inAny(allowed, p.destinationAddress().orElseThrow()));
            if (o.count() > 0) {
                return Optional.of(ShouldOnlyTalkTo.shouldOnlyTalkTo(Contexts.of(traffic), names, o.lines(),
                        o.count()));
            }
            return unproven(traffic, allowNoTraffic, o, "to only talk to " + String.join(", ", names),
                    "some elsewhere");
        };
    }

    /** No IP packet goes to {@code target} (and {@code port}, unless it is -1). */
    public static Check noTrafficTo(AddressRange target, int port) {
        String name = port < 0 ? target.toString()
                : (target.toString().indexOf(':') >= 0 ? "[" + target + "]" : target.toString()) + ":" + port;
        return (traffic, allowNoTraffic) -> {
            Offenders o = offenders(traffic, p -> target.contains(p.destinationAddress().orElseThrow())
                    && (port < 0 || p.destinationPort() == port));
            if (o.count() > 0) {
                return Optional.of(ShouldHaveNoTrafficTo.shouldHaveNoTrafficTo(Contexts.of(traffic), name, o.lines(),
                        o.count()));
            }
            return unproven(traffic, allowNoTraffic, o, "to have no traffic to " + name, "some to " + name);
        };
    }

    /**
     * No offender was found; that proves nothing when the capture holds no IP packet at all (a
     * wrong interface or filter passes every such check) unless no traffic is allowed, or when
     * the capture lost packets (the lost ones may be {@code lostMayBe}).
     */
    private static Optional<String> unproven(CapturedTraffic traffic, boolean allowNoTraffic, Offenders o, String to,
            String lostMayBe) {
        if (o.ipPackets == 0 && !allowNoTraffic) {
            return Optional.of(ShouldHaveSeenTraffic.shouldHaveSeenTraffic(Contexts.of(traffic), to, null));
        }
        if (traffic.incompleteness().isPresent()) {
            return Optional.of(ShouldBeComplete.cannotProve(Contexts.of(traffic), to, lostMayBe));
        }
        return Optional.empty();
    }

    private static boolean inAny(List<AddressRange> ranges, InetAddress address) {
        for (AddressRange r : ranges) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static Offenders offenders(CapturedTraffic traffic, Predicate<DecodedPacket> offending) {
        Offenders o = new Offenders(traffic.fileFirstPacketTime().orElse(Instant.EPOCH));
        try (Stream<DecodedPacket> packets = traffic.packets()) {
            packets.forEach(p -> {
                if (p.sourceAddress().isPresent() && p.destinationAddress().isPresent()) {
                    o.ipPackets++;
                    if (offending.test(p)) {
                        o.add(p);
                    }
                }
            });
        }
        return o;
    }

    /** Offending flows in order of first packet, with packet counts. */
    private static final class Offenders {
        private final Instant base;
        private final Map<String, long[]> flows = new LinkedHashMap<>();
        private int overflow;
        long ipPackets;

        Offenders(Instant base) {
            this.base = base;
        }

        void add(DecodedPacket p) {
            String key = p.flow().map(Object::toString).orElseGet(() -> label(p) + " "
                    + p.sourceAddress().orElseThrow().getHostAddress() + " \u2192 "
                    + p.destinationAddress().orElseThrow().getHostAddress());
            long[] entry = flows.get(key);
            if (entry == null) {
                if (flows.size() >= MAX_FLOWS) {
                    overflow++;
                    return;
                }
                entry = new long[] {0, p.time().getEpochSecond() * 1_000_000_000L + p.time().getNano()};
                flows.put(key, entry);
            }
            entry[0]++;
        }

        private static String label(DecodedPacket p) {
            return p.protocol() == IpProtocol.OTHER ? "IP proto " + p.protocolNumber() : p.protocol().label();
        }

        int count() {
            return flows.size() + overflow;
        }

        List<String> lines() {
            return flows.entrySet().stream().limit(FailureText.MAX_LINES + 1L)
                    .map(e -> e.getKey() + ", " + FailureText.count(e.getValue()[0], "packet", "packets")
                            + ", first at " + Contexts.relative(Instant.ofEpochSecond(0, e.getValue()[1]), base))
                    .toList();
        }
    }
}
