package io.github.pcapunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.PacketPath;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.testing.ConnectResult;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.NetLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Where it vanished" (issue 16): client — router — server in three namespaces, captured at all
 * three points at once; {@link PacketPath} follows each SYN across the points and says where it
 * was seen last.
 */
class PacketPathTest {

    private static final int PORT = 5432;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsLabAndCapture() {
        NetLab.assumeAvailable();
        EngineTools.assumeCapture();
    }

    @Test
    void noFirewall_synPassesTheRouter_andTheSynAckComesBack() {
        List<PacketPath> paths = run("open", lab -> { });
        PacketPath syn = syns(paths).get(0);
        assertThat(syn.points()).containsExactly("client", "router", "server");
        assertThat(syn.describe()).contains("left client (client/to-router out)",
                "passed router (router/to-client in, router/to-server out)",
                "reached server (server/to-router in)");
        assertThat(paths).anyMatch(p -> p.packet().isSyn() && p.packet().isAck() && p.lastSeen().point().equals("client"));
    }

    @Test
    void dropOnTheRoutersForwardChain_everySynIsLastSeenEnteringTheRouter() {
        List<PacketPath> paths = run("fwd", hosts -> hosts[1].run("nft", "add table inet lab; add chain inet lab routed"
                + " { type filter hook forward priority 0; }; add rule inet lab routed tcp dport " + PORT + " drop"));
        List<PacketPath> syns = syns(paths);
        assertThat(syns).isNotEmpty().allSatisfy(p -> {
            assertThat(p.points()).containsExactly("client", "router");
            assertThat(p.reached("server")).isFalse();
            assertThat(p.lastSeen().interfaceName()).isEqualTo("router/to-client");
            assertThat(p.lastSeen().direction()).isEqualTo(Direction.INBOUND);
            assertThat(p.neverLeft()).contains("router");
            assertThat(p.describe()).contains("left client (client/to-router out), reached router (router/to-client in),"
                    + " never left router; last seen at router/to-client");
        });
        assertThat(syns.size()).as("the client retransmits: each copy is a path of its own").isGreaterThanOrEqualTo(2);
        assertThat(paths).noneMatch(p -> p.packet().isSyn() && p.packet().isAck());
    }

    @Test
    void dropOnTheServersInput_synsCrossTheRouterAndAreLastSeenAtTheServer_noSynAckAnywhere() {
        List<PacketPath> paths = run("input", hosts -> hosts[2].firewall().dropInput("tcp dport " + PORT));
        List<PacketPath> syns = syns(paths);
        assertThat(syns).isNotEmpty().allSatisfy(p -> {
            assertThat(p.points()).containsExactly("client", "router", "server");
            assertThat(p.lastSeen().interfaceName()).isEqualTo("server/to-router");
            assertThat(p.neverLeft()).contains("server");
        });
        assertThat(paths).noneMatch(p -> p.packet().isSyn() && p.packet().isAck());
    }

    private static List<PacketPath> syns(List<PacketPath> paths) {
        return paths.stream().filter(p -> p.packet().isSyn() && !p.packet().isAck()).toList();
    }

    /**
     * client 10.200.41.10 — (10.200.41.1) router (10.200.42.1) — server 10.200.42.20, with
     * {@code firewall} applied to {client, router, server}; one connection attempt captured at all three.
     */
    private List<PacketPath> run(String name, Consumer<Host[]> firewall) {
        try (NetLab lab = NetLab.create()) {
            Host client = lab.host("client", "10.200.41.10");
            Host router = lab.host("router", "10.200.41.1");
            Host server = lab.host("server", "10.200.42.20");
            lab.link(client, router);
            router.run("ip", "link", "add", "to-server", "type", "veth", "peer", "name", "to-router", "netns",
                    server.namespace());
            router.run("ip", "addr", "add", "10.200.42.1/24", "dev", "to-server");
            router.run("ip", "link", "set", "to-server", "up");
            router.run("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            server.run("ip", "addr", "add", "10.200.42.20/24", "dev", "to-router");
            server.run("ip", "link", "set", "to-router", "up");
            server.run("ip", "link", "set", "lo", "up");
            client.run("ip", "route", "add", "10.200.42.0/24", "via", "10.200.41.1");
            server.run("ip", "route", "add", "10.200.41.0/24", "via", "10.200.42.1");
            server.tcpEchoServer(PORT);
            firewall.accept(new Host[] {client, router, server});
            CaptureSpec spec = CaptureSpec.builder()
                    .point(CapturePoint.namespace(client.namespace()).named("client"))
                    .point(CapturePoint.namespace(router.namespace()).named("router"))
                    .point(CapturePoint.namespace(server.namespace()).named("server"))
                    .filter("tcp port " + PORT).output(dir.resolve(name + ".pcapng")).build();
            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                ConnectResult r = client.connectTcp(server.address(), PORT, Duration.ofMillis(name.equals("open")
                        ? 3000 : 2500));
                assertThat(r.outcome()).isEqualTo(name.equals("open") ? ConnectResult.Outcome.CONNECTED
                        : ConnectResult.Outcome.TIMED_OUT);
                result = capture.stop();
            }
            List<PacketPath> paths = PacketPath.of(CapturedTraffic.of(result));
            assertThat(paths).as("paths of %s", result.file()).isNotEmpty();
            return paths;
        }
    }
}
