package io.github.pcapunit.core;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureFilter;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.pcapng.LinkType;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real captures of loopback traffic, checked by tshark. */
class CaptureLoopbackTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void needsCapture() {
        EngineTools.assumeCapture();
    }

    @Test
    void udpBurstOnLo_everyDatagramIncludingTheLastBeforeStop_isInTheFile() {
        int port = EngineTools.freeUdpPort();
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp dst port " + port)
                .output(dir.resolve("udp.pcapng")).build();
        CaptureResult result;
        try (Capture capture = Capture.start(spec)) {
            EngineTools.sendUdp(port, 500);
            result = capture.stop(); // right after the last send: the tail must be there
        }

        List<String> payloads = EngineTools.tshark(result.file(), null, "udp.payload");
        assertThat(payloads).hasSize(500);
        assertThat(payloads.get(499)).isEqualTo(hex("seq-499"));
        assertThat(result.packetsWritten()).isEqualTo(500);
        assertThat(result.statistics()).singleElement().satisfies(s -> {
            assertThat(s.interfaceName()).isEqualTo("lo");
            assertThat(s.linkType()).isEqualTo(LinkType.ETHERNET);
            assertThat(s.kernelBufferDrops()).isZero();
            assertThat(s.packetsReceived()).isEqualTo(500);
        });
        assertThat(EngineTools.tshark(result.file(), null, "frame.interface_name")).containsOnly("lo");
    }

    @Test
    void twoPortsOnAny_filterOnOne_fileHoldsExactlyThatPortAndTsharkAgreesOnCountsAndDirections() {
        int wanted = EngineTools.freeUdpPort();
        int other = EngineTools.freeUdpPort();
        CaptureSpec spec = CaptureSpec.builder().filter(CaptureFilter.udp().dstPort(wanted))
                .output(dir.resolve("any.pcapng")).build();
        CaptureResult result;
        try (Capture capture = Capture.start(spec)) {
            for (int i = 0; i < 20; i++) {
                EngineTools.sendUdp(other, 5);
                EngineTools.sendUdp(wanted, 5);
            }
            result = capture.stop();
        }

        List<String> rows = EngineTools.tshark(result.file(), null, "frame.interface_name", "udp.dstport",
                "frame.packet_flags_direction", "sll.pkttype");
        assertThat(rows).hasSize(100);
        assertThat(rows).allSatisfy(r -> {
            String[] f = r.split("\\|", -1);
            assertThat(f[0]).isEqualTo("lo"); // captured on any, written on its real interface
            assertThat(f[1]).isEqualTo(Integer.toString(wanted));
            // epb_flags direction agrees with the cooked header's packet type (0 = to us: inbound)
            assertThat(Integer.decode(f[2]) & 3).isEqualTo(f[3].equals("4") ? 2 : 1);
        });
        assertThat(result.statistics()).singleElement().satisfies(s -> {
            assertThat(s.linkType()).isEqualTo(LinkType.LINUX_SLL2);
            assertThat(s.packetsWritten()).isEqualTo(100);
            // "any" counts each loopback packet twice; the result must not
            assertThat(s.packetsReceived()).isEqualTo(100);
        });
        assertThat(EngineTools.run(List.of("capinfos", "-c", "-M", result.file().toString())))
                .anyMatch(l -> l.matches(".*Number of packets:\\s+100"));
    }

    @Test
    void tcpExchangeOnAny_everySegmentUpToTheFinalAck_isInTheFile() throws Exception {
        CaptureResult result;
        int port;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
            CaptureSpec spec = CaptureSpec.builder().filter(CaptureFilter.tcp().port(port))
                    .kernelEvidence(KernelEvidence.OFF) // only the mark may be in the journal
                    .output(dir.resolve("tcp.pcapng")).build();
            try (Capture capture = Capture.start(spec)) {
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
                        Socket accepted = server.accept()) {
                    OutputStream out = client.getOutputStream();
                    out.write("hello".getBytes());
                    out.flush();
                    InputStream in = accepted.getInputStream();
                    assertThat(in.readNBytes(5)).isEqualTo("hello".getBytes());
                    client.shutdownOutput();
                    assertThat(in.read()).isEqualTo(-1);
                    accepted.close();
                }
                capture.mark("exchange done");
                result = capture.stop();
            }
        }

        List<String> flags = EngineTools.tshark(result.file(), "tcp", "tcp.flags.str");
        // SYN, SYN/ACK, ACK, data, ACK, FIN, ACK, FIN, ACK: the last ACK is sent just before stop()
        assertThat(flags).hasSizeGreaterThanOrEqualTo(8);
        assertThat(flags.get(0)).contains("S");
        assertThat(flags.stream().filter(f -> f.contains("F")).count()).isEqualTo(2);
        assertThat(flags.get(flags.size() - 1)).contains("A").doesNotContain("F");
        assertThat(EngineTools.tshark(result.file(), "systemd_journal", "systemd_journal.message"))
                .containsExactly("exchange done");
    }

    private static String hex(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes()) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
