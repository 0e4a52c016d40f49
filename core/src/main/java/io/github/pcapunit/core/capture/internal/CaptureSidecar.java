package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus;
import java.util.List;

/**
 * Something that observes alongside a capture (the kernel trace recorder, firewall explain mode)
 * and contributes journal entries to its pcapng. The engine builds its sidecars from the spec
 * ({@link Sidecars#of(CaptureSpec)}), starts them after the capture handles are open and stops
 * them before converting, merging their entries into the file in timestamp order.
 *
 * <p>Lifecycle: {@link #start(CaptureSpec)} once; {@link #collect()} any number of times (shared
 * captures call it when a slice is written); {@link #stop()} once; {@link #close()} always,
 * also after a failed start.
 */
public interface CaptureSidecar extends AutoCloseable {

    /**
     * Starts observing. Throws a {@code CaptureException} when it cannot and the spec requires it
     * (e.g. {@code KernelEvidence.REQUIRED}); otherwise it degrades and says why in
     * {@link #status()}. Any other exception is a bug and propagates.
     */
    void start(CaptureSpec spec);

    /** Entries recorded since the last {@code collect()} (or start); never blocks for long. */
    List<JournalFields> collect();

    /** Stops observing; returns the entries not yet collected. */
    List<JournalFields> stop();

    /**
     * Whether it records and, if not, why: while running, recorded without counts; after
     * {@link #stop()}, with the counts.
     */
    EvidenceStatus.SourceStatus status();

    /** Releases everything (tracing instances, threads); idempotent, never throws. */
    @Override
    void close();
}
