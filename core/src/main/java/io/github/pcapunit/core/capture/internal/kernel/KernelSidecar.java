package io.github.pcapunit.core.capture.internal.kernel;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus.Source;
import io.github.pcapunit.core.capture.EvidenceStatus.SourceStatus;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.internal.CaptureSidecar;
import io.github.pcapunit.core.capture.internal.JournalFields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs a {@link KernelRecorder} alongside a capture and hands its events to the engine as journal
 * entries. With {@link KernelEvidence#AUTO} a machine that does not allow tracing, or a recorder
 * that fails, becomes a status ({@code UNAVAILABLE} or {@code FAILED}, with the cause);
 * {@link KernelEvidence#REQUIRED} refuses to start instead. Anything but a
 * {@link CaptureException} from the recorder is a bug and propagates.
 *
 * <p>With {@code AUTO} the tracefs instance is set up on a thread of its own
 * ("pcapunit-kernel-trace-start", 30-130 ms measured), so the capture's start does not wait for
 * it: the status says "starting", then from when it recorded; {@link #stop()} waits for the
 * setup to end (so its events, or its failure, are in the result) and {@link #close()} removes
 * an instance whose setup was still running. {@code REQUIRED} sets it up in place, so a failure
 * is thrown by start.
 *
 * <pre>{@code
 * CaptureSidecar kernel = new KernelSidecar(KernelEvidence.AUTO);
 * kernel.start(spec);
 * ... traffic ...
 * List<JournalFields> entries = kernel.stop();
 * kernel.status();   // RECORDED, 41 events
 * }</pre>
 */
public final class KernelSidecar implements CaptureSidecar {

    /** How long stop() waits for an asynchronous start to finish. */
    static final long START_WAIT_SECONDS = 10;
    private static final String STARTING = "starting (the tracefs instance is being set up off the capture's start)";

    private final KernelEvidence mode;
    private final Supplier<Optional<String>> unavailable;
    private final Supplier<KernelRecorder> starter;
    private KernelRecorder recorder;
    /** With {@link KernelEvidence#AUTO}: the recorder being set up off the caller's path, until taken. */
    private CompletableFuture<KernelRecorder> starting;
    /** System.nanoTime() of {@link #start}, and when the instance started recording (async start). */
    private long startNanos;
    private Instant recordingFrom;
    private long recordingAfterMillis = -1;
    /** The eBPF drop recorder whose time span replaces tracefs's kfree_skb events, or null. */
    private final BpfSidecar ebpf;
    /** Events handed out as entries, or left out because eBPF recorded their drop. */
    private final java.util.Set<KernelEvent> emitted = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean stopped;
    private SourceStatus status = SourceStatus.failed(Source.KERNEL_TRACE, "the kernel trace recorder was not started");

    /** A sidecar for {@code mode} ({@link KernelEvidence#AUTO} or {@link KernelEvidence#REQUIRED}). */
    public KernelSidecar(KernelEvidence mode) {
        this(mode, null);
    }

    /**
     * A sidecar for {@code mode} whose {@code kfree_skb} events are left out while {@code ebpf}
     * records drops (it reads the packets' own headers); {@code ebpf} may be null.
     */
    public KernelSidecar(KernelEvidence mode, BpfSidecar ebpf) {
        this(mode, KernelRecorder::unavailableReason, KernelRecorder::start, ebpf);
    }

    /** For tests: how availability is checked and the recorder started. */
    KernelSidecar(KernelEvidence mode, Supplier<Optional<String>> unavailable, Supplier<KernelRecorder> starter) {
        this(mode, unavailable, starter, null);
    }

    private KernelSidecar(KernelEvidence mode, Supplier<Optional<String>> unavailable, Supplier<KernelRecorder> starter,
            BpfSidecar ebpf) {
        this.ebpf = ebpf;
        if (mode == KernelEvidence.OFF) {
            throw new IllegalArgumentException("a kernel sidecar for KernelEvidence.OFF: create none instead");
        }
        this.mode = mode;
        this.unavailable = unavailable;
        this.starter = starter;
    }

    @Override
    public synchronized void start(CaptureSpec spec) {
        Optional<String> reason = unavailable.get();
        if (reason.isPresent()) {
            status = SourceStatus.unavailable(Source.KERNEL_TRACE, reason.get());
            if (mode == KernelEvidence.REQUIRED) {
                throw new CaptureException("kernel evidence unavailable: " + reason.get()
                        + "; kernelEvidence is REQUIRED — run as root, or use KernelEvidence.AUTO to capture"
                        + " packets without it");
            }
            return;
        }
        if (mode == KernelEvidence.AUTO) {
            // Setting up the tracefs instance takes 30-130 ms (measured): off the capture's start. A
            // failure then is a FAILED status, as in AUTO before; REQUIRED starts in place, so it can throw.
            startNanos = System.nanoTime();
            starting = new CompletableFuture<>();
            CompletableFuture<KernelRecorder> future = starting;
            Thread t = new Thread(() -> {
                try {
                    future.complete(starter.get());
                } catch (Throwable e) {
                    future.completeExceptionally(e);
                }
            }, "pcapunit-kernel-trace-start");
            t.setDaemon(true);
            t.start();
            status = SourceStatus.recorded(Source.KERNEL_TRACE).withScope(STARTING);
            return;
        }
        try {
            recorder = starter.get();
            status = SourceStatus.recorded(Source.KERNEL_TRACE);
        } catch (CaptureException e) {
            status = SourceStatus.failed(Source.KERNEL_TRACE, e.getMessage());
            if (mode == KernelEvidence.REQUIRED) {
                throw new CaptureException("kernel evidence failed: " + e.getMessage() + "; kernelEvidence is REQUIRED",
                        e);
            }
        }
    }

    /**
     * Takes the asynchronously started recorder when it is ready ({@code wait}: waits for it, at
     * most {@link #START_WAIT_SECONDS}); a start that failed becomes the FAILED status.
     */
    private void takeStarted(boolean wait) {
        if (starting == null || (!wait && !starting.isDone())) {
            return;
        }
        CompletableFuture<KernelRecorder> future = starting;
        try {
            recorder = wait ? future.get(START_WAIT_SECONDS, TimeUnit.SECONDS) : future.getNow(null);
            starting = null;
            recordingAfterMillis = (System.nanoTime() - startNanos) / 1_000_000;
            recordingFrom = Instant.now();
            status = SourceStatus.recorded(Source.KERNEL_TRACE).withScope(scope());
        } catch (ExecutionException | CompletionException e) {
            starting = null;
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (!(cause instanceof CaptureException)) {
                throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
            }
            status = SourceStatus.failed(Source.KERNEL_TRACE, cause.getMessage());
        } catch (TimeoutException e) {
            // still starting: close() waits for it, so the instance is removed all the same
            status = SourceStatus.failed(Source.KERNEL_TRACE, "the tracefs instance was not set up within "
                    + START_WAIT_SECONDS + " s of the capture's start");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The recording's scope after an asynchronous start. */
    private String scope() {
        return recordingFrom == null ? "" : "from about " + recordingFrom + " (the tracefs instance was set up "
                + recordingAfterMillis + " ms after the capture's start, off its path)";
    }

    @Override
    public synchronized List<JournalFields> collect() {
        takeStarted(false);
        return recorder == null ? List.of() : entries(recorder.events());
    }

    @Override
    public synchronized List<JournalFields> stop() {
        takeStarted(true);
        if (recorder == null) {
            return List.of();
        }
        List<KernelEvent> events = recorder.stop();
        stopped = true;
        List<JournalFields> rest = entries(events);
        for (KernelRecorder.Summary summary : recorder.summaries()) {
            if (summary.event().equals(KernelJournal.KFREE_SKB) && ebpf != null
                    && Boolean.TRUE.equals(ebpf.covers(summary.first()))
                    && Boolean.TRUE.equals(ebpf.covers(summary.last()))) {
                continue; // eBPF recorded (or counted) these drops with their headers
            }
            rest.add(new JournalFields(summary.first(), KernelJournal.fields(summary)));
        }
        Instant now = Instant.now();
        if (recorder.unread() > 0) {
            rest.add(new JournalFields(now, KernelJournal.unreadFields(recorder.unread(),
                    "left unread in the trace buffer: stop() waits " + KernelRecorder.DRAIN_MILLIS
                            + " ms for the trace reader, which lagged behind the flood")));
        }
        if (recorder.overrun() > 0) {
            rest.add(new JournalFields(now, KernelJournal.unreadFields(recorder.overrun(),
                    "overwritten in the trace buffer before the trace reader could read them")));
        }
        Optional<String> failure = recorder.failure();
        if (failure.isPresent()) {
            status = SourceStatus.failed(Source.KERNEL_TRACE, failure.get() + " (" + events.size()
                    + " events recorded before)");
            if (mode == KernelEvidence.REQUIRED) {
                throw new CaptureException("kernel evidence failed: " + failure.get() + "; kernelEvidence is REQUIRED");
            }
        } else {
            status = SourceStatus.recorded(Source.KERNEL_TRACE).withCounts(events.size(),
                    recorder.overflow() + recorder.unread() + recorder.overrun());
            if (recordingFrom != null) {
                status = status.withScope(scope());
            }
        }
        return rest;
    }

    @Override
    public synchronized SourceStatus status() {
        takeStarted(false);
        if (recorder != null && status.recorded() && recorder.failure().isPresent()) {
            return SourceStatus.failed(Source.KERNEL_TRACE, recorder.failure().get());
        }
        return status;
    }

    /** Removes the tracefs instance and detaches the eBPF sidecar from the JVM's bpftrace. */
    @Override
    public synchronized void close() {
        try {
            if (starting != null) {
                // a start still running: wait for its instance, then remove it
                try {
                    recorder = starting.get(START_WAIT_SECONDS * 2, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    // nothing was set up (start failed), or the start thread removes it on its failure
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                starting = null;
            }
            if (recorder != null) {
                recorder.close();
            }
        } finally {
            if (ebpf != null) {
                ebpf.close();
            }
        }
    }

    /**
     * Entries for the events not handed out yet; kfree_skb entries carry their correlated record.
     * A kfree_skb that eBPF recorded is left out (its record has the packet's own headers); while
     * eBPF is still attaching, kfree_skb events wait for the next call (their fate is not known).
     */
    private List<JournalFields> entries(List<KernelEvent> events) {
        List<KernelEvent> kept = new ArrayList<>(events.size());
        List<KernelEvent> waiting = new ArrayList<>();
        for (KernelEvent e : events) {
            if (e.name().equals(KernelJournal.KFREE_SKB) && ebpf != null) {
                Boolean covered = ebpf.covers(e.time());
                if (covered == null && !stopped) {
                    waiting.add(e);
                    continue;
                }
                if (Boolean.TRUE.equals(covered)) {
                    emitted.add(e);
                    continue;
                }
            }
            kept.add(e);
        }
        List<KernelDrops.Attributed> attributed = KernelDrops.attribute(kept);
        Map<KernelEvent, KernelDrop> dropOf = new IdentityHashMap<>();
        attributed.forEach(a -> dropOf.put(a.event(), a.drop()));
        List<JournalFields> out = new ArrayList<>();
        for (KernelEvent event : kept) {
            if (emitted.add(event)) {
                out.add(new JournalFields(event.time(), KernelJournal.fields(event, dropOf.get(event))));
            }
        }
        return out;
    }
}
