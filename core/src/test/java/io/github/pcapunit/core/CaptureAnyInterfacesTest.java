package io.github.pcapunit.core;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.UdpExchange;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.CaptureStatistics;

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
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture on {@code any} writes one interface per real interface seen (issue 13 item 7): the
 * LINUX_SLL2 ifindex is looked up in the captured namespace, so Wireshark names {@code lo} and the
 * veth instead of "any" and an index; packets of an interface gone before the conversion stay on
 * {@code any}, which also keeps the statistics.
 */
class CaptureAnyInterfacesTest {

    private static final int ECHO_PORT = 7011;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsLabAndCapture() {
        NetLab.assumeAvailable();
        EngineTools.assumeCapture();
    }

    @Test
    void anyOverLoopbackAndVeth_eachPacketOnItsRealInterface_readTheSame() throws IOException {
        int loPort = EngineTools.freeUdpPort();
        try (NetLab lab = NetLab.create(); DatagramSocket loReceiver = loopbackReceiver(loPort)) {
            JvmLink link = lab.linkToJvm("anyif");
            link.host().udpEchoServer(ECHO_PORT);
            CaptureSpec spec = CaptureSpec.builder()
                    .filter("udp and (port " + ECHO_PORT + " or port " + loPort + ")")
                    .output(dir.resolve("any.pcapng")).build();
            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                exchange(link, 4);
                EngineTools.sendUdp(loPort, 3);
                result = capture.stop();
            }

            // tshark: each packet on its real interface, the SLL2 header kept (sll.ifindex matches)
            List<String> rows = EngineTools.tshark(result.file(), null, "frame.interface_name", "udp.dstport",
                    "udp.srcport", "sll.ifindex");
            Map<String, Long> perInterface = rows.stream()
                    .collect(Collectors.groupingBy(r -> r.split("\\|", -1)[0], TreeMap::new, Collectors.counting()));
            assertThat(perInterface).containsExactlyInAnyOrderEntriesOf(Map.of(link.interfaceName(), 8L, "lo", 3L));
            assertThat(rows).allSatisfy(r -> {
                String[] f = r.split("\\|", -1);
                boolean echo = f[1].equals(Integer.toString(ECHO_PORT)) || f[2].equals(Integer.toString(ECHO_PORT));
                assertThat(f[0]).as(r).isEqualTo(echo ? link.interfaceName() : "lo");
                assertThat(f[3]).as(r).isNotEmpty();
            });
            // the "any" interface is still described first and keeps the statistics
            List<String> ids = EngineTools.run(List.of("tshark", "-n", "-r", result.file().toString(), "-T",
                    "fields", "-e", "frame.interface_id", "-e", "frame.interface_name", "-Y",
                    "not systemd_journal"));
            assertThat(ids).as("no packet left on any").noneMatch(r -> r.startsWith("0|"));
            List<String> capinfos = EngineTools.run(List.of("capinfos", "-I", result.file().toString()));
            assertThat(String.join("\n", capinfos)).contains("Interface #0 info:", "Name = any",
                    "Name = lo", "Name = " + link.interfaceName());
            assertThat(result.statistics()).extracting(CaptureStatistics::interfaceName).containsExactly("any");
            assertThat(result.statistics().get(0).packetsWritten()).isEqualTo(11);

            // our reader and analysis: same packets and flows, now with the real interface names
            CapturedTraffic traffic = CapturedTraffic.read(result.file());
            assertThat(traffic.packetCount()).isEqualTo(11);
            Map<String, Long> ours = traffic.packets().map(p -> p.interfaceName().orElse("?"))
                    .collect(Collectors.groupingBy(n -> n, TreeMap::new, Collectors.counting()));
            assertThat(ours).isEqualTo(perInterface);
            assertThat(traffic.udpExchanges()).hasSize(2);
            UdpExchange echo = traffic.udpExchanges().stream()
                    .filter(u -> u.flow().destination().port() == ECHO_PORT).findFirst().orElseThrow();
            assertThat(echo.requests()).isEqualTo(4);
            assertThat(echo.responses()).isEqualTo(4);
            UdpExchange lo = traffic.udpExchanges().stream()
                    .filter(u -> u.flow().destination().port() == loPort).findFirst().orElseThrow();
            assertThat(lo.requests()).isEqualTo(3);
        }
    }

    @Test
    void anyWithTheVethGoneBeforeStop_itsPacketsStayOnAny() throws IOException {
        CaptureResult result;
        String vethName;
        try (Capture capture = Capture.start(CaptureSpec.builder().filter("udp port " + ECHO_PORT)
                .output(dir.resolve("gone.pcapng")).build())) {
            try (NetLab lab = NetLab.create()) {
                JvmLink link = lab.linkToJvm("gone");
                vethName = link.interfaceName();
                link.host().udpEchoServer(ECHO_PORT);
                exchange(link, 2);
            } // the veth pair and its namespace are deleted here, before the conversion
            result = capture.stop();
        }

        List<String> names = EngineTools.tshark(result.file(), null, "frame.interface_name", "sll.ifindex");
        assertThat(names).hasSize(4).allSatisfy(r -> assertThat(r).startsWith("any|"));
        assertThat(names).noneMatch(r -> r.startsWith(vethName));
        assertThat(CapturedTraffic.read(result.file()).packetCount()).isEqualTo(4);
    }

    private static DatagramSocket loopbackReceiver(int port) throws IOException {
        return new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** Sends {@code count} datagrams to the link's echo server, waiting for each echo. */
    private static void exchange(JvmLink link, int count) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(link.jvmAddress()), 0))) {
            s.setSoTimeout(2000);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(link.host().address()), ECHO_PORT);
            for (int i = 0; i < count; i++) {
                byte[] b = ("ping-" + i).getBytes();
                s.send(new DatagramPacket(b, b.length, to));
                s.receive(new DatagramPacket(new byte[64], 64));
            }
        }
    }
}
