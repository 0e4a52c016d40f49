package io.github.pcapunit.assertions.synthetic;

import static io.github.pcapunit.assertions.PcapunitAssertions.assertThat;
import static io.github.pcapunit.assertions.synthetic.Expected.HOW_TO_ALLOW;
import static io.github.pcapunit.assertions.synthetic.Expected.LOST_3;
import static io.github.pcapunit.assertions.synthetic.Expected.NO_KERNEL_EVIDENCE;
import static io.github.pcapunit.assertions.synthetic.Expected.fails;
import static io.github.pcapunit.assertions.synthetic.Expected.message;
import static io.github.pcapunit.assertions.synthetic.Expected.led;
import static io.github.pcapunit.assertions.synthetic.Expected.head;
import static io.github.pcapunit.assertions.synthetic.Expected.*;
import static io.github.pcapunit.assertions.synthetic.Expected.noTrafficAtAll;
import static io.github.pcapunit.assertions.synthetic.Expected.noTrafficTo;
import static io.github.pcapunit.assertions.synthetic.Expected.passes;
import static io.github.pcapunit.assertions.synthetic.TrafficFile.SERVER;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.check.TrafficExpectations;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every assertion of {@code AbstractCapturedTrafficAssert} over synthetic captures, passing and
 * failing with its whole message. Needs no privileges: the files are written, never captured.
 */
class CapturedTrafficAssertTest {

    private static final String UNANSWERED_SYN =
            "  SYN 10.200.1.10:50200 \u2192 10.200.1.20:1434 sent 3\u00d7 at +0.000 s, +1.015 s, +3.039 s, no SYN-ACK";
    private static final String DROPPED_HERE_1438 = "TCP 10.200.1.10:50300 \u2192 10.200.1.20:1438 was dropped on this"
            + " host: the kernel dropped 3 packets of it (NETFILTER_DROP at nft_do_chain) and none reached a captured"
            + " interface (inferred).";
    private static final String KERNEL_DROP_1438 = "  Drop: reason NETFILTER_DROP, component netfilter (nftables,"
            + " nft_do_chain), TCP 10.200.1.10:50300 \u2192 10.200.1.20:1438 SYN, 3 packets, process java (pid 4242)";

    @TempDir
    Path dir;

    @Test
    void hasNoDroppedPacketsToPort_healthyConnection_passes() {
        CapturedTraffic healthy = Scenarios.healthy(dir);

        passes(() -> assertThat(healthy).hasNoDroppedPacketsTo(1433));
    }

    @Test
    void hasNoDroppedPacketsToPort_synNeverAnswered_failsWithTheRetransmittedSyn() {
        CapturedTraffic unanswered = Scenarios.unanswered(dir);

        fails(() -> assertThat(unanswered).hasNoDroppedPacketsTo(1434), led(unanswered,
                head(UNANSWERED_1434, UNANSWERED_SYN),
                "to have no dropped packets to port 1434",
                "but found 1 drop (see above)",
                NO_KERNEL_EVIDENCE));
    }

    @Test
    void hasNoDroppedPacketsToPort_outboundFirewallDrop_failsWithTheKernelsRecord() {
        CapturedTraffic dropped = Scenarios.outboundFirewallDrop(dir);

        fails(() -> assertThat(dropped).hasNoDroppedPacketsTo(1438), led(dropped,
                head(DROPPED_HERE_1438, KERNEL_DROP_1438),
                "to have no dropped packets to port 1438",
                "but found 1 drop (see above)"));
    }

    @Test
    void hasNoDroppedPacketsToPort_noTrafficToThePort_failsAndSaysHowToAllowIt() {
        CapturedTraffic healthy = Scenarios.healthy(dir);

        fails(() -> assertThat(healthy).hasNoDroppedPacketsTo(1434), message(healthy,
                "to have no dropped packets to port 1434",
                noTrafficTo("port 1434"),
                NO_KERNEL_EVIDENCE,
                HOW_TO_ALLOW));
    }

    @Test
    void allowingNoTraffic_noTrafficToThePort_passes_butDropsStillFail() {
        CapturedTraffic healthy = Scenarios.healthy(dir);
        CapturedTraffic dropped = Scenarios.outboundFirewallDrop(dir);

        passes(() -> assertThat(healthy).allowingNoTraffic().hasNoDroppedPacketsTo(1434));
        fails(() -> assertThat(dropped).allowingNoTraffic().hasNoDroppedPacketsTo(1438), led(dropped,
                head(DROPPED_HERE_1438, KERNEL_DROP_1438),
                "to have no dropped packets to port 1438",
                "but found 1 drop (see above)"));
    }

