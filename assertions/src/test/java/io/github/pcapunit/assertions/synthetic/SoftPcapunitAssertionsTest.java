package io.github.pcapunit.assertions.synthetic;

import static io.github.pcapunit.assertions.synthetic.Expected.HOW_TO_ALLOW;
import static io.github.pcapunit.assertions.synthetic.Expected.NO_KERNEL_EVIDENCE;
import static io.github.pcapunit.assertions.synthetic.Expected.message;
import static io.github.pcapunit.assertions.synthetic.Expected.noneSeen;
import static io.github.pcapunit.assertions.synthetic.Expected.passes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.assertions.SoftPcapunitAssertions;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soft assertions collect every failure, navigation ({@code connections().to()},
 * {@code packets().matching()}, {@code icmp().echoRequests()}) included, each with the same
 * message as the hard assertion; AssertJ adds the line of the failing call.
 */
class SoftPcapunitAssertionsTest {

    @TempDir
    Path dir;

    @Test
    void everyFailure_isCollected_withItsWholeMessage_andPassingOnesAddNothing() {
        CapturedTraffic unanswered = Scenarios.unanswered(dir);
        CapturedTraffic healthy = Scenarios.healthy(dir);
        SoftPcapunitAssertions softly = new SoftPcapunitAssertions();

        softly.assertThat(healthy).hasNoDroppedPacketsTo(1433).isComplete()
                .connections().to(1433).allEstablished().noneReset().noneRetransmitted();
        softly.assertThat(healthy).packets().matching("icmp").hasSize(4);
        softly.assertThat(healthy).icmp().echoRequests().allAnswered();
        softly.assertThat(unanswered).hasNoDrops();
        softly.assertThat(unanswered).connections().to(1434).allEstablished().noneReset();
        softly.assertThat(unanswered).packets().matching("icmp").isNotEmpty();
        softly.assertThat(unanswered).icmp().echoRequests().allAnswered();

        assertThat(messages(softly)).containsExactly(
                Expected.led(unanswered,
                        Expected.head(Expected.UNANSWERED_1434, Expected.UNANSWERED_1434_SYNS),
                        "to have no dropped packets",
                        "but found 1 drop (see above)",
                        NO_KERNEL_EVIDENCE),
                Expected.led(unanswered,
                        Expected.head(Expected.UNANSWERED_1434, Expected.UNANSWERED_1434_SYNS),
                        "to have all 1 connections to port 1434 established",
                        "but 1 of 1 was not",
                        NO_KERNEL_EVIDENCE),
                message(unanswered,
                        "to have at least one of the packets matching \"icmp\"",
                        "but found none.",
                        NO_KERNEL_EVIDENCE),
                message(unanswered,
                        "to have all ICMP echo requests answered",
                        noneSeen("ICMP echo request"),
                        NO_KERNEL_EVIDENCE,
                        HOW_TO_ALLOW));
    }

    @Test
    void assertSoftly_throwsOnceWithEveryMessage_orPasses() {
        CapturedTraffic refused = Scenarios.refused(dir);
        CapturedTraffic healthy = Scenarios.healthy(dir);
        String reset = Expected.led(refused, Expected.head(Expected.REFUSED_1435, Expected.REFUSED_1435_EVIDENCE),
                "to have none of the 1 TCP connections reset",
                "but 1 was");
        String complete = message(healthy, "to have 5 packets", "but found 12:");

        assertThatThrownBy(() -> SoftPcapunitAssertions.assertSoftly(softly -> {
            softly.assertThat(refused).connections().noneReset();
            softly.assertThat(healthy).packets().hasSize(5);
        })).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Multiple Failures (2 failures)")
                .hasMessageContaining(reset)
                .hasMessageContaining(complete);
        passes(() -> SoftPcapunitAssertions.assertSoftly(softly -> {
            softly.assertThat(healthy).hasNoDrops();
            softly.assertThat(healthy).connections().allEstablished();
        }));
    }

    @Test
    void allowingNoTraffic_carriesThroughSoftNavigation() {
        CapturedTraffic empty = Scenarios.empty(dir);
        SoftPcapunitAssertions softly = new SoftPcapunitAssertions();

        softly.assertThat(empty).allowingNoTraffic().hasNoDrops().connections().to(1433).allEstablished();
        softly.assertThat(empty).allowingNoTraffic().icmp().echoRequests().allAnswered();
        softly.assertThat(empty).connections().to(1433).noneReset();

        assertThat(messages(softly)).containsExactly(message(empty,
                "to have none of the connections to port 1433 reset",
                noneSeen("TCP connection to port 1433"),
                NO_KERNEL_EVIDENCE,
                HOW_TO_ALLOW));
    }

    /** The collected messages without the line AssertJ appends: "at SoftPcapunitAssertionsTest.method(...)". */
    private static List<String> messages(SoftPcapunitAssertions softly) {
        return softly.errorsCollected().stream().map(e -> {
            String m = e.getMessage();
            int at = m.lastIndexOf("\nat SoftPcapunitAssertionsTest.");
            assertThat(at).as("source line of %s", m).isPositive();
            return m.substring(0, at);
        }).toList();
    }
}
