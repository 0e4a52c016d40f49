package io.github.pcapunit.assertions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Confidence;
import io.github.pcapunit.core.analysis.Fate;
import io.github.pcapunit.core.analysis.Verdict;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.packet.DecodedPacket;
import io.github.pcapunit.testing.ExecResult;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.NetLab;
import io.github.pcapunit.testing.RoutedPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Verdicts on a real three-host path, every host a namespace this test creates ({@link RoutedPath}):
 * client (10.200.51.10, fd00:200:51::10) — router (forwarding, nftables) — server (10.200.52.20,
 * fd00:200:52::20, a dual-stack echo server). pcapunit captures at the client; the server's
 * packets arrive there with TTL/hop limit 63, anything the router sends with 64.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PathVerdictsTest {

    private static final String SERVER4 = "10.200.52.20";
    private static final String SERVER6 = "fd00:200:52::20";
    private static final int OPEN = 1433;
    private static final int ROUTER_RESET = 1434;
    private static final int ROUTER_DROP = 1435;
    private static final int PMTU = 1436;
    private static final int CLIENT_DROP = 1437;
    private static final int SERVER_DROP = 1438;

    /** A dual-stack echo server on every port given. */
    private static final String ECHO_SERVER = String.join("\n",
            "import socket, sys, threading",
            "def handle(c):",
            "    try:",
            "        while True:",
            "            d = c.recv(65536)",
            "            if not d: break",
            "            c.sendall(d)",
            "    except Exception: pass",
            "    finally: c.close()",
            "def serve(s):",
            "    while True:",
            "        c, _ = s.accept()",
            "        threading.Thread(target=handle, args=(c,), daemon=True).start()",
            "for p in sys.argv[1:]:",
            "    s = socket.socket(socket.AF_INET6)",
            "    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)",
            "    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "    s.bind(('::', int(p)))",
            "    s.listen(64)",
            "    threading.Thread(target=serve, args=(s,), daemon=True).start()",
            "print('ready', flush=True)",
            "threading.Event().wait()");

    /**
     * The client: {@code partial} sends 4000 bytes, reads 10 of the echo and closes (Linux resets:
     * unread data); {@code connect} sends a line and reads it back; {@code pmtu} exchanges 10 bytes,
     * then tries to send 20000. Prints the outcome.
     */
    private static final String CLIENT = String.join("\n",
            "import socket, sys, time",
            "mode, host, port, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])",
            "fam = socket.AF_INET6 if ':' in host else socket.AF_INET",
            "s = socket.socket(fam)",
            "s.settimeout(timeout)",
            "try:",
            "    s.connect((host, port))",
            "    if mode == 'partial':",
            "        s.sendall(b'x' * 4000); time.sleep(0.3); s.recv(10)",
            "    elif mode == 'pmtu':",
            "        s.sendall(b'y' * 10); s.recv(10); s.sendall(b'z' * 20000); s.recv(100)",
            "    else:",
            "        s.sendall(b'hello\\n'); s.recv(64)",
            "    print('ok')",
            "except ConnectionRefusedError: print('refused')",
            "except ConnectionResetError: print('reset')",
            "except socket.timeout: print('timeout')",
            "finally: s.close()");

    private RoutedPath path;
    private Host client;
    private Host router;
    private Host server;
    private Process echo;
    private Path dir;

    @BeforeAll
    void buildThePath() throws IOException {
        NetLab.assumeAvailable();
        dir = Files.createTempDirectory("pcapunit-path");
        path = RoutedPath.dualStack(51);
        client = path.client();
        router = path.router();
        server = path.server();
        // The router: a reset for one port, a silent drop for another, a narrow link to the server
        // whose "fragmentation needed" / "packet too big" errors it never lets out (a black hole).
        path.forward("tcp dport " + ROUTER_RESET + " counter reject with tcp reset");
        path.forward("tcp dport " + ROUTER_DROP + " counter drop comment \"router drop\"");
        router.firewall().rule("output", "icmp type destination-unreachable counter drop");
        router.firewall().rule("output", "icmpv6 type packet-too-big counter drop");
        client.firewall().dropOutput("tcp dport " + CLIENT_DROP);
        server.firewall().dropInput("tcp dport " + SERVER_DROP);
        echo = new ProcessBuilder("ip", "netns", "exec", server.namespace(), "python3", "-c", ECHO_SERVER,
                Integer.toString(OPEN), Integer.toString(PMTU), Integer.toString(CLIENT_DROP),
                Integer.toString(SERVER_DROP), Integer.toString(ROUTER_DROP), Integer.toString(ROUTER_RESET))
                .redirectErrorStream(true).start();
        assertThat(new String(echo.getInputStream().readNBytes(6))).isEqualTo("ready\n");
        // both address families work end to end before any test relies on them
        assertThat(run("connect", SERVER4, OPEN, 3)).isEqualTo("ok");
        assertThat(run("connect", SERVER6, OPEN, 3)).isEqualTo("ok");
    }

    @AfterAll
    void removeThePath() throws IOException {
        if (echo != null) {
            echo.destroyForcibly();
        }
        if (path != null) {
            path.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private String run(String mode, String host, int port, double timeout) {
        ExecResult r = client.exec("python3", "-c", CLIENT, mode, host, Integer.toString(port), Double.toString(timeout));
        return r.stdout().strip();
    }

    private interface Traffic {
        void run() throws Exception;
    }

    private CapturedTraffic capture(String name, boolean explain, Traffic traffic) throws Exception {
        CaptureSpec.Builder spec = CaptureSpec.builder()
                .point(CapturePoint.namespace(client.namespace()).named("client"))
                .filter("tcp or icmp or icmp6")
                .output(dir.resolve(name + ".pcapng"));
        if (explain) {
            spec.explainFirewall("tcp dport " + ROUTER_DROP + "-" + SERVER_DROP)
                    .explainNamespaces(client.namespace(), router.namespace(), server.namespace());
        }
        CaptureResult result;
        try (Capture capture = Capture.start(spec.build())) {
            traffic.run();
            result = capture.stop();
        }
        return CapturedTraffic.of(result);
    }

    @Test
    void clientResetsAfterAPartialRead_passesEveryNoDropsCheck_ipv4AndIpv6() throws Exception {
        CapturedTraffic traffic = capture("partial-read", false, () -> {
            assertThat(run("partial", SERVER4, OPEN, 3)).as("IPv4").isEqualTo("ok");
            assertThat(run("partial", SERVER6, OPEN, 3)).as("IPv6").isEqualTo("ok");
        });

        // the client really reset both connections: the healthy case this must not fail on
        try (Stream<DecodedPacket> p = traffic.packets()) {
            assertThat(p.filter(DecodedPacket::isRst).map(d -> d.destinationPort()).toList())
                    .as("RSTs sent by the client").contains(OPEN);
        }
        assertThat(traffic.verdictsTo(OPEN)).hasSize(2).allSatisfy(v -> {
            assertThat(v.fate()).as(v.toString()).isEqualTo(Fate.CLOSED_BY_INITIATOR);
            assertThat(v.confidence()).isEqualTo(Confidence.OBSERVED);
        });
        assertThatCode(() -> PcapunitAssertions.assertThat(traffic)
                .hasNoDroppedPacketsTo(OPEN)
                .hasNoDroppedPacketsTo(SERVER4, OPEN)
                .hasNoDroppedPacketsTo(SERVER6, OPEN)
                .isReachable(SERVER4, OPEN)
                .isReachable(SERVER6, OPEN)
                .connections().to(OPEN).allEstablished().noneReset())
                .doesNotThrowAnyException();
    }

    @Test
    void routerRejectsWithTcpReset_isAttributedToThePathWithTheHopDistance_ipv4AndIpv6() throws Exception {
        CapturedTraffic traffic = capture("router-reset", false, () -> {
            assertThat(run("connect", SERVER4, OPEN, 3)).isEqualTo("ok");
            assertThat(run("connect", SERVER6, OPEN, 3)).isEqualTo("ok");
            assertThat(run("connect", SERVER4, ROUTER_RESET, 3)).isEqualTo("refused");
            assertThat(run("connect", SERVER6, ROUTER_RESET, 3)).isEqualTo("refused");
        });

        List<Verdict> resets = traffic.verdictsTo(ROUTER_RESET);
        assertThat(resets).hasSize(2).allSatisfy(v -> {
            assertThat(v.fate()).as(v.toString()).isEqualTo(Fate.RESET_BY_PATH);
            assertThat(v.confidence()).isEqualTo(Confidence.INFERRED);
        });
        assertThat(resets.get(0).where()).hasValue("1 hop closer than " + SERVER4);
        assertThat(resets.get(0).evidence()).contains("the RST from " + SERVER4 + " arrived with TTL 64, 1 hop closer"
                + " than " + SERVER4 + "'s own packets (TTL 63): sent by a device 1 hop closer than " + SERVER4
                + ", not by " + SERVER4);
        assertThat(resets.get(1).evidence()).contains("the RST from " + SERVER6 + " arrived with hop limit 64, 1 hop"
                + " closer than " + SERVER6 + "'s own packets (hop limit 63): sent by a device 1 hop closer than "
                + SERVER6 + ", not by " + SERVER6);
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(traffic).hasNoDroppedPacketsTo(SERVER4, ROUTER_RESET))
                .hasMessageStartingWith("TCP 10.200.51.10:")
                .hasMessageContaining(" \u2192 10.200.52.20:1434 was reset by a device on the path, not by 10.200.52.20:"
                        + " the RST that claims to come from 10.200.52.20 was sent by a device 1 hop closer than"
                        + " 10.200.52.20 (its TTL gives it away) (inferred).\n");
        assertThatCode(() -> PcapunitAssertions.assertThat(traffic).isReachable(SERVER4, OPEN).isReachable(SERVER6, OPEN))
                .doesNotThrowAnyException();
    }

    @Test
    void dropsOnClientOutput_serverInput_routerForward_giveThreeVerdictsNamingWhere() throws Exception {
        CapturedTraffic traffic = capture("three-drops", true, () -> {
            assertThat(client.ping(SERVER4, 2, Duration.ofSeconds(3))).isTrue();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<String>> all = new ArrayList<>();
                for (int port : new int[] {CLIENT_DROP, SERVER_DROP, ROUTER_DROP}) {
                    all.add(pool.submit(() -> run("connect", SERVER4, port, 2.5)));
                }
                for (Future<String> f : all) {
                    assertThat(f.get(30, TimeUnit.SECONDS)).isIn("timeout", "refused");
                }
            } finally {
                pool.shutdownNow();
            }
        });

        Verdict local = only(traffic, CLIENT_DROP);
        Verdict atServer = only(traffic, SERVER_DROP);
        Verdict onPath = only(traffic, ROUTER_DROP);
        assertThat(local.fate()).as(local.toString()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
        assertThat(local.where()).hasValue("this host, namespace " + client.namespace());
        assertThat(atServer.fate()).as(atServer.toString()).isEqualTo(Fate.DROPPED_ELSEWHERE);
        assertThat(atServer.where()).hasValue("namespace " + server.namespace());
        assertThat(atServer.sentence()).contains("chain input");
        assertThat(onPath.fate()).as(onPath.toString()).isEqualTo(Fate.DROPPED_ELSEWHERE);
        assertThat(onPath.where()).hasValue("namespace " + router.namespace());
        assertThat(onPath.sentence()).contains("table inet " + RoutedPath.ROUTER_TABLE + " chain forward")
                .contains("comment \"router drop\"");
        assertThat(List.of(local, atServer, onPath)).allSatisfy(v ->
                assertThat(v.confidence()).as(v.toString()).isEqualTo(Confidence.OBSERVED));
        // the seed's headline case, one assertion: ping passes, TCP does not, and where
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(traffic).isReachable(SERVER4, ROUTER_DROP))
                .hasMessageStartingWith("10.200.52.20: ICMP echo answered (the network path works); port 1435: TCP"
                        + " 10.200.51.10:")
                .hasMessageContaining(" in namespace " + router.namespace())
                .hasMessageContaining("\u2014 the cause is on another host on the path or at the server, not here.\n");
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(traffic).isReachable(SERVER4, CLIENT_DROP))
                .hasMessageContaining("\u2014 the cause is on this host, not the server.\n");
        assertThatCode(() -> PcapunitAssertions.assertThat(traffic).icmp().echoRequests().to(SERVER4).allAnswered())
                .doesNotThrowAnyException();
    }

    @Test
    void withoutFirewallTracing_theKernelRecordsGiveTheSameSidesAtLowerConfidence() throws Exception {
        // tracefs only (no explain mode): records without namespace; the place comes from whether
        // the capture saw the SYNs leave, so server INPUT and router FORWARD cannot be told apart
        // eBPF off ("pcapunit.bpftrace" empty): its records would name the namespace and hook (observed)
        System.setProperty("pcapunit.bpftrace", "");
        CapturedTraffic traffic;
        try {
            traffic = capture("three-drops-tracefs", false, () -> {
                for (int port : new int[] {CLIENT_DROP, SERVER_DROP, ROUTER_DROP}) {
                    assertThat(run("connect", SERVER4, port, 2.5)).isEqualTo("timeout");
                }
            });
        } finally {
            System.clearProperty("pcapunit.bpftrace");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(traffic.evidenceStatus()
                .map(st -> st.recorded(io.github.pcapunit.core.capture.EvidenceStatus.Source.KERNEL_TRACE))
                .orElse(false), "kernel evidence not recorded here");

        Verdict local = only(traffic, CLIENT_DROP);
        assertThat(local.fate()).as(local.toString()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
        assertThat(local.confidence()).isEqualTo(Confidence.INFERRED);
        for (int port : new int[] {SERVER_DROP, ROUTER_DROP}) {
            Verdict v = only(traffic, port);
            // either the record was tied to the flow (dropped after leaving, inferred) or it was not
            // (unanswered, and the verdict says where is not recorded): never a named place
            assertThat(v.fate()).as(v.toString()).isIn(Fate.DROPPED_ELSEWHERE, Fate.UNANSWERED);
            if (v.fate() == Fate.DROPPED_ELSEWHERE) {
                assertThat(v.confidence()).isEqualTo(Confidence.INFERRED);
                assertThat(v.where()).hasValue("another host or namespace");
                assertThat(v.sentence()).contains("the kernel record names no namespace");
            } else {
                assertThat(v.sentence()).contains("where it was lost is not recorded");
            }
        }
    }

    private static Verdict only(CapturedTraffic traffic, int port) {
        List<Verdict> v = traffic.verdictsTo(port);
        assertThat(v).as("verdicts to %d: %s", port, v).hasSize(1);
        return v.get(0);
    }

    @Test
    void fullSizeSegmentsLostOnTheNarrowLink_isNamedAPathMtuBlackHole() throws Exception {
        // the router's link to the server narrows to 1280 bytes only for this test
        router.run("ip", "link", "set", "to-server", "mtu", "1280");
        CapturedTraffic traffic;
        try {
            traffic = capture("pmtu", false, () -> assertThat(run("pmtu", SERVER4, PMTU, 3)).isEqualTo("timeout"));
        } finally {
            router.run("ip", "link", "set", "to-server", "mtu", "1500");
        }

        Verdict v = only(traffic, PMTU);
        assertThat(v.fate()).as(v.toString()).isEqualTo(Fate.PMTU_BLACK_HOLE);
        assertThat(v.confidence()).isEqualTo(Confidence.INFERRED);
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(traffic).hasNoDroppedPacketsTo(PMTU))
                .hasMessageStartingWith("TCP 10.200.51.10:")
                .hasMessageContaining("stalled in a path-MTU black hole: 10.200.51.10's segments of ");
    }
}
