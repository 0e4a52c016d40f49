package io.github.pcapunit.assertions.synthetic;

import static io.github.pcapunit.assertions.PcapunitAssertions.assertThat;
import static io.github.pcapunit.assertions.synthetic.Expected.HOW_TO_ALLOW;
import static io.github.pcapunit.assertions.synthetic.Expected.NO_KERNEL_EVIDENCE;
import static io.github.pcapunit.assertions.synthetic.Expected.*;
import static io.github.pcapunit.assertions.synthetic.Expected.fails;
import static io.github.pcapunit.assertions.synthetic.Expected.message;
import static io.github.pcapunit.assertions.synthetic.Expected.noneSeen;
import static io.github.pcapunit.assertions.synthetic.Expected.passes;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every assertion of {@code ConnectionsAssert} over synthetic captures, passing and failing. */
class ConnectionsAssertTest {

    private static final String REFUSED_LINE = "  SYN 10.200.1.10:50201 \u2192 10.200.1.20:1435 at +0.000 s refused:"
            + " RST from 10.200.1.20:1435 at +0.000 s";
    private static final String UNANSWERED_LINE = "  SYN 10.200.1.10:50200 \u2192 10.200.1.20:1434 sent 3\u00d7 at"
            + " +0.000 s, +1.015 s, +3.039 s, no SYN-ACK";

    @TempDir
    Path dir;

    @Test
    void allEstablished_handshakeCompleted_passes() {
        CapturedTraffic healthy = Scenarios.healthy(dir);

        passes(() -> assertThat(healthy).connections().allEstablished());
        passes(() -> assertThat(healthy).connections().to(1433).allEstablished());
    }

    @Test
    void allEstablished_synNeverAnswered_failsWithTheSyns() {
        CapturedTraffic unanswered = Scenarios.unanswered(dir);

        fails(() -> assertThat(unanswered).connections().allEstablished(), led(unanswered,
                head(UNANSWERED_1434, UNANSWERED_LINE),
                "to have all 1 TCP connections established",
                "but 1 of 1 was not",
                NO_KERNEL_EVIDENCE));
    }

    @Test
    void allEstablishedToPort_icmpAdminProhibited_failsWithTheIcmpError() {
        CapturedTraffic prohibited = Scenarios.prohibited(dir);

        fails(() -> assertThat(prohibited).connections().to(1437).allEstablished(), led(prohibited,
                head(PROHIBITED_1437, PROHIBITED_1437_EVIDENCE),
                "to have all 1 connections to port 1437 established",
                "but 1 of 1 was not",
                NO_KERNEL_EVIDENCE));
    }

    @Test
    void allEstablishedToPort_outboundFirewallDrop_failsWithTheKernelsRecordInsteadOfNoTraffic() {
        CapturedTraffic dropped = Scenarios.outboundFirewallDrop(dir);

        fails(() -> assertThat(dropped).connections().to(1438).allEstablished(), message(dropped,
                "to have all connections to port 1438 established",
                // one record standing for the 3 SYNs the firewall dropped: the count is the packets'
                "but no TCP connection to port 1438 was seen, only 3 drops:",
                "  Drop: reason NETFILTER_DROP, component netfilter (nftables, nft_do_chain), TCP 10.200.1.10:50300"
                        + " \u2192 10.200.1.20:1438 SYN, 3 packets, process java (pid 4242)"));
    }

    @Test
    void allEstablishedToPort_noConnection_failsUnlessNoTrafficIsAllowed() {
        CapturedTraffic healthy = Scenarios.healthy(dir);

        fails(() -> assertThat(healthy).connections().to(5432).allEstablished(), message(healthy,
                "to have all connections to port 5432 established",
                noneSeen("TCP connection to port 5432"),
                NO_KERNEL_EVIDENCE,
                HOW_TO_ALLOW));
        passes(() -> assertThat(healthy).allowingNoTraffic().connections().to(5432).allEstablished());
    }

    @Test
    void allEstablished_noTcpAtAll_failsUnlessNoTrafficIsAllowed() {
        CapturedTraffic ping = Scenarios.unansweredPing(dir);

        fails(() -> assertThat(ping).connections().allEstablished(), message(ping,
                "to have all TCP connections established",
                noneSeen("TCP connection"),
                NO_KERNEL_EVIDENCE,
                HOW_TO_ALLOW));
        passes(() -> assertThat(ping).allowingNoTraffic().connections().allEstablished());
    }

    @Test
    void noneReset_cleanClose_passes() {
        CapturedTraffic healthy = Scenarios.healthy(dir);

        passes(() -> assertThat(healthy).connections().noneReset());
        passes(() -> assertThat(healthy).connections().to(1433).noneReset());
    }

    @Test
    void noneReset_refusedConnection_failsWithTheRst() {
        CapturedTraffic refused = Scenarios.refused(dir);

        fails(() -> assertThat(refused).connections().noneReset(), led(refused,
                head(REFUSED_1435, REFUSED_1435_EVIDENCE),
                "to have none of the 1 TCP connections reset",
                "but 1 was"));
    }

    @Test
    void noneResetToPort_resetByTheServer_failsWithTheReset() {
        CapturedTraffic reset = Scenarios.reset(dir);

        passes(() -> assertThat(reset).connections().to(1433).allEstablished());
        fails(() -> assertThat(reset).connections().to(1433).noneReset(), led(reset,
                head("TCP 10.200.1.10:50204 \u2192 10.200.1.20:1433 was reset by the server 10.200.1.20 at +0.250 s"
                                + " (frame 4) after the handshake (observed).",
                        "  TCP 10.200.1.10:50204 \u2192 10.200.1.20:1433 established, reset by 10.200.1.20:1433 at"
                                + " +0.250 s",
                        "  the RST from 10.200.1.20 arrived with TTL 64, as 10.200.1.20's own packets did: sent by"
                                + " 10.200.1.20"),
                "to have none of the 1 connections to port 1433 reset",
                "but 1 was"));
    }

    @Test
    void noneRetransmitted_noRetransmission_passes() {
        CapturedTraffic healthy = Scenarios.healthy(dir);

        passes(() -> assertThat(healthy).connections().noneRetransmitted());
        passes(() -> assertThat(healthy).connections().to(1433).noneRetransmitted());
    }

    @Test
    void noneRetransmitted_dataSentTwice_failsWithTheRetransmission() {
        CapturedTraffic retransmitted = Scenarios.retransmitted(dir);

        fails(() -> assertThat(retransmitted).connections().noneRetransmitted(), led(retransmitted,
                head(RETRANSMITTED_1433, RETRANSMITTED_1433_EVIDENCE),
                "to have none of the 1 TCP connections retransmitted",
                "but 1 was"));
    }

    @Test
    void noneRetransmittedToPort_synSentThreeTimes_failsWithTheSyns() {
        CapturedTraffic unanswered = Scenarios.unanswered(dir);

        fails(() -> assertThat(unanswered).connections().to(1434).noneRetransmitted(), led(unanswered,
                head(UNANSWERED_1434, UNANSWERED_LINE),
                "to have none of the 1 connections to port 1434 retransmitted",
                "but 1 was"));
    }

    @Test
    void to_portOutOfRange_isRejectedWithTheFix() {
        CapturedTraffic healthy = Scenarios.healthy(dir);

        assertThatThrownBy(() -> assertThat(healthy).connections().to(65536))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("connections().to(65536): port 65536 is out of range; use a TCP port 0..65535,"
                        + " e.g. connections().to(1433)");
        assertThatThrownBy(() -> assertThat(healthy).connections().to(-1))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("connections().to(-1): port -1 is out of range");
    }
}
