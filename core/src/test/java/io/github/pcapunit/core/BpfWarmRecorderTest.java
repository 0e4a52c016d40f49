package io.github.pcapunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Confidence;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.EvidenceStatus.Source;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.internal.kernel.BpfRecorder;
import io.github.pcapunit.core.capture.internal.kernel.KernelRecorder;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.Leftovers;
import io.github.pcapunit.testing.NetLab;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bpftrace per JVM, kept across captures: a capture started after another finds it attached,
 * so its very first dropped packet has an observed eBPF record and its status says it recorded
 * from the capture's start; each capture gets only its own namespaces' drops (filtered in Java,
 * since the shared program no longer filters by namespace in the kernel); an unused bpftrace ends
 * after the idle time. Namespaces a (10.200.77.10) — b (10.200.77.20); a drops UDP to port 7301
 * on OUTPUT, b drops UDP to port 7302 on OUTPUT.
 */
class BpfWarmRecorderTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void requireEbpf() {
        NetLab.assumeAvailable();
        assumeThat(KernelRecorder.unavailableReason()).as("kernel evidence").isEmpty();
        EbpfEvidence.assumeAvailable();
    }

    @AfterEach
    void noBpftraceLeft() {
        System.clearProperty(BpfRecorder.IDLE_PROPERTY);
        BpfRecorder.closeIdle();
        assertThat(bpftraceChildren()).as("bpftrace of this JVM once no capture holds it").isEmpty();
    }

    @AfterAll
    static void nothingLeftBehind() {
        assertThat(Leftovers.ofThisProcess()).isEmpty();
    }

    @Test
    void secondCapture_findsBpftraceAttached_itsFirstDropIsObserved_andOnlyItsNamespaceIsRecorded() throws Exception {
        try (NetLab lab = NetLab.create()) {
            Host a = lab.host("a", "10.200.77.10");
            Host b = lab.host("b", "10.200.77.20");
            lab.link(a, b);
            a.firewall().dropOutput("udp dport 7301");
            b.firewall().dropOutput("udp dport 7302");

            // GIVEN a first capture in b that waited for bpftrace
            long pid;
            try (Capture first = Capture.start(spec(b, "first"))) {
                EbpfEvidence.awaitAttached(first);
                pid = bpftraceChildren().get(0).pid();
                first.stop();
            }
            // WHEN a second capture in a drops a packet right after its start
            CaptureResult result;
            EvidenceStatus.SourceStatus atStart;
            try (Capture second = Capture.start(spec(a, "second"))) {
                atStart = second.snapshot().evidenceStatus().source(Source.EBPF_DROPS);
                send(a, "10.200.77.20", 7301);
                send(b, "10.200.77.10", 7302); // b's drop: not this capture's namespace
                result = second.stop();
            }

            // THEN the same bpftrace recorded it, observed, from the capture's start
            assertThat(bpftraceChildren()).extracting(ProcessHandle::pid).containsExactly(pid);
            assertThat(atStart.scope().orElse("")).as(atStart.describe()).startsWith("from ")
                    .contains("attached already");
            EvidenceStatus.SourceStatus ebpf = result.evidenceStatus().source(Source.EBPF_DROPS);
            assertThat(ebpf.state()).isEqualTo(EvidenceStatus.State.RECORDED);
            assertThat(ebpf.scope().orElse("")).as(ebpf.describe()).contains("kept across captures");
            List<Drop> kernel = CapturedTraffic.read(result.file()).drops().stream()
                    .filter(d -> d.source() == EvidenceSource.KERNEL).toList();
            assertThat(kernel).as("kernel drops").singleElement().satisfies(d -> {
                assertThat(d.recordedBy()).contains("eBPF");
                assertThat(d.confidence()).contains(Confidence.OBSERVED);
                assertThat(d.hook()).contains("OUTPUT");
                assertThat(d.namespace()).contains(a.namespace());
                assertThat(d.flow().orElseThrow().destination().port()).isEqualTo(7301);
            });
        }
    }

    @Test
    void unusedBpftrace_endsAfterTheIdleTime() throws Exception {
        System.setProperty(BpfRecorder.IDLE_PROPERTY, "300");
        try (NetLab lab = NetLab.create()) {
            Host a = lab.host("a", "10.200.77.10");
            ProcessHandle bpftrace;
            try (Capture capture = Capture.start(spec(a, "idle"))) {
                EbpfEvidence.awaitAttached(capture);
                bpftrace = bpftraceChildren().get(0);
                capture.stop();
            }
            assertThat(bpftrace.onExit().completeOnTimeout(null, 10, TimeUnit.SECONDS).get())
                    .as("bpftrace %d 10 s after the last capture, idle time 300 ms", bpftrace.pid()).isNotNull();
        }
    }

    @Test
    void warmUp_beforeTheFirstCapture_coversItFromItsStart() throws Exception {
        BpfRecorder.closeIdle();
        io.github.pcapunit.core.capture.internal.kernel.BpfSidecar.warmUp();
        assertThat(bpftraceChildren()).as("bpftrace started by warmUp(), before any capture").hasSize(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (NetLab lab = NetLab.create()) {
            Host a = lab.host("a", "10.200.77.10");
            // the lab's setup takes longer than bpftrace's attach on a quiet machine; wait for it anyway
            while (true) {
                try (Capture probe = Capture.start(spec(a, "probe"))) {
                    EvidenceStatus.SourceStatus s = probe.snapshot().evidenceStatus().source(Source.EBPF_DROPS);
                    probe.stop();
                    if (s.scope().orElse("").contains("attached already")) {
                        break;
                    }
                }
                assertThat(System.nanoTime()).as("bpftrace attached within 60 s of warmUp()").isLessThan(deadline);
                Thread.sleep(200);
            }
            assertThat(bpftraceChildren()).as("one bpftrace, started by warmUp()").hasSize(1);
        }
    }

    private CaptureSpec spec(Host host, String name) {
        return CaptureSpec.builder().point(CapturePoint.namespace(host.namespace()).named(host.role()))
                .output(dir.resolve(name + ".pcapng")).kernelEvidence(KernelEvidence.REQUIRED).build();
    }

    private static void send(Host from, String address, int port) {
        from.run("python3", "-c", "import socket\ns=socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                + "try:\n  s.sendto(b'x', ('" + address + "', " + port + "))\nexcept OSError:\n  pass\n");
    }

    private static List<ProcessHandle> bpftraceChildren() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("bpftrace")).orElse(false)).toList();
    }
}
