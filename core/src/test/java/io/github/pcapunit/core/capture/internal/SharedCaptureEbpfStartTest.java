package io.github.pcapunit.core.capture.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.EbpfEvidence;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Confidence;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.EvidenceStatus.Source;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.internal.kernel.BpfRecorder;
import io.github.pcapunit.core.capture.internal.kernel.BpfSidecar;
import io.github.pcapunit.core.capture.internal.kernel.KernelRecorder;
import io.github.pcapunit.core.capture.spi.CaptureSlice;
import io.github.pcapunit.core.capture.spi.SharedCapture;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.Leftovers;
import io.github.pcapunit.testing.NetLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shared capture (a JUnit run's, once per run) waits, bounded, for the JVM's bpftrace before it
 * starts, so its first slice is covered by eBPF from its first packet; turned off, it waits for
 * nothing; a bpftrace that never attaches delays it by the bound only. Namespaces a 10.200.117.10
 * and b 10.200.117.20, a's output drops UDP to port 7317.
 */
class SharedCaptureEbpfStartTest {

    private static final int PORT = 7317;

    @TempDir
    Path dir;

    private NetLab lab;
    private Host a;

    @BeforeAll
    static void requireRootAndTracefs() {
        NetLab.assumeAvailable();
        assumeThat(KernelRecorder.unavailableReason()).as("kernel evidence").isEmpty();
    }

    @BeforeEach
    void namespacesWithADropRule() {
        // no bpftrace of an earlier test: this one starts cold, as the first capture of a run does
        BpfRecorder.closeIdle();
        lab = NetLab.create();
        a = lab.host("a", "10.200.117.10");
        Host b = lab.host("b", "10.200.117.20");
        lab.link(a, b);
        a.firewall().dropOutput("udp dport " + PORT);
    }

    @AfterEach
    void nothingOfThisTestLeft() {
        System.clearProperty(BpfRecorder.PROPERTY);
        try {
            if (lab != null) {
                lab.close();
            }
        } finally {
            BpfRecorder.closeIdle();
        }
        assertThat(processesNamed("bpftrace")).as("bpftrace of this JVM once no capture holds it").isEmpty();
        assertThat(processesNamed("sleep")).as("the stand-in bpftrace (exec sleep)").isEmpty();
    }

    @AfterAll
    static void nothingLeftBehind() {
        assertThat(Leftovers.ofThisProcess()).isEmpty();
    }

    @Test
    void coldStart_firstSliceIsRecordedByEbpfFromItsStart_andADropRightAfterIsObserved() {
        EbpfEvidence.assumeAvailable();
        assertThat(processesNamed("bpftrace")).as("no bpftrace before the shared capture").isEmpty();

        CaptureResult result;
        long t0 = System.nanoTime();
        try (SharedCapture shared = SharedCapture.start(spec("cold"))) {
            long startMillis = (System.nanoTime() - t0) / 1_000_000;
            // for the record (the benchmark is BENCHMARKS.md's), not asserted
            System.out.println("SharedCapture.start() with a cold bpftrace: " + startMillis + " ms");
            CaptureSlice slice = shared.slice("first", dir.resolve("first.pcapng"));
            send(a, "10.200.117.20", PORT);
            result = slice.end(null).join();
        }

        EvidenceStatus.SourceStatus ebpf = result.evidenceStatus().source(Source.EBPF_DROPS);
        assertThat(ebpf.state()).as(ebpf.describe()).isEqualTo(EvidenceStatus.State.RECORDED);
        assertThat(ebpf.scope().orElse("")).as(ebpf.describe()).startsWith("from ")
                .contains("the capture's start: bpftrace was attached already")
                .doesNotContain("ms after start");
        List<Drop> kernel = CapturedTraffic.read(result.file()).drops().stream()
                .filter(d -> d.source() == EvidenceSource.KERNEL).toList();
        assertThat(kernel).as("kernel drops of the first slice").singleElement().satisfies(d -> {
            assertThat(d.recordedBy()).contains("eBPF");
            assertThat(d.confidence()).contains(Confidence.OBSERVED);
            assertThat(d.hook()).contains("OUTPUT");
            assertThat(d.namespace()).contains(a.namespace());
            assertThat(d.reason()).contains("NETFILTER_DROP");
            assertThat(d.flow().orElseThrow().destination().port()).isEqualTo(PORT);
        });
    }

    @Test
    void ebpfTurnedOff_startWaitsForNothingAndStartsNoBpftrace() {
        System.setProperty(BpfRecorder.PROPERTY, "");
        CaptureSpec spec = spec("off");

        assertThat(SharedCapture.prepareKernelEvidence(spec)).as("milliseconds waited; -1: not waited").isEqualTo(-1);
        SharedSession session = SharedSession.start(spec);
        CaptureResult result;
        try {
            assertThat(session.attachWaitMillis()).as("start() waited for bpftrace").isEqualTo(-1);
            assertThat(processesNamed("bpftrace")).isEmpty();
            SliceHandle slice = session.slice("off", dir.resolve("off.pcapng"));
            send(a, "10.200.117.20", PORT);
            result = slice.end(null).join();
        } finally {
            session.close();
        }
        EvidenceStatus.SourceStatus ebpf = result.evidenceStatus().source(Source.EBPF_DROPS);
        assertThat(ebpf.state()).isEqualTo(EvidenceStatus.State.UNAVAILABLE);
        assertThat(ebpf.describe()).contains("eBPF turned off");
        // the drop is still there, from tracefs (which records the whole machine without addresses:
        // another process's UDP NO_SOCKET drops may be there too, so only netfilter's are counted)
        assertThat(CapturedTraffic.read(result.file()).drops().stream()
                .filter(d -> d.source() == EvidenceSource.KERNEL)
                .filter(d -> d.reason().orElse("").contains("NETFILTER_DROP"))).singleElement()
                .satisfies(d -> assertThat(d.confidence()).contains(Confidence.INFERRED));
    }

    @Test
    void bpftraceThatNeverAttaches_startGoesOnAfterTheBound_andTheStatusSaysSo() throws Exception {
        Path fake = dir.resolve("never-attaches");
        Files.writeString(fake, "#!/bin/sh\nexec sleep 30\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        System.setProperty(BpfRecorder.PROPERTY, fake.toString());
        assumeThat(BpfRecorder.unavailableReason(BpfRecorder.binary(), Path.of("/sys/kernel/btf/vmlinux")))
                .as("kernel BTF (checked before bpftrace is started)").isEmpty();

        SharedSession session = SharedSession.start(spec("late"));
        CaptureResult result;
        try {
            // the wait ends at its deadline only: never shorter than the bound
            assertThat(session.attachWaitMillis()).isGreaterThanOrEqualTo(BpfSidecar.ATTACH_WAIT_MILLIS);
            assertThat(session.isRunning()).isTrue();
            SliceHandle slice = session.slice("late", dir.resolve("late.pcapng"));
            send(a, "10.200.117.20", PORT);
            result = slice.end(null).join();
        } finally {
            session.close();
        }
        EvidenceStatus.SourceStatus ebpf = result.evidenceStatus().source(Source.EBPF_DROPS);
        assertThat(ebpf.describe()).contains("attaching");
        assertThat(result.evidenceStatus().source(Source.KERNEL_TRACE).state()).isEqualTo(EvidenceStatus.State.RECORDED);
    }

    private CaptureSpec spec(String name) {
        return CaptureSpec.builder().point(CapturePoint.namespace(a.namespace()).named("a"))
                .output(dir.resolve(name + "-shared")).kernelEvidence(KernelEvidence.AUTO).build();
    }

    private static void send(Host from, String address, int port) {
        from.run("python3", "-c", "import socket\ns=socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                + "try:\n  s.sendto(b'x', ('" + address + "', " + port + "))\nexcept OSError:\n  pass\n");
    }

    private static List<ProcessHandle> processesNamed(String name) {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith(name)).orElse(false)).toList();
    }
}
