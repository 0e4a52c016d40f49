package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.CaptureException;

import io.github.pcapunit.core.capture.CaptureSpec;
import java.util.List;

/**
 * Something that observes alongside a capture (the kernel evidence recorder) and contributes
 * journal entries to its pcapng. The engine starts a sidecar after the capture handles are open
 * and stops it before converting, merging its entries into the file in timestamp order.
 *
 * <p>Lifecycle: {@link #start(CaptureSpec)} once; {@link #collect()} any number of times (shared
 * captures call it when a slice is finalized); {@link #stop()} once; {@link #close()} always,
 * also after a failed start. Implementations are registered with {@link CaptureSidecars}.
 */
public interface CaptureSidecar extends AutoCloseable {

    /** Creates a sidecar for a capture, or returns {@code null} when it has nothing to do for it. */
    interface Factory {
        /**
         * A new, unstarted sidecar for {@code spec}, or {@code null} (e.g. kernel evidence OFF).
         * Must not have side effects; {@link CaptureSidecar#start(CaptureSpec)} has them.
         */
        CaptureSidecar create(CaptureSpec spec);
    }

    /**
     * Starts observing. Throws a {@code CaptureException} when it cannot and the spec requires it
     * (e.g. {@code KernelEvidence.REQUIRED}); otherwise it should degrade and say so in
     * {@link #status()}.
     */
    void start(CaptureSpec spec);

    /** Entries recorded since the last {@code collect()} (or start); never blocks for long. */
    List<JournalFields> collect();

    /** Stops observing; returns the entries not yet collected. */
    List<JournalFields> stop();

    /** One sentence for {@code CaptureResult.kernelEvidenceStatus()}, e.g. "kernel evidence recorded (tracefs)". */
    String status();

    /** Releases everything (tracing instances, threads); idempotent, never throws. */
    @Override
    void close();
}
