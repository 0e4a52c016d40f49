package io.github.pcapunit.assertions;

import io.github.pcapunit.assertions.internal.Navigation;
import io.github.pcapunit.assertions.internal.Verdicts;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.check.Expectation;
import io.github.pcapunit.core.check.PacketExpectations;
import io.github.pcapunit.core.packet.DecodedPacket;
import java.util.Objects;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Count and content assertions over the packets of a capture, or of the subset
 * {@link #matching(String)} selects. Packets are streamed from the file, never all held in memory.
 *
 * <pre>{@code
 * assertThat(traffic).packets().matching("tcp port 1433")
 *         .isNotEmpty()
 *         .allMatch(p -> p.ttl() > 1, "to have a TTL above 1");
 * }</pre>
 */
public class PacketsAssert extends AbstractAssert<PacketsAssert, CapturedTraffic> {

    SoftAssertionsProvider soft;

    /** An assert over all packets of {@code actual}. */
    public PacketsAssert(CapturedTraffic actual) {
        super(actual, PacketsAssert.class);
    }

    /**
     * Only the packets matching {@code filter} (tcpdump syntax, the subset
     * {@link CapturedTraffic#filter(String)} supports).
     *
     * <pre>{@code assertThat(traffic).packets().matching("udp port 53").isEmpty();}</pre>
     *
     * @throws io.github.pcapunit.core.InvalidFilterException naming the unsupported part
     */
    public PacketsAssert matching(String filter) {
        Objects.requireNonNull(filter, "filter");
        PacketsAssert sub = Navigation.create(soft, PacketsAssert.class, CapturedTraffic.class, actual.filter(filter),
                PacketsAssert::new, this);
        sub.soft = soft;
        return sub;
    }

    /**
     * Verifies that exactly {@code expected} packets are selected.
     *
     * <pre>{@code assertThat(traffic).packets().matching("icmp").hasSize(4);}</pre>
     *
     * @throws IllegalArgumentException if {@code expected} is negative
     */
    public PacketsAssert hasSize(long expected) {
        if (expected < 0) {
            throw new IllegalArgumentException("hasSize(" + expected + "): a packet count is 0 or more,"
                    + " e.g. hasSize(4); use isEmpty() for no packet");
        }
        return check(PacketExpectations.count(expected));
    }

    /**
     * Verifies that no packet is selected.
     *
     * <pre>{@code assertThat(traffic).packets().matching("tcp port 25").isEmpty();}</pre>
     */
    public PacketsAssert isEmpty() {
        return check(PacketExpectations.none());
    }

    /**
     * Verifies that at least one packet is selected.
     *
     * <pre>{@code assertThat(traffic).packets().matching("tcp port 1433").isNotEmpty();}</pre>
     */
    public PacketsAssert isNotEmpty() {
        return check(PacketExpectations.some());
    }

    /**
     * Verifies that every selected packet satisfies {@code condition}; an empty selection fails
     * (nothing would have been checked).
     *
     * <pre>{@code assertThat(traffic).packets().matching("tcp").allMatch(p -> !p.isRst(), "to carry no RST");}</pre>
     *
     * @param description what the condition requires, starting with "to " ("to have the SYN flag")
     */
    public PacketsAssert allMatch(Predicate<? super DecodedPacket> condition, String description) {
        return check(PacketExpectations.allMatch(condition, description));
    }

    /**
     * Verifies that at least one selected packet satisfies {@code condition}.
     *
     * <pre>{@code assertThat(traffic).packets().anyMatch(DecodedPacket::isFin, "to close with FIN");}</pre>
     *
     * @param description what the condition requires, starting with "to "
     */
    public PacketsAssert anyMatch(Predicate<? super DecodedPacket> condition, String description) {
        return check(PacketExpectations.anyMatch(condition, description));
    }

    private PacketsAssert check(Expectation expectation) {
        isNotNull();
        // Packet expectations state the count themselves: allowingNoTraffic() does not apply.
        Verdicts.failure(expectation, actual, false).ifPresent(this::throwAssertionError);
        return myself;
    }
}
