package io.github.pcapunit.core.capture;

/**
 * Whether a capture also records the kernel's own account of what happened to packets (drops by
 * the firewall, TCP retransmissions and resets, socket state changes) into the pcapng's journal
 * blocks, next to the packets.
 *
 * <pre>{@code
 * CaptureSpec spec = CaptureSpec.builder()
 *         .kernelEvidence(KernelEvidence.REQUIRED)
 *         .build();
 * }</pre>
 */
public enum KernelEvidence {
    /** Record kernel evidence where this machine allows it; otherwise capture packets only. */
    AUTO,
    /** Record kernel evidence, and refuse to start the capture when it cannot be recorded. */
    REQUIRED,
    /** Capture packets only. */
    OFF
}
