package io.github.pcapunit.it;

import static io.github.pcapunit.assertions.PcapunitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.PacketPath;
import io.github.pcapunit.core.analysis.TcpConnection;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.junit.CaptureTrafficExtension;
import io.github.pcapunit.junit.Keep;
import io.github.pcapunit.testing.ConnectResult;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.NetLab;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Capture points end to end through the public API (issue 16): a client and a server in two
 * namespaces the JVM is not in, captured at both by {@link CaptureTrafficExtension}, one file per
 * test kept (ALWAYS) so that {@link LeftoversAndFilesIT} has tshark, capinfos and our reader read
 * a file with {@code client/…} and {@code server/…} interfaces. Every packet is in the file twice
 * (once per point) and once to the assertions.
 */
class CapturePointsIT {

    private static final int OPEN = 5432;
    private static final int FIREWALLED = 5434;

    private static NetLab lab;
    private static Host client;
    private static Host server;

    /** The points are read when each test starts, after {@link #lab()} made the namespaces. */
    @RegisterExtension
    static final CaptureTrafficExtension CAPTURE = CaptureTrafficExtension.builder()
            .filter("tcp portrange " + OPEN + "-" + FIREWALLED + " or icmp").keep(Keep.ALWAYS)
            .spec(spec -> spec.point(CapturePoint.namespace(client.namespace()).named("client"))
                    .point(CapturePoint.namespace(server.namespace()).named("server")))
            .build();

    @BeforeAll
    static void lab() {
        NetLab.assumeAvailable();
        lab = NetLab.create();
        client = lab.host("client", "10.200.48.10");
        server = lab.host("server", "10.200.48.20");
        lab.link(client, server);
        server.tcpEchoServer(OPEN);
        server.tcpEchoServer(FIREWALLED);
        server.firewall().dropInput("tcp dport " + FIREWALLED);
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void cleanExchangeCapturedAtClientAndServer_eachPacketTwiceInTheFile_oneHealthyConnection(CapturedTraffic traffic) {
        Assertions.assertThat(client.connectTcp(server.address(), OPEN, Duration.ofSeconds(3)).outcome())
                .isEqualTo(ConnectResult.Outcome.CONNECTED);
        Assertions.assertThat(client.ping(server.address(), 2, Duration.ofSeconds(3))).isTrue();
        CapturedTraffic settled = traffic.settled();

        Map<String, Long> perPoint = settled.packets().collect(Collectors.groupingBy(
                p -> p.interfaceName().orElse("?").split("/")[0], Collectors.counting()));
        Assertions.assertThat(perPoint).as("frames per point in %s", settled.path()).containsOnlyKeys("client", "server");
        Assertions.assertThat(perPoint.get("server")).isEqualTo(perPoint.get("client")).isGreaterThanOrEqualTo(10);
        TcpConnection c = settled.connectionsTo(OPEN).get(0);
        Assertions.assertThat(c.retransmissions()).as(c.summary()).isZero();
        Assertions.assertThat(c.packets() * 2).as("each packet once to the analysis").isEqualTo(
                settled.packets().filter(p -> p.flow().map(f -> f.destination().port() == OPEN
                        || f.source().port() == OPEN).orElse(false)).count());
        assertThat(settled).isReachable(server.address(), OPEN).hasNoDroppedPacketsTo(OPEN).isComplete();
        assertThat(settled).connections().to(OPEN).allEstablished().noneReset().noneRetransmitted();
        assertThat(settled).icmp().echoRequests().allAnswered();
    }

    @Test
    void dropOnTheServersInput_everySynReachedTheServerPoint_andTheDropIsReported(CapturedTraffic traffic) {
        Assertions.assertThat(client.connectTcp(server.address(), FIREWALLED, Duration.ofMillis(2500)).outcome())
                .isEqualTo(ConnectResult.Outcome.TIMED_OUT);
        CapturedTraffic settled = traffic.settled();

        List<PacketPath> syns = PacketPath.of(settled, p -> p.isSyn() && !p.isAck());
        Assertions.assertThat(syns).as("SYNs of %s", settled.path()).hasSizeGreaterThanOrEqualTo(2).allSatisfy(p -> {
            Assertions.assertThat(p.points()).containsExactly("client", "server");
            Assertions.assertThat(p.neverLeft()).contains("server");
        });
        TcpConnection c = settled.connectionsTo(FIREWALLED).get(0);
        Assertions.assertThat(c.synRetransmissions()).as(c.summary()).isEqualTo(syns.size() - 1);
        assertThatThrownBy(() -> assertThat(settled).hasNoDroppedPacketsTo(FIREWALLED))
                .isInstanceOf(AssertionError.class).hasMessageContaining(server.address() + ":" + FIREWALLED)
                .hasMessageContaining(settled.path().toString());
    }
}
