package io.github.pcapunit.core.capture.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureAvailability;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.EvidenceStatus.Source;
import io.github.pcapunit.core.capture.EvidenceStatus.SourceStatus;
import io.github.pcapunit.core.capture.EvidenceStatus.State;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.internal.kernel.KernelRecorder;
import io.github.pcapunit.core.capture.internal.kernel.KernelSidecar;
import io.github.pcapunit.core.check.internal.Contexts;
import io.github.pcapunit.core.pcapng.JournalEntry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine builds its sidecars from the spec, and the evidence status they report is written
 * into the capture file as data: the result and the file read back hold the same value, and a
 * source that failed is stated with its cause.
 */
class EvidenceWiringTest {

    @TempDir
    Path dir;

    @BeforeEach
    void requireCapture() {
        CaptureAvailability a = CaptureAvailability.check();
        Assumptions.assumeTrue(a.isAvailable(), a.reason());
    }

    @Test
    void sidecars_comeFromTheSpec() {
        CaptureSpec base = CaptureSpec.builder().interfaces("lo").build();

        assertThat(Sidecars.of(base.toBuilder().kernelEvidence(KernelEvidence.OFF).build())).isEmpty();
        // eBPF drop records first (stopped first, so the tracefs sidecar knows its final time span)
        assertThat(Sidecars.of(base)).hasSize(2).satisfiesExactly(
                s -> assertThat(s).isInstanceOf(io.github.pcapunit.core.capture.internal.kernel.BpfSidecar.class),
                s -> assertThat(s).isInstanceOf(KernelSidecar.class));
        assertThat(Sidecars.of(base.toBuilder().kernelEvidence(KernelEvidence.OFF).explainFirewall("tcp dport 1433")
                .build())).hasSize(1).noneMatch(s -> s instanceof KernelSidecar);
    }

    @Test
    void kernelEvidenceOff_isStatedAsData_andReadBackEqual() {
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp port 9")
                .kernelEvidence(KernelEvidence.OFF).output(dir.resolve("off.pcapng")).build();
        CaptureResult result;
        try (Capture capture = Capture.start(spec)) {
            result = capture.stop();
        }

        assertThat(result.evidenceStatus()).isEqualTo(EvidenceStatus.builder(KernelEvidence.OFF).build());
        assertThat(CapturedTraffic.read(result.file()).evidenceStatus()).contains(result.evidenceStatus());
        assertThat(result.kernelEvidenceStatus()).isEqualTo("kernel evidence off");
    }

    @Test
    void autoCapture_withTracefs_recordsWithCounts_andTheFileHoldsTheSameValue() {
        Assumptions.assumeTrue(KernelRecorder.unavailableReason().isEmpty(), "tracefs unavailable");
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp port 9")
                .output(dir.resolve("auto.pcapng")).build();
        CaptureResult result;
        try (Capture capture = Capture.start(spec)) {
            result = capture.stop();
        }

        SourceStatus kernel = result.evidenceStatus().source(Source.KERNEL_TRACE);
        assertThat(kernel.state()).isEqualTo(State.RECORDED);
        assertThat(kernel.events()).isPresent();
        assertThat(result.evidenceStatus().mode()).isEqualTo(KernelEvidence.AUTO);
        CapturedTraffic fromFile = CapturedTraffic.read(result.file());
        assertThat(fromFile.evidenceStatus()).contains(result.evidenceStatus());
        assertThat(fromFile.journal()).filteredOn(e -> e.isEvent(EvidenceStatus.JOURNAL_EVENT)).hasSize(1);
        assertThat(Contexts.of(fromFile).kernelEvidence()).isNull();
    }

    @Test
    void failedSource_isStatedWithItsCause_inTheResultAndTheFile() {
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp port 9")
                .kernelEvidence(KernelEvidence.AUTO).output(dir.resolve("failed.pcapng")).build();
        CaptureSession session = CaptureSession.start(spec, List.of(new FailingSidecar()));
        CaptureResult result = session.stop();

        SourceStatus kernel = result.evidenceStatus().source(Source.KERNEL_TRACE);
        assertThat(kernel.state()).isEqualTo(State.FAILED);
        assertThat(kernel.cause()).contains("cannot create tracefs instance /x: Device or resource busy");
        assertThat(result.kernelEvidenceStatus())
                .isEqualTo("kernel evidence failed: cannot create tracefs instance /x: Device or resource busy");
        CapturedTraffic fromFile = CapturedTraffic.read(result.file());
        assertThat(fromFile.evidenceStatus()).contains(result.evidenceStatus());
        assertThat(Contexts.of(fromFile).kernelEvidence())
                .isEqualTo("Kernel evidence failed: cannot create tracefs instance /x: Device or resource busy.");
        assertThat(fromFile.journal()).extracting(JournalEntry::timestamp).first()
                .as("the status is the file's first entry, where no size cap can cut it").isEqualTo(
                        result.start().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }

    /** A kernel source whose start failed the way a busy tracefs fails. */
    private static final class FailingSidecar implements CaptureSidecar {
        private SourceStatus status;

        @Override
        public void start(CaptureSpec spec) {
            status = SourceStatus.failed(Source.KERNEL_TRACE, "cannot create tracefs instance /x: Device or resource busy");
        }

        @Override
        public List<JournalFields> collect() {
            return List.of();
        }

        @Override
        public List<JournalFields> stop() {
            return List.of();
        }

        @Override
        public SourceStatus status() {
            return status;
        }

        @Override
        public void close() {
        }
    }
}
