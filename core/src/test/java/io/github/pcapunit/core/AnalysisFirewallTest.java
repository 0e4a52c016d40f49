package io.github.pcapunit.core;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.analysis.IcmpExchange;
import io.github.pcapunit.core.analysis.TcpConnection;
import io.github.pcapunit.core.packet.DecodedPacket;
import io.github.pcapunit.core.packet.Endpoint;
import io.github.pcapunit.core.pcapng.Direction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.pcapunit.testing.ConnectResult;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.NetLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real nftables rules in throw-away namespaces "app" (10.200.1.10) and "db" (10.200.1.20); app's
 * traffic captured by tcpdump inside app's namespace (LINUX_SLL2 on "any"); the analysis must name
 * what the firewall did. tshark referees the retransmission count.
 */
class AnalysisFirewallTest {

    private static final String DB = "10.200.1.20";

    @TempDir
    Path dir;

    private NetLab lab;
    private Host app;
    private Host db;

    @BeforeAll
    static void needsLabAndTcpdump() {
        NetLab.assumeAvailable();
        assumeTrue(AnalysisTcpdump.available(), "tcpdump as root is needed");
    }

    @BeforeEach
    void createLab() {
        lab = NetLab.create();
        app = lab.host("app", "10.200.1.10");
        db = lab.host("db", DB);
        lab.link(app, db);
    }

    @AfterEach
    void removeLab() {
        lab.close();
    }

    private interface Action {
        void run() throws Exception;
    }

    private CapturedTraffic captureOnApp(String name, Action action) throws Exception {
        Path file = dir.resolve(name + ".pcap");
        try (AnalysisTcpdump t = AnalysisTcpdump.start(app.namespace(), "any", file, "LINUX_SLL2",
                "tcp port 1433 or icmp")) {
            action.run();
            t.stop();
        }
        return CapturedTraffic.read(file);
    }

    @Test
    void dropOnDbInput_givesUnansweredSynRetransmissions_countAgreesWithTshark() throws Exception {
        db.tcpEchoServer(1433);
        db.firewall().dropInput("tcp dport 1433");

        CapturedTraffic traffic = captureOnApp("drop", () -> assertThat(
                app.connectTcp(DB, 1433, Duration.ofMillis(3500)).outcome()).isEqualTo(ConnectResult.Outcome.TIMED_OUT));

        TcpConnection c = traffic.connectionsTo(1433).get(0);
        assertThat(c.handshake()).isEqualTo(TcpConnection.Handshake.SYN_SENT);
        assertThat(c.synRetransmissions()).isGreaterThanOrEqualTo(1);
        assertThat(c.synTimes()).hasSize((int) c.synRetransmissions() + 1);
        Drop d = traffic.dropsTo(1433).get(0);
        assertThat(d.kind()).isEqualTo(DropKind.UNANSWERED_CONNECTION_ATTEMPT);
        assertThat(d.frames()).hasSize(c.synTimes().size());
        assertThat(d.description()).matches("SYN 10\\.200\\.1\\.10:\\d+ \u2192 10\\.200\\.1\\.20:1433 sent \\d\u00d7 at"
                + " \\+0\\.000 s, \\+1\\.0\\d\\d s.*, no SYN-ACK");
        String tshark = AnalysisTcpdump.run("tshark", "-r", traffic.path().toString(), "-Y",
                "tcp.analysis.retransmission", "-T", "fields", "-e", "frame.number");
        assertThat(tshark.lines().count()).isEqualTo(c.retransmissions());
        assertThat(traffic.packets().filter(DecodedPacket::isSyn).allMatch(p -> p.direction() == Direction.OUTBOUND)).isTrue();
    }

    @Test
    void rejectWithTcpReset_givesRefusedConnection() throws Exception {
        db.firewall().rejectInput("tcp dport 1433", "tcp reset");

        CapturedTraffic traffic = captureOnApp("reset", () -> assertThat(
                app.connectTcp(DB, 1433, Duration.ofSeconds(2)).outcome()).isEqualTo(ConnectResult.Outcome.REFUSED));

        assertThat(traffic.connectionsTo(1433)).singleElement().satisfies(c -> {
            assertThat(c.isRefused()).isTrue();
            assertThat(c.resetBy()).contains(Endpoint.of(DB, 1433));
        });
        assertThat(traffic.dropsTo(1433)).singleElement().extracting(Drop::kind).isEqualTo(DropKind.REFUSED);
        assertThat(traffic.packets().filter(DecodedPacket::isRst).map(DecodedPacket::direction).toList())
                .containsExactly(Direction.INBOUND);
    }

