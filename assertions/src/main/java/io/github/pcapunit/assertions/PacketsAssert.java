package io.github.pcapunit.assertions;

import io.github.pcapunit.assertions.internal.Navigation;
import io.github.pcapunit.assertions.internal.PacketLines;
import io.github.pcapunit.assertions.internal.TextMessage;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.packet.DecodedPacket;
import io.github.pcapunit.core.check.internal.Contexts;
import io.github.pcapunit.core.check.internal.ShouldHavePacketCount;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;
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

    private String selection() {
        return actual.filterExpression().map(f -> "packets matching \"" + f + "\"").orElse("packets");
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
     */
    public PacketsAssert hasSize(long expected) {
        long count = actual.packetCount();
        if (count != expected) {
            fail(ShouldHavePacketCount.shouldHaveSize(Contexts.of(actual), selection(), expected, count,
                    PacketLines.of(actual, p -> true)));
        }
        return myself;
    }

    /**
     * Verifies that no packet is selected.
     *
     * <pre>{@code assertThat(traffic).packets().matching("tcp port 25").isEmpty();}</pre>
     */
    public PacketsAssert isEmpty() {
        long count = actual.packetCount();
        if (count != 0) {
            fail(ShouldHavePacketCount.shouldBeEmpty(Contexts.of(actual), selection(), count,
                    PacketLines.of(actual, p -> true)));
        }
        return myself;
    }

    /**
     * Verifies that at least one packet is selected.
     *
     * <pre>{@code assertThat(traffic).packets().matching("tcp port 1433").isNotEmpty();}</pre>
     */
    public PacketsAssert isNotEmpty() {
        if (actual.packetCount() == 0) {
            fail(ShouldHavePacketCount.shouldNotBeEmpty(Contexts.of(actual), selection()));
        }
        return myself;
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
        Objects.requireNonNull(condition, "condition");
        isNotEmpty();
        AtomicLong total = new AtomicLong();
        long failing;
        try (Stream<DecodedPacket> packets = actual.packets()) {
            failing = packets.peek(p -> total.incrementAndGet()).filter(condition.negate()).count();
        }
        if (failing > 0) {
            fail(ShouldHavePacketCount.shouldAllMatch(Contexts.of(actual), selection(), description,
                    PacketLines.of(actual, condition.negate()), failing, total.get()));
        }
        return myself;
    }

    /**
     * Verifies that at least one selected packet satisfies {@code condition}.
     *
     * <pre>{@code assertThat(traffic).packets().anyMatch(DecodedPacket::isFin, "to close with FIN");}</pre>
     *
     * @param description what the condition requires, starting with "to "
     */
    public PacketsAssert anyMatch(Predicate<? super DecodedPacket> condition, String description) {
        Objects.requireNonNull(condition, "condition");
        boolean any;
        try (Stream<DecodedPacket> packets = actual.packets()) {
            any = packets.anyMatch(condition);
        }
        if (!any) {
            fail(ShouldHavePacketCount.shouldAnyMatch(Contexts.of(actual), selection(), description,
                    actual.packetCount()));
        }
        return myself;
    }

    private void fail(String message) {
        throwAssertionError(new TextMessage(message));
    }
}
