package io.github.pcapunit.assertions.synthetic;

import static io.github.pcapunit.assertions.PcapunitAssertions.assertThat;
import static io.github.pcapunit.assertions.synthetic.Expected.HOW_TO_ALLOW;
import static io.github.pcapunit.assertions.synthetic.Expected.NO_KERNEL_EVIDENCE;
import static io.github.pcapunit.assertions.synthetic.Expected.fails;
import static io.github.pcapunit.assertions.synthetic.Expected.message;
import static io.github.pcapunit.assertions.synthetic.Expected.noneSeen;
import static io.github.pcapunit.assertions.synthetic.Expected.passes;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import java.nio.file.Path;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code icmp().echoRequests().allAnswered()} over synthetic captures, passing and failing. */
class EchoRequestsAssertTest {

    @TempDir
    Path dir;

    @Test
    void allAnswered_everyRequestReplied_passes() {
        CapturedTraffic healthy = Scenarios.healthy(dir);

        passes(() -> assertThat(healthy).icmp().echoRequests().allAnswered());
    }

    @Test
    void allAnswered_noReply_failsListingEachRequest() {
        CapturedTraffic ping = Scenarios.unansweredPing(dir);

        fails(() -> assertThat(ping).icmp().echoRequests().allAnswered(), Expected.led(ping,
                Expected.head("ICMP echo 10.200.1.10 \u2192 10.200.1.20 id=9 was not answered: 2 requests, 0 answered;"
                                + " where it was lost is not recorded (observed).",
                        "  ICMP echo request 10.200.1.10 \u2192 10.200.1.20 id=9 seq=1, no reply at +0.000 s",
                        "  ICMP echo request 10.200.1.10 \u2192 10.200.1.20 id=9 seq=2, no reply at +1.000 s"),
                "to have all 2 ICMP echo requests answered",
                "but 2 of 2 got no echo reply",
                NO_KERNEL_EVIDENCE));
    }

    @Test
    void allAnswered_filteredTraffic_timesCountFromTheFilesFirstPacket() {
        CapturedTraffic icmp = TrafficFile.in(dir, "dns-then-ping")
                .udp(0, TrafficFile.CLIENT, 40000, Scenarios.OUTSIDE, 53)
                .echo(500_000, false, TrafficFile.CLIENT, TrafficFile.SERVER, 3, 1)
                .read().filter("icmp");

        fails(() -> assertThat(icmp).icmp().echoRequests().allAnswered(), Expected.led(icmp,
                Expected.head("ICMP echo 10.200.1.10 \u2192 10.200.1.20 id=3 was not answered: 1 request, 0 answered;"
                                + " where it was lost is not recorded (observed).",
                        "  ICMP echo request 10.200.1.10 \u2192 10.200.1.20 id=3 seq=1, no reply at +0.500 s"),
                "to have all 1 ICMP echo request answered",
                "but 1 of 1 got no echo reply",
                NO_KERNEL_EVIDENCE));
    }

    @Test
    void allAnsweredTo_oneHost_looksOnlyAtTheEchoesToIt() {
        CapturedTraffic mixed = Scenarios.healthy(dir, "two-targets")
                .echo(2_000_000, false, TrafficFile.CLIENT, Scenarios.OUTSIDE, 8, 1)
                .read();

        passes(() -> assertThat(mixed).icmp().echoRequests().to(TrafficFile.SERVER).allAnswered());
        fails(() -> assertThat(mixed).icmp().echoRequests().to(Scenarios.OUTSIDE).allAnswered(), Expected.led(mixed,
                Expected.head("ICMP echo 10.200.1.10 \u2192 10.200.9.9 id=8 was not answered: 1 request, 0 answered;"
                                + " where it was lost is not recorded (observed).",
                        "  ICMP echo request 10.200.1.10 \u2192 10.200.9.9 id=8 seq=1, no reply at +2.000 s"),
                "to have all 1 ICMP echo request to 10.200.9.9 answered",
                "but 1 of 1 got no echo reply",
                NO_KERNEL_EVIDENCE));
        fails(() -> assertThat(mixed).icmp().echoRequests().allAnswered(), Expected.led(mixed,
                Expected.head("ICMP echo 10.200.1.10 \u2192 10.200.9.9 id=8 was not answered: 1 request, 0 answered;"
                                + " where it was lost is not recorded (observed).",
                        "  ICMP echo request 10.200.1.10 \u2192 10.200.9.9 id=8 seq=1, no reply at +2.000 s"),
                "to have all 3 ICMP echo requests answered",
                "but 1 of 3 got no echo reply",
                NO_KERNEL_EVIDENCE));
        assertThatThrownBy(() -> assertThat(mixed).icmp().echoRequests().to("db.example"))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("db.example");
    }

    @Test
    void allAnswered_noRequest_failsUnlessNoTrafficIsAllowed() {
        CapturedTraffic refused = Scenarios.refused(dir);

        fails(() -> assertThat(refused).icmp().echoRequests().allAnswered(), message(refused,
                "to have all ICMP echo requests answered",
                noneSeen("ICMP echo request"),
                NO_KERNEL_EVIDENCE,
                HOW_TO_ALLOW));
        passes(() -> assertThat(refused).allowingNoTraffic().icmp().echoRequests().allAnswered());
    }

    @Test
    void allAnswered_requestsEatenByTheFirewall_failsWithTheKernelsUntiedDrops() {
        CapturedTraffic dropped = Scenarios.pingDroppedByFirewall(dir);

        fails(() -> assertThat(dropped).icmp().echoRequests().allAnswered(), message(dropped,
                "to have all ICMP echo requests answered",
                "but no ICMP echo request was seen, while the firewall dropped packets that the kernel could not"
                        + " tie to a flow (its drop events name no addresses; explainFirewall names the rule and"
                        + " both hosts):",
                "  Drop: reason NETFILTER_DROP, component netfilter (nftables, nft_do_chain), IPv4 packet,"
                        + " 2 packets"));
    }
}
