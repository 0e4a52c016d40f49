package io.github.pcapunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.CaptureStatistics;
import io.github.pcapunit.core.pcapng.InterfaceStatistics;
import io.github.pcapunit.core.pcapng.PcapReader;
import io.github.pcapunit.testing.ConnectResult;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.NetLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capture points in network namespaces the JVM is not in (issue 16): each point's interfaces are
 * opened and looped on threads that joined that namespace, all points merge into one pcapng whose
 * interfaces tshark names {@code <point>/<interface>}, and bad points fail before anything starts.
 */
class CapturePointsTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void needsLabAndCapture() {
        NetLab.assumeAvailable();
        EngineTools.assumeCapture();
    }

    private Path jvmNamespace;

    @BeforeEach
    void rememberTheJvmsNamespace() throws IOException {
        jvmNamespace = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net"));
    }

    @AfterEach
    void noCaptureThreadLeftAndJvmStillInItsNamespace() throws IOException {
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(n -> n.startsWith("pcapunit-capture-") || n.startsWith("pcapunit-netns-"));
        assertThat(Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net"))).isEqualTo(jvmNamespace);
        assertThat(Files.readSymbolicLink(Path.of("/proc/self/ns/net"))).isEqualTo(jvmNamespace);
    }

    @Test
    void clientAndServerNamespaces_captureAtBothPoints_oneFileWithNamedInterfacesInTimestampOrder()
            throws IOException {
        try (NetLab lab = NetLab.create()) {
            Host client = lab.host("client", "10.200.31.10");
            Host server = lab.host("server", "10.200.31.20");
            lab.link(client, server);
            server.tcpEchoServer(5432);
            CaptureSpec spec = CaptureSpec.builder()
                    .point(CapturePoint.namespace(client.namespace()).named("client"))
                    .point(CapturePoint.namespace(server.namespace()).interfaces("to-client").named("server"))
                    .filter("tcp port 5432")
                    .output(dir.resolve("two-points.pcapng")).build();
            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                assertThat(client.connectTcp(server.address(), 5432, Duration.ofSeconds(3)).outcome())
                        .isEqualTo(ConnectResult.Outcome.CONNECTED);
                result = capture.stop();
            }

            // tshark (the referee) names each interface <point>/<interface> and describes its namespace
            List<String> rows = EngineTools.tshark(result.file(), null, "frame.interface_name",
                    "frame.interface_description", "frame.time_epoch", "ip.src", "tcp.flags.str");
            assertThat(rows).isNotEmpty();
            Map<String, Integer> perInterface = new HashMap<>();
            double previous = 0;
            for (String r : rows) {
                String[] f = r.split("\\|", -1);
                perInterface.merge(f[0], 1, Integer::sum);
                assertThat(f[1]).as(r).contains(f[0].startsWith("client/") ? client.namespace() : server.namespace());
                double t = Double.parseDouble(f[2]);
                assertThat(t).as("timestamp order: " + r).isGreaterThanOrEqualTo(previous);
                previous = t;
            }
            // the client's "any" names the real interface of each packet (SLL2 ifindex, issue 13 item 7)
            assertThat(perInterface).containsOnlyKeys("client/to-server", "server/to-client");
            // every packet of the connection passed both points: each seen once at each
            assertThat(perInterface.get("client/to-server")).isEqualTo(perInterface.get("server/to-client"));
            List<String> syns = EngineTools.tshark(result.file(), "tcp.flags.syn == 1 && tcp.flags.ack == 0",
                    "frame.interface_name", "ip.src", "ip.dst");
            assertThat(syns).containsExactlyInAnyOrder("client/to-server|10.200.31.10|10.200.31.20",
                    "server/to-client|10.200.31.10|10.200.31.20");

            // the engine's own view: statistics per (point, interface as opened), and an ISB for each
            // in the file; the client's any wrote the packets now named client/to-server
            assertThat(result.statistics()).extracting(CaptureStatistics::interfaceName)
                    .containsExactly("client/any", "server/to-client");
            assertThat(result.statistics()).allSatisfy(s -> assertThat(s.packetsWritten())
                    .isEqualTo((long) perInterface.get(s.interfaceName().replace("client/any", "client/to-server"))));
            try (PcapReader reader = PcapReader.open(result.file())) {
                while (reader.next() != PcapReader.RecordKind.END) {
                    // read to the end: statistics come last
                }
                assertThat(reader.interfaces()).extracting(d -> d.name().orElse("?"))
                        .containsExactly("client/any", "server/to-client", "client/to-server");
                assertThat(reader.interfaces()).extracting(d -> d.description().orElse("?"))
                        .containsExactly("any in network namespace " + client.namespace() + " (ip netns)",
                                "to-client in network namespace " + server.namespace() + " (ip netns)",
                                "to-server in network namespace " + client.namespace() + " (ip netns)");
                Map<Integer, InterfaceStatistics> isb = reader.latestStatistics();
                assertThat(isb).containsOnlyKeys(0, 1);
                assertThat(isb.get(1).usrDeliv()).hasValue((long) perInterface.get("server/to-client"));
            }
        }
    }

    @Test
    void namespacesByTextForm_allOfOnePointAndOneInterfaceOfAnother_ownNamespaceNotCaptured() throws IOException {
        try (NetLab lab = NetLab.create()) {
            Host a = lab.host("a", "10.200.32.10");
            Host b = lab.host("b", "10.200.32.20");
            lab.link(a, b);
            b.tcpEchoServer(9053);
            CaptureSpec spec = CaptureSpec.builder().namespaces(a.namespace(), b.namespace() + "/lo")
                    .filter("tcp port 9053").output(dir.resolve("text.pcapng")).build();
            assertThat(spec.capturesOwnNamespace()).isFalse();
            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                assertThat(a.connectTcp(b.address(), 9053, Duration.ofSeconds(3)).outcome())
                        .isEqualTo(ConnectResult.Outcome.CONNECTED);
                result = capture.stop();
            }
            assertThat(result.statistics()).extracting(CaptureStatistics::interfaceName)
                    .containsExactly(a.namespace() + "/any", b.namespace() + "/lo");
            List<String> rows = EngineTools.tshark(result.file(), null, "frame.interface_name", "ip.src");
            // the connection crossed the veth, never b's loopback
            assertThat(rows).contains(a.namespace() + "/to-b|" + a.address())
                    .noneMatch(r -> r.startsWith(b.namespace() + "/lo"));
        }
    }

    @Test
    void interfacesNamedBesidePoints_captureTheJvmsOwnNamespaceToo() throws IOException {
        try (NetLab lab = NetLab.create()) {
            Host h = lab.host("own", "10.200.39.10");
            lab.link(h, lab.host("peer", "10.200.39.20"));
            int port = EngineTools.freeUdpPort();
            CaptureSpec spec = CaptureSpec.builder().interfaces("lo").namespaces(h.namespace() + "/lo")
                    .filter("udp port " + port).output(dir.resolve("own.pcapng")).build();
            assertThat(spec.capturesOwnNamespace()).isTrue();
            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                EngineTools.sendUdp(port, 3);
                result = capture.stop();
            }
            // the JVM's loopback keeps its plain name; the point's loopback saw none of it
            assertThat(result.statistics()).extracting(CaptureStatistics::interfaceName)
                    .containsExactly("lo", h.namespace() + "/lo");
            assertThat(result.statistics().get(0).packetsWritten()).isEqualTo(3);
            assertThat(result.statistics().get(1).packetsWritten()).isZero();
        }
    }

    @Test
    void namespaceThatDoesNotExist_failsBeforeAnything_listingWhatExists() {
        try (NetLab lab = NetLab.create()) {
            Host only = lab.host("only", "10.200.33.10");
            Path out = dir.resolve("never.pcapng");
            CaptureSpec spec = CaptureSpec.builder().namespaces("pcapunit-no-such-ns").output(out).build();
            assertThatThrownBy(() -> Capture.start(spec))
                    .isInstanceOf(InvalidCaptureSpecException.class)
                    .hasMessageContaining("network namespace \"pcapunit-no-such-ns\" does not exist")
                    .hasMessageContaining(only.namespace())
                    .hasMessageContaining("ip netns add pcapunit-no-such-ns");
            assertThat(out).doesNotExist();
            assertThat(dir.toFile().list()).isEmpty();
        }
    }

    @Test
    void interfaceMissingInThePointsNamespace_failsNamingWhatExistsThere() {
        try (NetLab lab = NetLab.create()) {
            Host a = lab.host("x", "10.200.34.10");
            Host b = lab.host("y", "10.200.34.20");
            lab.link(a, b);
            // "to-y" exists in x, not in y (nor in the JVM's namespace)
            CaptureSpec spec = CaptureSpec.builder().namespaces(b.namespace() + "/to-y")
                    .output(dir.resolve("never.pcapng")).build();
            assertThatThrownBy(spec::validate)
                    .isInstanceOf(UnknownInterfaceException.class)
                    .hasMessageContaining("interface \"to-y\" does not exist in network namespace " + b.namespace())
                    .hasMessageContaining("to-x").hasMessageContaining("lo");
            assertThat(dir.toFile().list()).isEmpty();
        }
    }

    @Test
    void nsfsPathOfAProcess_isAPoint_labelledByItsPid() throws IOException {
        try (NetLab lab = NetLab.create()) {
            Host h = lab.host("p", "10.200.35.10");
            lab.link(h, lab.host("q", "10.200.35.20"));
            var listener = h.tcpEchoServer(9054);
            Path nsfs = Path.of("/proc", Long.toString(listener.pid()), "ns", "net");
            CaptureSpec spec = CaptureSpec.builder().point(CapturePoint.namespace(nsfs).interfaces("lo"))
                    .filter("tcp port 9054").output(dir.resolve("pid.pcapng")).build();
            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                // to its own address: over p's loopback
                assertThat(h.connectTcp(h.address(), 9054, Duration.ofSeconds(3)).outcome())
                        .isEqualTo(ConnectResult.Outcome.CONNECTED);
                result = capture.stop();
            }
            assertThat(result.statistics()).extracting(CaptureStatistics::interfaceName)
                    .containsExactly("pid" + listener.pid() + "/lo");
            assertThat(result.statistics().get(0).packetsWritten()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void textForms_parseToPoints_andRefuseBadEntries() {
        assertThat(CapturePoint.parse(CapturePoint.Kind.NAMESPACE, "app", "db/eth0", "db/lo"))
                .containsExactly(CapturePoint.namespace("app"), CapturePoint.namespace("db").interfaces("eth0", "lo"));
        assertThat(CapturePoint.parse(CapturePoint.Kind.NAMESPACE, "db/eth0", "db"))
                .containsExactly(CapturePoint.namespace("db"));
        assertThat(CapturePoint.parse(CapturePoint.Kind.NAMESPACE, "/proc/1/ns/net"))
                .containsExactly(CapturePoint.namespace(Path.of("/proc/1/ns/net")));
        assertThatThrownBy(() -> CaptureSpec.builder().containers("db;rm"))
                .isInstanceOf(InvalidCaptureSpecException.class).hasMessageContaining("\"db;rm\" is not a container");
        assertThatThrownBy(() -> CaptureSpec.builder().namespaces("db").namespaces("db/eth0"))
                .isInstanceOf(InvalidCaptureSpecException.class).hasMessageContaining("given twice");
        assertThat(CaptureSpec.builder().interfaces("lo").namespaces("db").build().capturesOwnNamespace()).isTrue();
    }
}
