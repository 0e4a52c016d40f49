package io.github.pcapunit.core.capture.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.EbpfEvidence;
import io.github.pcapunit.core.EngineTools;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Fate;
import io.github.pcapunit.core.analysis.Verdict;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.internal.kernel.KernelRecorder;
import io.github.pcapunit.testing.Host;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture started by a thread that joined another network namespace ({@code setns}) keeps its
 * interfaces' bare names (the user asked for {@code lo}, {@code any}) but describes them in the
 * file as a capture point of that namespace does: {@code lo in network namespace <ns> (ip netns)}.
 * Before, their Interface Description Blocks had no description, so nothing in the file said the
 * {@code lo} was not the JVM's.
 */
@ExtendWith(LabCaptures.class)
class JoinedNamespaceDescriptionTest {

    @TempDir
    Path dir;

    @Test
    void loStartedInsideANamespace_describedAsThatNamespacesPointIs() throws Exception {
        try (InsideNamespace ns = InsideNamespace.create(lab -> lab.host("lodesc", "10.200.151.10"))) {
            Host h = ns.host();
            CaptureSpec inside = CaptureSpec.builder().interfaces("lo").filter("udp port 9")
                    .kernelEvidence(KernelEvidence.OFF).output(dir.resolve("inside.pcapng")).build();
            CaptureSpec point = CaptureSpec.builder().point(CapturePoint.namespace(h.namespace()).interfaces("lo"))
                    .filter("udp port 9").kernelEvidence(KernelEvidence.OFF).output(dir.resolve("point.pcapng")).build();
            CaptureResult insideResult;
            CaptureResult pointResult;
            try (Capture started = ns.call(() -> Capture.start(inside)); Capture ofPoint = Capture.start(point)) {
                datagramsToPort9(h);
                pointResult = ofPoint.stop();
                insideResult = started.stop();   // from the JVM's namespace
            }
            String described = "lo in network namespace " + h.namespace() + " (ip netns)";
            assertThat(EngineTools.tshark(insideResult.file(), null, "frame.interface_name",
                    "frame.interface_description")).as("the namespace's datagrams, on its lo, named bare")
                    .isNotEmpty().containsOnly("lo|" + described);
            assertThat(EngineTools.tshark(pointResult.file(), null, "frame.interface_description"))
                    .as("a capture point's description of the same lo").isNotEmpty().containsOnly(described);
        }
    }

    @Test
    void anyStartedInsideANamespace_eachInterfaceDescribedAsThatNamespaces() throws Exception {
        try (InsideNamespace ns = InsideNamespace.create(lab -> {
            Host a = lab.host("anydesc", "10.200.154.1");
            lab.link(a, lab.host("anypeer", "10.200.154.2"));
            return a;
        })) {
            Host a = ns.host();
            CaptureSpec spec = CaptureSpec.builder().interfaces("any").filter("icmp")
                    .kernelEvidence(KernelEvidence.OFF).output(dir.resolve("any.pcapng")).build();
            CaptureResult result = ns.capture(spec,   // converted from the JVM's namespace
                    capture -> assertThat(a.ping("10.200.154.2", 2, Duration.ofSeconds(5))).isTrue());
            List<String> rows = EngineTools.tshark(result.file(), null, "frame.interface_name",
                    "frame.interface_description");
            assertThat(rows).as("2 requests and 2 replies on a's veth").hasSize(4).allSatisfy(r -> {
                String[] f = r.split("\\|", -1);
                assertThat(f[0]).as(r).doesNotContain("/").isNotEqualTo("any");
                assertThat(f[1]).as(r).isEqualTo(f[0] + " in network namespace " + a.namespace() + " (ip netns)");
            });
        }
    }

    /**
     * What the description is for: the analysis takes a capture's interface descriptions as the
     * namespaces it ran in, so a firewall drop in the namespace a capture was started in is "on
     * this host". Before, the bare description counted as the JVM's namespace, and this drop, on
     * the capturing namespace's own OUTPUT, was "elsewhere".
     */
    @Test
    void firewallDropInTheJoinedNamespace_isOnThisHost() throws Exception {
        assumeThat(KernelRecorder.unavailableReason()).as("kernel evidence").isEmpty();
        EbpfEvidence.assumeAvailable();
        try (InsideNamespace ns = InsideNamespace.create(lab -> {
            Host a = lab.host("joinfw", "10.200.158.10");
            lab.link(a, lab.host("joinpeer", "10.200.158.20"));
            a.run("sysctl", "-q", "-w", "net.ipv4.tcp_syn_retries=1");
            a.firewall().dropOutput("tcp dport 1207");
            return a;
        })) {
            Host a = ns.host();
            CaptureSpec spec = CaptureSpec.builder().interfaces("any").filter("tcp port 1207")
                    .kernelEvidence(KernelEvidence.REQUIRED).output(dir.resolve("fw.pcapng")).build();
            CaptureResult result = ns.capture(spec, capture -> {   // stopped from the JVM's namespace
                EbpfEvidence.awaitAttached(capture);
                EbpfEvidence.connectFails(a, "10.200.158.20", 1207);
            });
            List<Verdict> verdicts = CapturedTraffic.of(result).verdictsTo(1207);
            assertThat(verdicts).as("verdicts to 1207").hasSize(1);
            Verdict v = verdicts.get(0);
            assertThat(v.fate()).as(v.toString()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
            assertThat(v.where()).hasValue("this host, namespace " + a.namespace() + " (OUTPUT)");
        }
    }

    /** A few UDP datagrams to 127.0.0.1:9 in {@code host}'s namespace. */
    private static void datagramsToPort9(Host host) throws Exception {
        String script = "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                + "for i in range(5):\n  s.sendto(b'x',('127.0.0.1',9))\n";
        Process p = new ProcessBuilder("ip", "netns", "exec", host.namespace(), "python3", "-c", script)
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }
}
