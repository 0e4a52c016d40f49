package io.github.pcapunit.core;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.analysis.TcpConnection;
import io.github.pcapunit.core.analysis.UdpExchange;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.packet.DecodedPacket;
import io.github.pcapunit.core.packet.Endpoint;
import io.github.pcapunit.core.pcapng.Direction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real loopback traffic captured by tcpdump, analysed by CapturedTraffic, cross-checked with tshark. */
class AnalysisLoopbackTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTcpdumpAsRoot() {
        assumeTrue(AnalysisTcpdump.available(), "tcpdump as root is needed");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void connectToClosedPort_isRefusedByResetFromThePeer() throws Exception {
        int closed = freePort();
        Path file = dir.resolve("refused.pcap");
        int clientPort;
        try (AnalysisTcpdump t = AnalysisTcpdump.start(null, "lo", file, null, "tcp port " + closed)) {
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                clientPort = s.getLocalPort();
                assertThatThrownBy(() -> s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), closed), 2000))
                        .isInstanceOf(java.net.ConnectException.class);
            }
            t.stop();
        }

        CapturedTraffic traffic = CapturedTraffic.read(file);

        assertThat(traffic.packetCount()).isEqualTo(2);
        TcpConnection c = traffic.connections().get(0);
        assertThat(c.isRefused()).isTrue();
        assertThat(c.isEstablished()).isFalse();
        assertThat(c.resetBy()).contains(Endpoint.of("127.0.0.1", closed));
        assertThat(c.flow().source()).isEqualTo(Endpoint.of("127.0.0.1", clientPort));
        Drop d = traffic.drops().get(0);
        assertThat(traffic.drops()).hasSize(1);
        assertThat(d.kind()).isEqualTo(DropKind.REFUSED);
        assertThat(d.source()).isEqualTo(EvidenceSource.WIRE);
        assertThat(d.frames()).containsExactly(1L, 2L);
        assertThat(d.description()).startsWith("SYN 127.0.0.1:" + clientPort + " \u2192 127.0.0.1:" + closed + " at +0.000 s")
                .contains("refused: RST from 127.0.0.1:" + closed);
        assertThat(traffic.packetsTo(closed)).isEqualTo(1);
        assertThat(traffic.dropsTo(closed)).containsExactly(d);
        assertThat(traffic.isComplete()).isTrue();
    }

    @Test
    void healthyExchangeWithFin_isEstablishedClosedAndDropFree_tsharkAgreesOnCounts() throws Exception {
        Path file = dir.resolve("healthy.pcap");
        int port;
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
            try (AnalysisTcpdump t = AnalysisTcpdump.start(null, "lo", file, null, "tcp port " + port)) {
                Thread echo = new Thread(() -> {
                    try (Socket a = server.accept()) {
                        a.getOutputStream().write(a.getInputStream().readNBytes(5));
                    } catch (IOException ignored) {
                        // the client's assertion reports it
                    }
                });
                echo.start();
                try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    OutputStream out = c.getOutputStream();
                    out.write("hello".getBytes(StandardCharsets.US_ASCII));
                    InputStream in = c.getInputStream();
                    assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("hello");
                    c.shutdownOutput();
                    assertThat(in.read()).isEqualTo(-1);
                }
                echo.join();
                t.stop();
            }
        }

        CapturedTraffic traffic = CapturedTraffic.read(file);

        List<TcpConnection> conns = traffic.connections();
        assertThat(conns).hasSize(1);
        TcpConnection c = conns.get(0);
        assertThat(c.handshake()).isEqualTo(TcpConnection.Handshake.ESTABLISHED);
        assertThat(c.isClosed()).isTrue();
        assertThat(c.isReset()).isFalse();
        assertThat(c.synRetransmissions()).isZero();
        assertThat(c.retransmissions()).isZero();
        assertThat(c.payloadBytes()).isEqualTo(10);
        assertThat(c.flow().destination().port()).isEqualTo(port);
        assertThat(traffic.drops()).isEmpty();
        String tsharkCount = AnalysisTcpdump.run("tshark", "-r", file.toString(), "-Y", "tcp", "-T", "fields", "-e",
                "frame.number").strip();
        assertThat(c.packets()).isEqualTo(tsharkCount.lines().count()).isEqualTo(traffic.packetCount());
        String payload = AnalysisTcpdump.run("tshark", "-r", file.toString(), "-Y", "tcp.len > 0", "-T", "fields",
                "-e", "tcp.len");
        assertThat(payload.lines().mapToLong(Long::parseLong).sum()).isEqualTo(c.payloadBytes());
        assertThat(traffic.filter("tcp port " + port).packetCount()).isEqualTo(traffic.packetCount());
        assertThat(traffic.filter("udp").packetCount()).isZero();
    }

    @Test
    void udpRequestResponseAndPortUnreachable_arePairedAndMatchedToTheFlow() throws Exception {
        int closed = freePort();
        Path file = dir.resolve("udp.pcap");
        int port;
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
            try (AnalysisTcpdump t = AnalysisTcpdump.start(null, "lo", file, null,
                    "udp port " + port + " or udp port " + closed
                    // only ICMP errors quoting a datagram to our closed port: other tests share loopback
                    + " or (icmp[0] = 3 and icmp[30:2] = " + closed + ")")) {
                for (int i = 0; i < 2; i++) {
                    client.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, server.getLocalSocketAddress()));
                    DatagramPacket in = new DatagramPacket(new byte[16], 16);
                    server.receive(in);
                    server.send(new DatagramPacket(new byte[] {9}, 1, in.getSocketAddress()));
                    client.receive(new DatagramPacket(new byte[16], 16));
                }
                client.send(new DatagramPacket(new byte[] {7}, 1, new InetSocketAddress(InetAddress.getLoopbackAddress(), closed)));
                Thread.sleep(100);
                t.stop();
            }
        }

        CapturedTraffic traffic = CapturedTraffic.read(file);

        UdpExchange ok = traffic.udpExchanges().stream().filter(u -> u.flow().destination().port() == port)
                .findFirst().orElseThrow();
        assertThat(ok.requests()).isEqualTo(2);
        assertThat(ok.responses()).isEqualTo(2);
        assertThat(ok.isAnswered()).isTrue();
        assertThat(ok.firstResponseDelay()).isPresent();
        UdpExchange dead = traffic.udpExchanges().stream().filter(u -> u.flow().destination().port() == closed)
                .findFirst().orElseThrow();
        assertThat(dead.isAnswered()).isFalse();
        assertThat(dead.unreachableReports()).isEqualTo(1);
        assertThat(traffic.dropsTo(closed)).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DropKind.ICMP_UNREACHABLE);
            assertThat(d.reason()).contains("PORT_UNREACHABLE");
            assertThat(d.icmpCode()).hasValue(3);
            assertThat(d.flow()).contains(dead.flow());
        });
        assertThat(traffic.filter("udp port " + closed).drops()).hasSize(1);
        assertThat(traffic.filter("udp port " + port).drops()).isEmpty();
    }

    @Test
    void pcapunitEngineCaptureOnAny_refusedAndHealthy_analysedFromTheCaptureResult() throws Exception {
        int closed = freePort();
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int open = server.getLocalPort();
            CaptureSpec spec = CaptureSpec.builder().filter("tcp port " + closed + " or tcp port " + open)
                    .kernelEvidence(KernelEvidence.OFF).output(dir.resolve("engine.pcapng")).build();
            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                try (Socket s = new Socket()) {
                    assertThatThrownBy(() -> s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), closed), 2000))
                            .isInstanceOf(java.net.ConnectException.class);
                }
                try (Socket c = new Socket(InetAddress.getLoopbackAddress(), open); Socket a = server.accept()) {
                    c.getOutputStream().write(1);
                    assertThat(a.getInputStream().read()).isEqualTo(1);
                }
                result = capture.stop();
            }

            CapturedTraffic traffic = CapturedTraffic.of(result);

            assertThat(traffic.path()).isEqualTo(result.file());
            assertThat(traffic.kernelEvidenceStatus()).contains(result.kernelEvidenceStatus());
            // Read back later from the file alone, the verdict and the status are the same.
            CapturedTraffic fromFile = CapturedTraffic.read(result.file());
            assertThat(fromFile.evidenceStatus()).contains(result.evidenceStatus());
            assertThat(fromFile.drops()).isEqualTo(traffic.drops());
            assertThat(traffic.isComplete()).isTrue();
            assertThat(traffic.connectionsTo(closed)).singleElement().extracting(TcpConnection::isRefused).isEqualTo(true);
            assertThat(traffic.connectionsTo(open)).singleElement().satisfies(c -> {
                assertThat(c.isEstablished()).isTrue();
                assertThat(c.payloadBytes()).isEqualTo(1);
            });
            assertThat(traffic.drops()).extracting(Drop::kind).containsExactly(DropKind.REFUSED);
            // On "any" each loopback packet is seen once, with its direction (SLL2 or epb_flags).
            try (var packets = traffic.packets()) {
                assertThat(packets.map(DecodedPacket::direction)).doesNotContain(Direction.UNKNOWN);
            }
        }
    }
}