    @Test
    void hasNoDroppedPacketsToHostAndPort_passesForTheHealthyServer_failsForTheSilentOne() {
        CapturedTraffic healthy = Scenarios.healthy(dir);
        CapturedTraffic unanswered = Scenarios.unanswered(dir);

        passes(() -> assertThat(healthy).hasNoDroppedPacketsTo(SERVER, 1433));
        fails(() -> assertThat(unanswered).hasNoDroppedPacketsTo(SERVER, 1434), led(unanswered,
                head(UNANSWERED_1434, UNANSWERED_SYN),
                "to have no dropped packets to 10.200.1.20:1434",
                "but found 1 drop (see above)",
                NO_KERNEL_EVIDENCE));
        fails(() -> assertThat(unanswered).hasNoDroppedPacketsTo("10.200.1.30", 1434), message(unanswered,
                "to have no dropped packets to 10.200.1.30:1434",
                noTrafficTo("10.200.1.30:1434"),
                NO_KERNEL_EVIDENCE,
                HOW_TO_ALLOW));
    }

    @Test
    void hasNoDrops_healthy_passes() {
        CapturedTraffic healthy = Scenarios.healthy(dir);

        passes(() -> assertThat(healthy).hasNoDrops());
    }

    @Test
    void hasNoDrops_refusedConnection_failsWithTheRst() {
        CapturedTraffic refused = Scenarios.refused(dir);

        fails(() -> assertThat(refused).hasNoDrops(), led(refused,
                head(REFUSED_1435, REFUSED_1435_EVIDENCE),
                "to have no dropped packets",
                "but found 1 drop (see above)",
                NO_KERNEL_EVIDENCE));
    }

    @Test
    void hasNoDrops_icmpAdminProhibited_failsWithTheIcmpError() {
        CapturedTraffic prohibited = Scenarios.prohibited(dir);

        fails(() -> assertThat(prohibited).hasNoDrops(), led(prohibited,
                head(PROHIBITED_1437, PROHIBITED_1437_EVIDENCE),
                "to have no dropped packets",
                "but found 1 drop (see above)",
                NO_KERNEL_EVIDENCE));
    }

    @Test
    void hasNoDrops_captureLoss_countsAsADropAndIsStated() {
        CapturedTraffic lossy = Scenarios.lossy(dir);

        fails(() -> assertThat(lossy).hasNoDrops(), led(lossy,
                head("The capture itself lost packets.", "  capture lost packets on eth0: 3 dropped by the kernel buffer"),
                "to have no dropped packets",
                "but found 1 drop (see above)",
                LOST_3,
                NO_KERNEL_EVIDENCE));
    }

    @Test
    void hasNoDrops_emptyCapture_failsUnlessNoTrafficIsAllowed() {
        CapturedTraffic empty = Scenarios.empty(dir);

        fails(() -> assertThat(empty).hasNoDrops(), message(empty,
                "to have no dropped packets",
                noTrafficAtAll(),
                NO_KERNEL_EVIDENCE,
                HOW_TO_ALLOW));
        passes(() -> assertThat(empty).allowingNoTraffic().hasNoDrops());
    }

    @Test
    void isComplete_passesWithoutLoss_failsWithTheLoss() {
        CapturedTraffic healthy = Scenarios.healthy(dir);
        CapturedTraffic lossy = Scenarios.lossy(dir);

        passes(() -> assertThat(healthy).isComplete());
        fails(() -> assertThat(lossy).isComplete(), message(lossy,
                "to be complete (no packet lost by the capture)",
                "but the capture lost 3 packets:",
                "  the capture is incomplete: the kernel buffer dropped 3 packets"));
    }

    @Test
    void onlyTalksTo_passesInsideTheNetwork_failsListingTheOtherFlow() {
        CapturedTraffic healthy = Scenarios.healthy(dir);
        CapturedTraffic outside = Scenarios.outside(dir);

        passes(() -> assertThat(healthy).onlyTalksTo("10.200.1.0/24"));
        passes(() -> assertThat(outside).onlyTalksTo("10.200.1.0/24", "10.200.9.9"));
        fails(() -> assertThat(outside).onlyTalksTo("10.200.1.20", "::1"), message(outside,
                "to only talk to 10.200.1.20, ::1",
                "but found 1 flow to other hosts:",
                "  UDP 10.200.1.10:40000 \u2192 10.200.9.9:53, 2 packets, first at +2.000 s"));
    }

    @Test
    void onlyTalksTo_filteredTraffic_timesCountFromTheFilesFirstPacket() {
        CapturedTraffic dns = Scenarios.outside(dir).filter("udp");

        fails(() -> assertThat(dns).onlyTalksTo("10.200.1.20"), message(dns,
                "to only talk to 10.200.1.20",
                "but found 1 flow to other hosts:",
                "  UDP 10.200.1.10:40000 \u2192 10.200.9.9:53, 2 packets, first at +2.000 s"));
    }

