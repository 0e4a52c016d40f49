package io.github.pcapunit.core.check.internal;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.packet.DecodedPacket;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Checks over the packets of some traffic (all of them, or the subset a filter selected): how many,
 * and what each satisfies. Packets are streamed, never all held in memory; the message lists the
 * first offenders as one-line summaries.
 */
public final class PacketChecks {

    private PacketChecks() {
    }

    /** Exactly {@code expected} packets. */
    public static Check count(long expected) {
        return (traffic, allowNoTraffic) -> {
            long count = traffic.packetCount();
            return count == expected ? Optional.empty()
                    : Optional.of(ShouldHavePacketCount.shouldHaveSize(Contexts.of(traffic), selection(traffic),
                            expected, count, lines(traffic, p -> true)));
        };
    }

    /** No packet. */
    public static Check none() {
        return (traffic, allowNoTraffic) -> {
            long count = traffic.packetCount();
            return count == 0 ? Optional.empty()
                    : Optional.of(ShouldHavePacketCount.shouldBeEmpty(Contexts.of(traffic), selection(traffic), count,
                            lines(traffic, p -> true)));
        };
    }

    /** At least one packet. */
    public static Check some() {
        return (traffic, allowNoTraffic) -> traffic.packetCount() != 0 ? Optional.empty()
                : Optional.of(ShouldHavePacketCount.shouldNotBeEmpty(Contexts.of(traffic), selection(traffic)));
    }

    /** At least one packet, and every packet satisfies {@code condition} ("to ..." in {@code description}). */
    public static Check allMatch(Predicate<? super DecodedPacket> condition, String description) {
        Check some = some();
        return (traffic, allowNoTraffic) -> {
            Optional<String> empty = some.evaluate(traffic, allowNoTraffic);
            if (empty.isPresent()) {
                return empty; // nothing would have been checked
            }
            AtomicLong total = new AtomicLong();
            long failing;
            try (Stream<DecodedPacket> packets = traffic.packets()) {
                failing = packets.peek(p -> total.incrementAndGet()).filter(condition.negate()).count();
            }
            return failing == 0 ? Optional.empty()
                    : Optional.of(ShouldHavePacketCount.shouldAllMatch(Contexts.of(traffic), selection(traffic),
                            description, lines(traffic, condition.negate()), failing, total.get()));
        };
    }

    /** Some packet satisfies {@code condition} ("to ..." in {@code description}). */
    public static Check anyMatch(Predicate<? super DecodedPacket> condition, String description) {
        return (traffic, allowNoTraffic) -> {
            boolean any;
            try (Stream<DecodedPacket> packets = traffic.packets()) {
                any = packets.anyMatch(condition);
            }
            return any ? Optional.empty()
                    : Optional.of(ShouldHavePacketCount.shouldAnyMatch(Contexts.of(traffic), selection(traffic),
                            description, traffic.packetCount()));
        };
    }

    /** "packets", or "packets matching \"tcp port 1433\"" for filtered traffic. */
    static String selection(CapturedTraffic traffic) {
        return traffic.filterExpression().map(f -> "packets matching \"" + f + "\"").orElse("packets");
    }

    /**
     * The first packets matching {@code which} as {@code #7 +0.012 s TCP ...}: at most a screenful
     * plus one, read lazily (the factory shows {@value FailureText#MAX_LINES} and says "and N more").
     * Times count from the file's first packet, as in drop lines and listings, also when a filter
     * selected later packets.
     */
    static List<String> lines(CapturedTraffic traffic, Predicate<? super DecodedPacket> which) {
        Instant base = traffic.fileFirstPacketTime().orElse(Instant.EPOCH);
        try (Stream<DecodedPacket> packets = traffic.packets()) {
            return packets.filter(which).limit(FailureText.MAX_LINES + 1L)
                    .map(p -> "#" + p.frameNumber() + " " + Contexts.relative(p.time(), base) + " " + p.summary())
                    .toList();
        }
    }
}
