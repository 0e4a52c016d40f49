package io.github.pcapunit.core;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.check.Expectation;
import io.github.pcapunit.core.check.TrafficExpectations;
import io.github.pcapunit.core.check.Violation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TrafficExpectations} over one real loopback capture made by pcapunit's engine: a TCP
 * exchange with a local server and a connection refused by a closed port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExpectationsLoopbackTest {

    private CapturedTraffic traffic;
    private int open;
    private int closed;

    @BeforeAll
    void capture(@TempDir Path dir) throws IOException {
        EngineTools.assumeCapture();
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             ServerSocket unused = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            open = server.getLocalPort();
            closed = unused.getLocalPort();
            unused.close(); // nobody listens there any more: the kernel answers SYN with RST
            CaptureSpec spec = CaptureSpec.builder().interfaces("lo")
                    .filter("tcp port " + open + " or tcp port " + closed)
                    .output(dir.resolve("loopback.pcapng")).build();
            try (Capture capture = Capture.start(spec)) {
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), open);
                     Socket accepted = server.accept()) {
                    client.getOutputStream().write("ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    InputStream in = accepted.getInputStream();
                    assertThat(in.readNBytes(4)).hasSize(4);
                }
                try (Socket refused = new Socket()) {
                    refused.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), closed), 1000);
                } catch (IOException expected) {
                    // connection refused is the point
                }
                traffic = CapturedTraffic.of(capture.stop());
            }
        }
    }

    @Test
    void healthyPort_holdsEveryConnectionExpectation() {
        assertThat(TrafficExpectations.noDropsTo(open).check(traffic)).isEmpty();
        assertThat(TrafficExpectations.noDropsTo("127.0.0.1", open).check(traffic)).isEmpty();
        assertThat(TrafficExpectations.allEstablished(open).check(traffic)).isEmpty();
        assertThat(TrafficExpectations.noneReset(open).check(traffic)).isEmpty();
        assertThat(TrafficExpectations.noneRetransmitted(open).check(traffic)).isEmpty();
        assertThat(TrafficExpectations.complete().check(traffic)).isEmpty();
    }

    @Test
    void refusedPort_violatesNoDropsAndNoneReset_withTheRefusal() {
        Optional<Violation> drops = TrafficExpectations.noDropsTo(closed).check(traffic);
        Optional<Violation> reset = TrafficExpectations.noneReset(closed).check(traffic);
        Optional<Violation> all = TrafficExpectations.noneReset().check(traffic);

        assertThat(drops).get().extracting(Violation::expectation).isEqualTo("no dropped packets to port " + closed);
        // The verdict leads (the RST's TTL equals the server's own packets': observed), then the evidence, then the file.
        assertThat(drops.orElseThrow().message())
                .startsWith("TCP 127.0.0.1:")
                .contains(" \u2192 127.0.0.1:" + closed + " was refused by the server 127.0.0.1: it answered the SYN with"
                        + " a reset (observed).\n  SYN 127.0.0.1:")
                .contains(" refused: RST from 127.0.0.1:" + closed)
                .contains("\n  the RST from 127.0.0.1 arrived with TTL 64, as 127.0.0.1's own packets did: sent by"
                        + " 127.0.0.1\n")
                .endsWith("\nExpecting the traffic captured in " + traffic.path() + "\nto have no dropped packets to port "
                        + closed + "\nbut found 1 drop (see above)");
        assertThat(reset.orElseThrow().message())
                .contains("was refused by the server 127.0.0.1")
                .contains("to have none of the 1 connections to port " + closed + " reset\nbut 1 was");
        assertThat(all.orElseThrow().message()).contains("to have none of the 2 TCP connections reset\nbut 1 was");
    }

    @Test
    void onlyTalksTo_andNoTrafficTo_judgeTheAddresses() {
        assertThat(TrafficExpectations.onlyTalksTo("127.0.0.0/8").check(traffic)).isEmpty();
        assertThat(TrafficExpectations.noTrafficTo("10.0.0.0/8").check(traffic)).isEmpty();

        String other = TrafficExpectations.onlyTalksTo("10.200.0.0/16", "::1").check(traffic).orElseThrow().message();
        String to = TrafficExpectations.noTrafficTo("127.0.0.1", open).check(traffic).orElseThrow().message();

        assertThat(other).contains("to only talk to 10.200.0.0/16, ::1\nbut found 4 flows to other hosts:\n"
                + "  TCP 127.0.0.1:");
        assertThat(other).containsPattern(" packets, first at \\+0\\.000 s");
        assertThat(to).contains("to have no traffic to 127.0.0.1:" + open + "\nbut found 1 flow:\n  TCP 127.0.0.1:")
                .containsPattern("\u2192 127\\.0\\.0\\.1:" + open + ", \\d+ packets, first at \\+0\\.000 s");
    }

    @Test
    void noEchoRequests_failUnlessNoTrafficIsAllowed() {
        Expectation echo = TrafficExpectations.echoRequestsAnswered();

        assertThat(echo.check(traffic).orElseThrow().message())
                .contains("to have all ICMP echo requests answered\nbut no ICMP echo request was seen:")
                .endsWith(io.github.pcapunit.core.check.internal.ShouldHaveSeenTraffic.HOW_TO_ALLOW);
        assertThat(echo.allowingNoTraffic().check(traffic)).isEmpty();
        assertThat(echo.allowingNoTraffic()).hasToString("all ICMP echo requests answered (no traffic allowed)");
    }

    @Test
    void badArguments_failBeforeAnythingIsRead_namingValueAndFix() {
        assertThatThrownBy(() -> TrafficExpectations.noDropsTo(70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("noDropsTo(70000): port 70000 is out of range; use a TCP/UDP port 0..65535, e.g. noDropsTo(1433)");
        assertThatThrownBy(() -> TrafficExpectations.onlyTalksTo("db.example.com"))
                .hasMessage("onlyTalksTo: host or network \"db.example.com\" is not a numeric IP address or network"
                        + " (host names are not resolved): pass e.g. \"127.0.0.1\", \"::1\" or \"10.200.0.0/16\"");
        assertThatThrownBy(() -> TrafficExpectations.noTrafficTo("10.0.0.0/33"))
                .hasMessage("noTrafficTo: host or network \"10.0.0.0/33\" has an invalid prefix length: use 0..32,"
                        + " e.g. \"10.0.0.0/24\"");
        assertThatThrownBy(() -> TrafficExpectations.noDropsTo("10.0.0.0/8", 1433))
                .hasMessage("noDropsTo(host, port): host \"10.0.0.0/8\" is a network; pass one address, e.g. \"10.0.1.20\"");
        assertThatThrownBy(TrafficExpectations::onlyTalksTo)
                .hasMessageStartingWith("onlyTalksTo() needs at least one host or network");
    }
}
