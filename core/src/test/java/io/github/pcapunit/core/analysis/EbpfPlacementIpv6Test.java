package io.github.pcapunit.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.EbpfEvidence;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.internal.kernel.BpfRecorder;
import io.github.pcapunit.core.capture.internal.kernel.KernelRecorder;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.Leftovers;
import io.github.pcapunit.testing.NetLab;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Verdicts place IPv6 drops as they place IPv4 ones, on real namespaces: client fd00:200:78::10 —
 * server fd00:200:78::20 (one link; IPv4 10.200.78.10/.20 for the lab), captured in both (eBPF
 * records the captured namespaces' drops; "this host" is the initiator's, the client's).
 * A SYN dropped by the client's OUTPUT is DROPPED_ON_THIS_HOST "(OUTPUT)"; one dropped by the
 * server's INPUT is DROPPED_ELSEWHERE in the server's namespace "(INPUT), at the server" — both
 * observed, from the eBPF records of the packets themselves (hop limit 64).
 */
class EbpfPlacementIpv6Test {

    private static final int OUTPUT_PORT = 1301;
    private static final int INPUT_PORT = 1302;
    private static final String CLIENT = "fd00:200:78::10";
    private static final String SERVER = "fd00:200:78::20";

    @BeforeAll
    static void requireEbpf() {
        NetLab.assumeAvailable();
        assumeThat(KernelRecorder.unavailableReason()).as("kernel evidence").isEmpty();
        EbpfEvidence.assumeAvailable();
    }

    @AfterEach
    void noBpftraceHeld() {
        BpfRecorder.closeIdle();
    }

    @AfterAll
    static void nothingLeftBehind() {
        assertThat(Leftovers.ofThisProcess()).isEmpty();
    }

    @Test
    void ipv6DropsOnTheClientsOutput_andTheServersInput_arePlacedThere_observed(@org.junit.jupiter.api.io.TempDir
            Path dir) throws Exception {
        try (NetLab lab = NetLab.create()) {
            Host client = lab.host("client", "10.200.78.10");
            Host server = lab.host("server", "10.200.78.20");
            lab.link(client, server);
            // the lab turns IPv6 off in its namespaces (router solicitations are noise): on for this link
            for (Host h : List.of(client, server)) {
                h.run("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=0");
                h.run("sysctl", "-q", "-w", "net.ipv6.conf." + (h == client ? "to-server" : "to-client")
                        + ".disable_ipv6=0");
            }
            client.run("ip", "-6", "addr", "add", CLIENT + "/64", "dev", "to-server", "nodad");
            server.run("ip", "-6", "addr", "add", SERVER + "/64", "dev", "to-client", "nodad");
            client.run("sysctl", "-q", "-w", "net.ipv4.tcp_syn_retries=1");
            client.firewall().dropOutput("tcp dport " + OUTPUT_PORT);
            server.firewall().dropInput("tcp dport " + INPUT_PORT);
            CaptureSpec spec = CaptureSpec.builder().point(CapturePoint.namespace(client.namespace()).named("client"))
                    .point(CapturePoint.namespace(server.namespace()).named("server")).output(dir.resolve("ipv6-placement.pcapng")).kernelEvidence(KernelEvidence.REQUIRED).build();
            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                EbpfEvidence.awaitAttached(capture);
                EbpfEvidence.connectFails(client, SERVER, OUTPUT_PORT);
                EbpfEvidence.connectFails(client, SERVER, INPUT_PORT);
                result = capture.stop();
            }

            CapturedTraffic traffic = CapturedTraffic.read(result.file());
            Verdict output = only(traffic, OUTPUT_PORT);
            assertThat(output.fate()).as(output.toString()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
            assertThat(output.confidence()).isEqualTo(Confidence.OBSERVED);
            assertThat(output.sentence()).contains("on this host, in namespace " + client.namespace() + " (OUTPUT)");
            Verdict input = only(traffic, INPUT_PORT);
            assertThat(input.fate()).as(input.toString()).isEqualTo(Fate.DROPPED_ELSEWHERE);
            assertThat(input.confidence()).isEqualTo(Confidence.OBSERVED);
            assertThat(input.sentence()).contains("in namespace " + server.namespace() + " (INPUT), at the server,"
                    + " not on this host");
            assertThat(input.flow().source().address()).isEqualTo(java.net.InetAddress.getByName(CLIENT));
            assertThat(input.evidence()).anySatisfy(l -> assertThat(l).startsWith("eBPF kfree_skb:").contains("TTL 64"));
        }
    }

    private static Verdict only(CapturedTraffic traffic, int port) {
        return DropFiles.onlyVerdict(traffic, port);
    }
}
