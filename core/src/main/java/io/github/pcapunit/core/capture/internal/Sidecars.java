package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.internal.kernel.BpfSidecar;
import io.github.pcapunit.core.capture.internal.kernel.ExplainSidecar;
import io.github.pcapunit.core.capture.internal.kernel.KernelSidecar;
import java.util.ArrayList;
import java.util.List;

/**
 * The sidecars a spec asks for, wired here and nowhere else: unless {@link KernelEvidence#OFF}
 * the eBPF drop recorder and the tracefs kernel trace recorder (which keeps its drop records for
 * the time eBPF did not record), firewall explain mode when {@link CaptureSpec#explainFirewall()} is
 * set.
 *
 * <pre>{@code
 * List<CaptureSidecar> sidecars = Sidecars.of(spec);   // unstarted
 * }</pre>
 */
public final class Sidecars {

    private Sidecars() {
    }

    /** New, unstarted sidecars for {@code spec}; creating them has no side effect. */
    public static List<CaptureSidecar> of(CaptureSpec spec) {
        List<CaptureSidecar> sidecars = new ArrayList<>();
        if (spec.kernelEvidence() != KernelEvidence.OFF) {
            // eBPF first: stopped first, its time span is final when the tracefs sidecar leaves out
            // the kfree_skb events it recorded
            BpfSidecar ebpf = new BpfSidecar();
            sidecars.add(ebpf);
            sidecars.add(new KernelSidecar(spec.kernelEvidence(), ebpf));
        }
        if (spec.explainFirewall().isPresent()) {
            sidecars.add(new ExplainSidecar());
        }
        return sidecars;
    }
}
