package io.github.pcapunit.core.check;

import io.github.pcapunit.core.check.internal.PacketChecks;
import io.github.pcapunit.core.packet.DecodedPacket;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Factories of {@link Expectation}s about the packets of some traffic: how many there are and
 * what they carry. They apply to whatever traffic they check, so narrow it first with
 * {@link io.github.pcapunit.core.analysis.CapturedTraffic#filter(String)}; the message then names
 * the filter ("packets matching \"tcp port 1433\""). The AssertJ {@code packets()} assertions
 * evaluate these, so both read the same.
 *
 * <pre>{@code
 * CapturedTraffic smtp = CapturedTraffic.read(file).filter("tcp port 25");
 * PacketExpectations.none().check(smtp).ifPresent(v -> System.err.println(v.message()));
 * }</pre>
 *
 * <p>These expectations state the count themselves, so {@link Expectation#allowingNoTraffic()}
 * does not change them: {@link #some()} fails on no packet, {@link #none()} passes on it.
 */
public final class PacketExpectations {

    private PacketExpectations() {
    }

    /**
     * Exactly {@code expected} packets; the message lists the first ones found.
     *
     * <pre>{@code PacketExpectations.count(4).check(traffic.filter("icmp"));}</pre>
     *
     * @throws IllegalArgumentException if {@code expected} is negative
     */
    public static Expectation count(long expected) {
        if (expected < 0) {
            throw new IllegalArgumentException("count(" + expected + "): a packet count is 0 or more,"
                    + " e.g. count(4); use none() for no packet");
        }
        return new Expectation(expected + (expected == 1 ? " packet" : " packets"), PacketChecks.count(expected),
                false);
    }

    /**
     * No packet at all; the message lists the first ones found.
     *
     * <pre>{@code PacketExpectations.none().check(traffic.filter("tcp port 25"));}</pre>
     */
    public static Expectation none() {
        return new Expectation("no packets", PacketChecks.none(), false);
    }

    /**
     * At least one packet.
     *
     * <pre>{@code PacketExpectations.some().check(traffic.filter("tcp port 1433"));}</pre>
     */
    public static Expectation some() {
        return new Expectation("at least one packet", PacketChecks.some(), false);
    }

    /**
     * Every packet satisfies {@code condition}; no packet at all fails (nothing would have been
     * checked). The message lists the first packets that do not.
     *
     * <pre>{@code PacketExpectations.allMatch(p -> p.ttl() > 1, "to have a TTL above 1").check(traffic);}</pre>
     *
     * @param description what the condition requires, starting with "to " ("to have the SYN flag")
     */
    public static Expectation allMatch(Predicate<? super DecodedPacket> condition, String description) {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(description, "description");
        return new Expectation("all packets " + description, PacketChecks.allMatch(condition, description), false);
    }

    /**
     * At least one packet satisfies {@code condition}.
     *
     * <pre>{@code PacketExpectations.anyMatch(DecodedPacket::isFin, "to close with FIN").check(traffic);}</pre>
     *
     * @param description what the condition requires, starting with "to "
     */
    public static Expectation anyMatch(Predicate<? super DecodedPacket> condition, String description) {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(description, "description");
        return new Expectation("a packet " + description, PacketChecks.anyMatch(condition, description), false);
    }
}