    @Test
    void rejectWithIcmpPortUnreachable_isMatchedToTheTcpFlow() throws Exception {
        db.firewall().rejectInput("tcp dport 1433", "icmp type port-unreachable");

        CapturedTraffic traffic = captureOnApp("portunreach", () -> assertThat(
                app.connectTcp(DB, 1433, Duration.ofSeconds(2)).outcome()).isEqualTo(ConnectResult.Outcome.REFUSED));

        TcpConnection c = traffic.connectionsTo(1433).get(0);
        List<Drop> drops = traffic.dropsTo(1433);
        assertThat(drops).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DropKind.ICMP_UNREACHABLE);
            assertThat(d.reason()).contains("PORT_UNREACHABLE");
            assertThat(d.icmpType()).hasValue(3);
            assertThat(d.flow()).contains(c.flow());
            assertThat(d.description()).startsWith("ICMP port unreachable from 10.200.1.20 for " + c.flow());
        });
    }

    @Test
    void rejectWithAdminProhibited_isRecognised() throws Exception {
        db.firewall().rejectInput("tcp dport 1433", "icmp type admin-prohibited");

        CapturedTraffic traffic = captureOnApp("adminprohib", () -> assertThat(
                app.connectTcp(DB, 1433, Duration.ofSeconds(2)).outcome()).isNotEqualTo(ConnectResult.Outcome.CONNECTED));

        assertThat(traffic.dropsTo(1433)).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DropKind.ICMP_UNREACHABLE);
            assertThat(d.reason()).contains("ADMIN_PROHIBITED");
            assertThat(d.icmpCode()).hasValue(13);
        });
    }

    @Test
    void droppedPing_givesEchoWithoutReply() throws Exception {
        db.firewall().dropInput("icmp type echo-request");

        CapturedTraffic traffic = captureOnApp("ping", () -> assertThat(app.ping(DB, 2, Duration.ofSeconds(2))).isFalse());

        assertThat(traffic.icmpEchoes()).hasSizeGreaterThanOrEqualTo(2).noneMatch(IcmpExchange::isAnswered);
        assertThat(traffic.drops()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DropKind.ECHO_WITHOUT_REPLY);
            assertThat(d.frames()).hasSize(traffic.icmpEchoes().size());
            assertThat(d.description()).matches("ICMP echo request 10\\.200\\.1\\.10 \u2192 10\\.200\\.1\\.20 id=\\d+ sent \\d+\u00d7"
                    + " \\(seq 1, 2.*\\) at \\+0\\.000 s, \\+0\\.2\\d\\d s.*, no echo reply");
        });
        assertThat(traffic.packetsToHost(DB)).isEqualTo(traffic.icmpEchoes().size());
    }

    @Test
    void healthyTrafficThroughTheLab_hasNoDrops() throws Exception {
        db.tcpEchoServer(1433);

        CapturedTraffic traffic = captureOnApp("healthy", () -> {
            assertThat(app.connectTcp(DB, 1433, Duration.ofSeconds(2)).outcome()).isEqualTo(ConnectResult.Outcome.CONNECTED);
            assertThat(app.ping(DB, 2, Duration.ofSeconds(2))).isTrue();
        });

        assertThat(traffic.drops()).isEmpty();
        assertThat(traffic.connectionsTo(1433)).singleElement().satisfies(c -> {
            assertThat(c.isEstablished()).isTrue();
            assertThat(c.isClosed()).isTrue();
        });
        assertThat(traffic.icmpEchoes()).allMatch(IcmpExchange::isAnswered);
        assertThat(traffic.packetsTo(DB, 1433)).isPositive();
        assertThat(traffic.addresses()).extracting(a -> a.getHostAddress()).containsExactlyInAnyOrder("10.200.1.10", DB);
    }
}
