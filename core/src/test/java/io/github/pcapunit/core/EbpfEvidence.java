package io.github.pcapunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.internal.kernel.BpfRecorder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * For tests of eBPF drop records: skip where they cannot be recorded, and wait until bpftrace has
 * attached (it attaches in the background; drops before that come from tracefs).
 *
 * <pre>{@code
 * EbpfEvidence.assumeAvailable();
 * try (Capture capture = Capture.start(spec)) {
 *     EbpfEvidence.awaitAttached(capture);
 *     ... traffic whose drops eBPF records ...
 * }
 * }</pre>
 */
public final class EbpfEvidence {

    private EbpfEvidence() {
    }

    /** Skips the calling test (JUnit assumption) when there is no bpftrace or no kernel BTF. */
    public static void assumeAvailable() {
        assumeThat(BpfRecorder.unavailableReason(BpfRecorder.binary(), Path.of("/sys/kernel/btf/vmlinux")))
                .as("eBPF drop records (bpftrace, BTF)").isEmpty();
    }

    /**
     * Waits until the capture's eBPF drop records are recorded "from" a time (bpftrace attached),
     * at most 60 s; fails at once when the status is not RECORDED (bpftrace failed or is off).
     */
    public static void awaitAttached(Capture capture) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            EvidenceStatus.SourceStatus s = capture.snapshot().evidenceStatus().source(EvidenceStatus.Source.EBPF_DROPS);
            assertThat(s.state()).as(s.describe()).isEqualTo(EvidenceStatus.State.RECORDED);
            if (s.scope().orElse("").startsWith("from ")) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("bpftrace did not attach within 60 s");
    }
}
