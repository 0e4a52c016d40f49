package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus.Source;
import io.github.pcapunit.core.capture.EvidenceStatus.SourceStatus;
import io.github.pcapunit.core.capture.EvidenceStatus.State;
import io.github.pcapunit.core.capture.KernelEvidence;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A kernel trace that cannot record is a status with its cause (AUTO) or a refusal (REQUIRED); a bug is never one. */
class KernelSidecarTest {

    private static final CaptureSpec SPEC = CaptureSpec.builder().interfaces("lo").build();

    @Test
    void unavailableMachine_auto_isUnavailableWithTheReason() {
        KernelSidecar sidecar = new KernelSidecar(KernelEvidence.AUTO, () -> Optional.of("tracefs is not mounted"),
                () -> {
                    throw new AssertionError("not started when unavailable");
                });
        sidecar.start(SPEC);

        assertThat(sidecar.status()).isEqualTo(SourceStatus.unavailable(Source.KERNEL_TRACE, "tracefs is not mounted"));
        assertThat(sidecar.stop()).isEmpty();
        sidecar.close();
    }

    @Test
    void unavailableMachine_required_refusesWithTheReasonAndTheFix() {
        KernelSidecar sidecar = new KernelSidecar(KernelEvidence.REQUIRED, () -> Optional.of("tracefs is not mounted"),
                () -> null);

        assertThatThrownBy(() -> sidecar.start(SPEC)).isInstanceOf(CaptureException.class)
                .hasMessage("kernel evidence unavailable: tracefs is not mounted; kernelEvidence is REQUIRED — run as"
                        + " root, or use KernelEvidence.AUTO to capture packets without it");
    }

    @Test
    void recorderFailsToStart_auto_isFailedWithTheCause() {
        KernelSidecar sidecar = new KernelSidecar(KernelEvidence.AUTO, Optional::empty, () -> {
            throw new CaptureException("cannot create tracefs instance /sys/kernel/tracing/instances/p-1-1: busy");
        });
        sidecar.start(SPEC);

        assertThat(sidecar.status().state()).isEqualTo(State.FAILED);
        assertThat(sidecar.status().cause())
                .contains("cannot create tracefs instance /sys/kernel/tracing/instances/p-1-1: busy");
    }

    @Test
    void recorderFailsToStart_required_isThrownWithTheCause() {
        CaptureException cause = new CaptureException("cannot set up tracefs instance x: EIO");
        KernelSidecar sidecar = new KernelSidecar(KernelEvidence.REQUIRED, Optional::empty, () -> {
            throw cause;
        });

        assertThatThrownBy(() -> sidecar.start(SPEC)).isInstanceOf(CaptureException.class).hasCause(cause)
                .hasMessageContaining("kernel evidence failed: cannot set up tracefs instance x: EIO");
    }

    @Test
    void programmingError_isNotTurnedIntoAStatus() {
        KernelSidecar sidecar = new KernelSidecar(KernelEvidence.AUTO, Optional::empty, () -> {
            throw new NullPointerException("bug");
        });

        assertThatThrownBy(() -> sidecar.start(SPEC)).isInstanceOf(NullPointerException.class).hasMessage("bug");
    }
}
