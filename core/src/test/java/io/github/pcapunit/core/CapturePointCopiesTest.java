package io.github.pcapunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.analysis.TcpConnection;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.check.Expectation;
import io.github.pcapunit.core.check.TrafficExpectations;
import io.github.pcapunit.testing.ConnectResult;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.NetLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One packet seen at several places is one packet to the flow analysis (issue 16): a capture at
 * the client's and the server's namespace, or on {@code any} in a router's, records each packet
 * twice; the copies are not retransmissions, repeated echoes or drops, while a packet really sent
 * again through the same interface still is.
 */
class CapturePointCopiesTest {

    private static final int PORT = 5433;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsLabAndCapture() {
        NetLab.assumeAvailable();
        EngineTools.assumeCapture();
    }

    @Test
    void cleanExchangeCapturedAtClientAndServer_eachPacketTwiceInTheFile_noRetransmissionNoDrop_everyCheckPasses() {
        try (NetLab lab = NetLab.create()) {
            Host client = lab.host("client", "10.200.43.10");
            Host server = lab.host("server", "10.200.43.20");
            lab.link(client, server);
            server.tcpEchoServer(PORT);
            CaptureResult result = capture(List.of(client, server), "clean", () -> {
                assertThat(client.connectTcp(server.address(), PORT, Duration.ofSeconds(3)).outcome())
                        .isEqualTo(ConnectResult.Outcome.CONNECTED);
                assertThat(client.ping(server.address(), 3, Duration.ofSeconds(3))).isTrue();
            });
            CapturedTraffic traffic = CapturedTraffic.of(result);

            Map<String, Long> perPoint = framesPerPoint(traffic);
            assertThat(perPoint).as("file %s", result.file()).containsOnlyKeys(client.namespace(), server.namespace());
            long atClient = perPoint.get(client.namespace());
            assertThat(perPoint.get(server.namespace())).isEqualTo(atClient);
            assertThat(traffic.packetCount()).as("every frame of the file counts as a frame").isEqualTo(2 * atClient);

            TcpConnection c = single(traffic.connectionsTo(PORT));
            assertThat(c.retransmissions()).as(c.summary()).isZero();
            assertThat(c.packets()).as("each packet once: %s", c.summary())
                    .isEqualTo(tcpFramesAt(traffic, client.namespace()));
            assertThat(c.summary()).doesNotContain("retransmission");
            assertThat(traffic.icmpEchoes()).hasSize(3).allMatch(e -> e.isAnswered());
            assertThat(traffic.drops()).as("drops of %s", result.file()).filteredOn(d -> d.source() == EvidenceSource.WIRE).isEmpty();
            for (Expectation e : List.of(TrafficExpectations.noDrops(), TrafficExpectations.noDropsTo(PORT),
                    TrafficExpectations.allEstablished(PORT), TrafficExpectations.noneReset(PORT),
                    TrafficExpectations.noneRetransmitted(PORT), TrafficExpectations.noneRetransmitted(),
                    TrafficExpectations.echoRequestsAnswered(), TrafficExpectations.reachable(server.address(), PORT),
                    TrafficExpectations.complete())) {
                assertThat(e.check(traffic)).as(e.description()).isEmpty();
            }
        }
    }

    @Test
    void firstSynDroppedOnTheServersInput_capturedAtBothPoints_theSynRetransmissionIsStillReported() {
        try (NetLab lab = NetLab.create()) {
            Host client = lab.host("client", "10.200.44.10");
            Host server = lab.host("server", "10.200.44.20");
            lab.link(client, server);
            server.tcpEchoServer(PORT);
            // a SYN is 60 bytes: only the first fits the quota and is dropped; the client resends it after ~1 s
            server.firewall().rule("input", "tcp dport " + PORT + " tcp flags & (syn | ack) == syn quota until 100 bytes drop");
            CaptureResult result = capture(List.of(client, server), "resent", () ->
                    assertThat(client.connectTcp(server.address(), PORT, Duration.ofSeconds(5)).outcome())
                            .isEqualTo(ConnectResult.Outcome.CONNECTED));
            CapturedTraffic traffic = CapturedTraffic.of(result);

            assertThat(traffic.packets().filter(p -> p.isSyn() && !p.isAck()).count())
                    .as("two SYNs, each seen at both points").isEqualTo(4);
            TcpConnection c = single(traffic.connectionsTo(PORT));
            assertThat(c.synRetransmissions()).as(c.summary()).isEqualTo(1);
            assertThat(c.retransmissions()).as(c.summary()).isEqualTo(1);
            assertThat(c.isEstablished()).isTrue();
            assertThat(traffic.dropsTo(PORT)).extracting(Drop::kind).contains(DropKind.RETRANSMITTED);
            assertThat(traffic.drops()).filteredOn(d -> d.kind() == DropKind.RETRANSMITTED).singleElement()
                    .satisfies(d -> assertThat(d.description()).contains("SYN sent 2\u00d7"));
            assertThat(TrafficExpectations.noneRetransmitted(PORT).check(traffic)).isPresent();
        }
    }