    @Test
    void onlyTalksTo_incompleteCapture_cannotPass() {
        CapturedTraffic lossy = Scenarios.lossy(dir);

        fails(() -> assertThat(lossy).onlyTalksTo("10.200.1.0/24"), message(lossy,
                "to only talk to 10.200.1.0/24",
                "but that cannot be shown: the capture is incomplete, and the packets it lost may include some"
                        + " elsewhere",
                LOST_3));
    }

    @Test
    void onlyTalksTo_emptyCapture_failsUnlessNoTrafficIsAllowed() {
        CapturedTraffic empty = Scenarios.empty(dir);

        fails(() -> assertThat(empty).onlyTalksTo("10.200.1.0/24"), message(empty,
                "to only talk to 10.200.1.0/24",
                noTrafficAtAll(),
                NO_KERNEL_EVIDENCE,
                HOW_TO_ALLOW));
        passes(() -> assertThat(empty).allowingNoTraffic().onlyTalksTo("10.200.1.0/24"));
    }

    @Test
    void onlyTalksTo_hostName_isRejectedBeforeAnythingIsRead() {
        CapturedTraffic healthy = Scenarios.healthy(dir);

        assertThatThrownBy(() -> assertThat(healthy).onlyTalksTo("db.example"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("db.example");
    }

    @Test
    void hasNoTrafficToNetwork_passesWhenNothingWentThere_failsListingTheFlow() {
        CapturedTraffic healthy = Scenarios.healthy(dir);
        CapturedTraffic outside = Scenarios.outside(dir);

        passes(() -> assertThat(healthy).hasNoTrafficTo("10.200.9.0/24"));
        fails(() -> assertThat(outside).hasNoTrafficTo("10.200.9.0/24"), message(outside,
                "to have no traffic to 10.200.9.0/24",
                "but found 1 flow:",
                "  UDP 10.200.1.10:40000 \u2192 10.200.9.9:53, 2 packets, first at +2.000 s"));
    }

    @Test
    void hasNoTrafficToHostAndPort_passesForAnotherPort_failsListingTheFlow() {
        CapturedTraffic outside = Scenarios.outside(dir);

        passes(() -> assertThat(outside).hasNoTrafficTo("10.200.9.9", 25));
        fails(() -> assertThat(outside).hasNoTrafficTo("10.200.9.9", 53), message(outside,
                "to have no traffic to 10.200.9.9:53",
                "but found 1 flow:",
                "  UDP 10.200.1.10:40000 \u2192 10.200.9.9:53, 2 packets, first at +2.000 s"));
    }

    @Test
    void hasNoTrafficToHostAndPort_incompleteCapture_cannotPass() {
        CapturedTraffic lossy = Scenarios.lossy(dir);

        fails(() -> assertThat(lossy).hasNoTrafficTo("10.200.9.9", 53), message(lossy,
                "to have no traffic to 10.200.9.9:53",
                "but that cannot be shown: the capture is incomplete, and the packets it lost may include some"
                        + " to 10.200.9.9:53",
                LOST_3));
    }

    @Test
    void satisfies_anyCoreExpectation_passesOrFailsWithItsMessage() {
        CapturedTraffic healthy = Scenarios.healthy(dir);
        CapturedTraffic retransmitted = Scenarios.retransmitted(dir);

        passes(() -> assertThat(healthy).satisfies(TrafficExpectations.noneRetransmitted(1433)));
        fails(() -> assertThat(retransmitted).satisfies(TrafficExpectations.noneRetransmitted(1433)),
                led(retransmitted,
                        head(RETRANSMITTED_1433, RETRANSMITTED_1433_EVIDENCE),
                        "to have none of the 1 connections to port 1433 retransmitted",
                        "but 1 was"));
    }

    @Test
    void satisfies_allowingNoTraffic_appliesToTheGivenExpectation() {
        CapturedTraffic empty = Scenarios.empty(dir);

        fails(() -> assertThat(empty).satisfies(TrafficExpectations.noneRetransmitted(1433)), message(empty,
                "to have none of the connections to port 1433 retransmitted",
                Expected.noneSeen("TCP connection to port 1433"),
                NO_KERNEL_EVIDENCE,
                HOW_TO_ALLOW));
        passes(() -> assertThat(empty).allowingNoTraffic().satisfies(TrafficExpectations.noneRetransmitted(1433)));
    }

    @Test
    void describedAs_prefixesTheMessage_alsoAfterNavigation() {
        CapturedTraffic refused = Scenarios.refused(dir);

        fails(() -> assertThat(refused).as("checkout").connections().to(1435).noneReset(), "[checkout] "
                + led(refused, head(REFUSED_1435, REFUSED_1435_EVIDENCE),
                        "to have none of the 1 connections to port 1435 reset",
                        "but 1 was"));
    }

    @Test
    void nullTraffic_failsLikeAnyAssertJAssertion() {
        fails(() -> assertThat((CapturedTraffic) null).hasNoDrops(), "\nExpecting actual not to be null");
    }
}
