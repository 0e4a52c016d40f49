package io.github.pcapunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Confidence;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.analysis.Fate;
import io.github.pcapunit.core.analysis.Verdict;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.internal.kernel.BpfRecorder;
import io.github.pcapunit.core.capture.internal.kernel.KernelRecorder;
import io.github.pcapunit.testing.DockerLab;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A drop inside a Docker container's network namespace is named by the container: the eBPF
 * record's namespace is {@code container <name>}, and the verdict of a capture in that container
 * places it there ("on this host, in the network namespace of container ..."). Real engine, the
 * local busybox image (nothing pulled), an nft rule in the container's namespace dropping
 * tcp/5433 on INPUT, a connect from the JVM over the bridge.
 */
class KernelEvidenceDockerTest {

    @TempDir
    Path dir;

    @AfterEach
    void noBpftraceLeft() {
        BpfRecorder.closeIdle();
    }

    @Test
    void dropInAContainersInput_isNamedByTheContainer_andPlacedThere() throws Exception {
        DockerLab.assumeAvailable();
        assumeThat(KernelRecorder.unavailableReason()).as("kernel evidence").isEmpty();
        EbpfEvidence.assumeAvailable();
        try (DockerLab docker = DockerLab.start()) {
            DockerLab.Container db = docker.run("db", "nc", "-ll", "-p", "5433", "-e", "/bin/cat");
            docker.inNetns(db, "nft", "add table inet pcapunit_drop");
            docker.inNetns(db, "nft", "add chain inet pcapunit_drop input { type filter hook input priority 0; }");
            docker.inNetns(db, "nft", "add rule inet pcapunit_drop input tcp dport 5433 counter drop");
            CaptureSpec spec = CaptureSpec.builder().point(CapturePoint.container(db.name()).named("db"))
                    .output(dir.resolve("container-drop.pcapng")).kernelEvidence(KernelEvidence.REQUIRED).build();
            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                EbpfEvidence.awaitAttached(capture);
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(db.address(), 5433), 1_500);
                } catch (IOException e) {
                    // the SYNs are dropped: the connect times out
                }
                result = capture.stop();
            }

            CapturedTraffic traffic = CapturedTraffic.read(result.file());
            List<Drop> ebpf = traffic.drops().stream().filter(d -> d.source() == EvidenceSource.KERNEL)
                    .filter(d -> d.recordedBy().orElse("").equals("eBPF"))
                    .filter(d -> d.flow().map(f -> f.destination().port() == 5433).orElse(false)).toList();
            assertThat(ebpf).as("eBPF drops to 5433 in %s", traffic.drops()).singleElement().satisfies(d -> {
                assertThat(d.namespace()).contains("container " + db.name());
                assertThat(d.hook()).contains("INPUT");
                assertThat(d.confidence()).contains(Confidence.OBSERVED);
            });
            Verdict v = traffic.verdictsTo(5433).get(0);
            assertThat(v.fate()).as(v.toString()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
            assertThat(v.sentence()).contains("in the network namespace of container " + db.name() + " (INPUT)");
        }
        assertThat(DockerLab.containersOfThisProcess()).isEmpty();
    }
}
