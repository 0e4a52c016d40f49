package io.github.pcapunit.core.capture.internal;

import static io.github.pcapunit.core.capture.internal.InsideNamespace.jvmDescriptorLinks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.EbpfEvidence;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.internal.kernel.BpfRecorder;
import io.github.pcapunit.core.capture.internal.kernel.KernelRecorder;
import io.github.pcapunit.core.capture.internal.netns.PinnedNamespace;
import io.github.pcapunit.testing.Host;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture of {@code lo} started by a thread that joined a test namespace (as
 * {@code NetnsThreads.call(ns, () -> Capture.start(spec))} does) is of that namespace's loopback:
 * its eBPF drop records are that namespace's (the shared bpftrace watches the starting thread's
 * namespace, not the JVM's), and once the capture is stopped and closed the JVM holds no
 * descriptor of the namespace, so {@code ip netns del} frees it at once (not at the next GC).
 */
@ExtendWith(LabCaptures.class)
class ThreadNamespaceLoopbackTest {

    private static final int DATAGRAMS = 20;

    @TempDir
    Path dir;

    @AfterEach
    void closeIdleRecorder() {
        BpfRecorder.closeIdle();
    }

    @Test
    void loStartedInsideANamespace_listsThatNamespacesLoopbackDrops() throws Exception {
        assumeThat(KernelRecorder.unavailableReason()).as("kernel evidence").isEmpty();
        EbpfEvidence.assumeAvailable();
        try (InsideNamespace inside = InsideNamespace.create(lab -> lab.host("lons", "10.200.148.10"))) {
            CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp port 9")
                    .kernelEvidence(KernelEvidence.REQUIRED).output(dir.resolve("lo.pcapng")).build();
            CaptureResult result = inside.capture(spec, capture -> {   // stopped from the JVM's namespace
                EbpfEvidence.awaitAttached(capture);
                flood(inside.host());
            });
            EvidenceStatus.SourceStatus ebpf = result.evidenceStatus().source(EvidenceStatus.Source.EBPF_DROPS);
            assertThat(ebpf.state()).as(ebpf.describe()).isEqualTo(EvidenceStatus.State.RECORDED);
            List<Drop> port9 = CapturedTraffic.read(result.file()).drops().stream()
                    .filter(d -> d.source() == EvidenceSource.KERNEL && d.recordedBy().orElse("").contains("eBPF"))
                    .filter(d -> d.flow().map(f -> f.destination().port() == 9).orElse(false)).toList();
            assertThat(port9).as("eBPF records of the namespace's loopback drops (%s)", ebpf.describe()).isNotEmpty();
            assertThat(port9.stream().mapToInt(d -> d.times().size()).sum()).as("drops counted")
                    .isGreaterThanOrEqualTo(DATAGRAMS);
        }
    }

    @Test
    void loStartedInsideANamespace_closed_holdsNoDescriptorOfIt() throws Exception {
        try (InsideNamespace inside = InsideNamespace.create(lab -> lab.host("lofd", "10.200.149.10"))) {
            String link = inside.nsfsLink();
            assertThat(jvmDescriptorLinks()).as("before the capture").doesNotContain(link);
            CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp port 9")
                    .kernelEvidence(KernelEvidence.OFF).output(dir.resolve("fd.pcapng")).build();
            inside.capture(spec, capture -> assertThat(jvmDescriptorLinks()).as("held while the capture runs")
                    .contains(link));
            HandlePool.closeAll();
            assertThat(jvmDescriptorLinks()).as("after close, without a GC").doesNotContain(link);
        }
    }

    @Test
    void sharedLoStartedInsideANamespace_closed_holdsNoDescriptorOfIt() throws Exception {
        try (InsideNamespace inside = InsideNamespace.create(lab -> lab.host("loshfd", "10.200.150.10"))) {
            String link = inside.nsfsLink();
            CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp port 9")
                    .kernelEvidence(KernelEvidence.OFF).build();
            SharedSession shared = inside.call(() -> SharedSession.start(spec));
            try {
                shared.slice("one", dir.resolve("one.pcapng")).end(null).join();
                assertThat(jvmDescriptorLinks()).as("held while the shared capture runs").contains(link);
            } finally {
                shared.close();
            }
            HandlePool.closeAll();
            assertThat(jvmDescriptorLinks()).as("after close, without a GC").doesNotContain(link);
        }
    }

    @Test
    void theJvmsOwnPinnedNamespace_isNeverClosed() {
        PinnedNamespace jvm = PinnedNamespace.jvm();
        jvm.close();
        assertThat(jvm.isClosed()).isFalse();
        assertThat(PinnedNamespace.jvm()).isSameAs(jvm);
        assertThat(jvm.call(() -> InterfaceIndexes.nameOf(1))).as("ifindex 1 in the JVM's namespace").isEqualTo("lo");
    }

    /** {@value #DATAGRAMS} UDP datagrams to 127.0.0.1:9 (closed) in {@code host}'s namespace: NO_SOCKET drops. */
    private static void flood(Host host) throws Exception {
        String script = "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                + "for i in range(" + DATAGRAMS + "):\n  s.sendto(b'x',('127.0.0.1',9))\n";
        Process p = new ProcessBuilder("ip", "netns", "exec", host.namespace(), "python3", "-c", script)
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }
}