    @Test
    void anyInTheRoutersNamespace_eachForwardedPacketOnTwoInterfaces_noRetransmission() {
        try (NetLab lab = NetLab.create()) {
            Host client = lab.host("client", "10.200.45.10");
            Host router = lab.host("router", "10.200.45.1");
            Host server = lab.host("server", "10.200.46.20");
            lab.link(client, router);
            router.run("ip", "link", "add", "to-server", "type", "veth", "peer", "name", "to-router", "netns",
                    server.namespace());
            router.run("ip", "addr", "add", "10.200.46.1/24", "dev", "to-server");
            router.run("ip", "link", "set", "to-server", "up");
            router.run("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            server.run("ip", "addr", "add", "10.200.46.20/24", "dev", "to-router");
            server.run("ip", "link", "set", "to-router", "up");
            server.run("ip", "link", "set", "lo", "up");
            client.run("ip", "route", "add", "10.200.46.0/24", "via", "10.200.45.1");
            server.run("ip", "route", "add", "10.200.45.0/24", "via", "10.200.46.1");
            server.tcpEchoServer(PORT);
            CaptureResult result = capture(List.of(router), "router", () -> {
                assertThat(client.connectTcp(server.address(), PORT, Duration.ofSeconds(3)).outcome())
                        .isEqualTo(ConnectResult.Outcome.CONNECTED);
                assertThat(client.ping(server.address(), 2, Duration.ofSeconds(3))).isTrue();
            });
            CapturedTraffic traffic = CapturedTraffic.of(result);

            assertThat(framesPerPoint(traffic)).containsOnlyKeys(router.namespace());
            long tcpFrames = tcpFramesAt(traffic, router.namespace());
            TcpConnection c = single(traffic.connectionsTo(PORT));
            assertThat(tcpFrames).as("every TCP packet in and out of the router").isEqualTo(2 * c.packets());
            assertThat(c.retransmissions()).as(c.summary()).isZero();
            assertThat(traffic.icmpEchoes()).hasSize(2).allMatch(e -> e.isAnswered());
            assertThat(traffic.drops()).as("drops of %s", result.file()).filteredOn(d -> d.source() == EvidenceSource.WIRE).isEmpty();
            assertThat(TrafficExpectations.noneRetransmitted(PORT).check(traffic)).isEmpty();
            assertThat(TrafficExpectations.noDrops().check(traffic)).isEmpty();
        }
    }

    private CaptureResult capture(List<Host> points, String name, Runnable traffic) {
        CaptureSpec.Builder spec = CaptureSpec.builder().filter("tcp port " + PORT + " or icmp")
                .output(dir.resolve(name + ".pcapng"));
        for (Host h : points) {
            spec.point(CapturePoint.namespace(h.namespace()).named(h.namespace()));
        }
        try (Capture capture = Capture.start(spec.build())) {
            traffic.run();
            return capture.stop();
        }
    }

    /** Frames per capture point: the part of the interface name before '/' (e.g. "client" of "client/any"). */
    private static Map<String, Long> framesPerPoint(CapturedTraffic traffic) {
        return traffic.packets().collect(Collectors.groupingBy(p -> point(p.interfaceName().orElse("?")),
                Collectors.counting()));
    }

    private static String point(String interfaceName) {
        int slash = interfaceName.indexOf('/');
        return slash > 0 ? interfaceName.substring(0, slash) : interfaceName;
    }

    private static long tcpFramesAt(CapturedTraffic traffic, String point) {
        return traffic.packets().filter(p -> point(p.interfaceName().orElse("")).equals(point))
                .filter(p -> p.flow().map(f -> f.destination().port() == PORT || f.source().port() == PORT).orElse(false))
                .count();
    }

    private static <T> T single(List<T> list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }
}
