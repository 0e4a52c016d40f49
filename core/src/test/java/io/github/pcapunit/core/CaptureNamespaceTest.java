package io.github.pcapunit.core;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureFilter;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.CaptureStatistics;
import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.LinkType;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.testing.JvmLink;
import io.github.pcapunit.testing.NetLab;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Captures on veth pairs into namespaces the test creates: directions, several interfaces merged. */
class CaptureNamespaceTest {

    private static final int ECHO_PORT = 7007;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsLabAndCapture() {
        NetLab.assumeAvailable();
        EngineTools.assumeCapture();
    }

    @Test
    void echoOverVethOnAny_tsharkSeesRequestsOutboundAndRepliesInbound() throws IOException {
        try (NetLab lab = NetLab.create()) {
            JvmLink link = lab.linkToJvm("echo");
            link.host().udpEchoServer(ECHO_PORT);
            CaptureSpec spec = CaptureSpec.builder()
                    .filter(CaptureFilter.udp().port(ECHO_PORT).and(CaptureFilter.host(link.host().address())))
                    .output(dir.resolve("veth-any.pcapng")).build();
            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                exchange(link, 10);
                result = capture.stop();
            }

            List<String> rows = EngineTools.tshark(result.file(), null, "ip.src", "frame.packet_flags_direction",
                    "sll.ifindex");
            assertThat(rows).hasSize(20);
            assertThat(rows).allSatisfy(r -> {
                String[] f = r.split("\\|", -1);
                int direction = Integer.decode(f[1]) & 3;
                assertThat(direction).as(r).isEqualTo(f[0].equals(link.jvmAddress()) ? 2 : 1);
            });
            assertThat(result.statistics().get(0).packetsReceived()).isEqualTo(20);

            // the analysis reads the same file the same way
            CapturedTraffic traffic = CapturedTraffic.of(result);
            assertThat(traffic.packetCount()).isEqualTo(20);
            assertThat(traffic.isComplete()).isTrue();
            assertThat(traffic.packets().filter(p -> p.direction() == Direction.OUTBOUND).count()).isEqualTo(10);
            assertThat(traffic.packetsTo(link.host().address(), ECHO_PORT)).isEqualTo(10);
            // the evidence status is data in the file: read back, it is the result's value
            assertThat(CapturedTraffic.read(result.file()).evidenceStatus()).contains(result.evidenceStatus());
        }
    }

    @Test
    void twoVethInterfaces_mergeIntoOneFileInTimestampOrder_withOneInterfaceEach() throws IOException {
        try (NetLab lab = NetLab.create()) {
            JvmLink a = lab.linkToJvm("left");
            JvmLink b = lab.linkToJvm("right");
            a.host().udpEchoServer(ECHO_PORT);
            b.host().udpEchoServer(ECHO_PORT);
            CaptureSpec spec = CaptureSpec.builder().interfaces(a.interfaceName(), b.interfaceName())
                    .filter("udp port " + ECHO_PORT).output(dir.resolve("merged.pcapng")).build();
            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                for (int i = 0; i < 5; i++) {
                    exchange(a, 1);
                    exchange(b, 1);
                }
                result = capture.stop();
            }

            List<String> rows = EngineTools.tshark(result.file(), null, "frame.interface_name", "frame.time_epoch",
                    "ip.src", "frame.packet_flags_direction");
            assertThat(rows).hasSize(20);
            double previous = 0;
            String previousInterface = null;
            int switches = 0;
            for (String r : rows) {
                String[] f = r.split("\\|", -1);
                double t = Double.parseDouble(f[1]);
                assertThat(t).as("timestamp order").isGreaterThanOrEqualTo(previous);
                previous = t;
                JvmLink link = f[0].equals(a.interfaceName()) ? a : b;
                assertThat(f[0]).isIn(a.interfaceName(), b.interfaceName());
                assertThat(Integer.decode(f[3]) & 3).as(r).isEqualTo(f[2].equals(link.jvmAddress()) ? 2 : 1);
                switches += previousInterface != null && !previousInterface.equals(f[0]) ? 1 : 0;
                previousInterface = f[0];
            }
            assertThat(switches).as("interleaved, not concatenated").isGreaterThanOrEqualTo(9);
            assertThat(result.statistics()).extracting(CaptureStatistics::interfaceName)
                    .containsExactly(a.interfaceName(), b.interfaceName());
            assertThat(result.statistics()).allSatisfy(s -> {
                assertThat(s.linkType()).isEqualTo(LinkType.ETHERNET);
                assertThat(s.packetsWritten()).isEqualTo(10);
                assertThat(s.packetsReceived()).isEqualTo(10);
            });
        }
    }

    /** Sends {@code count} datagrams to the link's echo server, waiting for each echo. */
    private static void exchange(JvmLink link, int count) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(link.jvmAddress()), 0))) {
            s.setSoTimeout(2000);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(link.host().address()), ECHO_PORT);
            for (int i = 0; i < count; i++) {
                byte[] b = ("ping-" + i).getBytes();
                s.send(new DatagramPacket(b, b.length, to));
                DatagramPacket reply = new DatagramPacket(new byte[64], 64);
                s.receive(reply);
            }
        }
    }
}
