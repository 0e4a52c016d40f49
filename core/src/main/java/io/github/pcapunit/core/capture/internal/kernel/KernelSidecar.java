package io.github.pcapunit.core.capture.internal.kernel;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus.Source;
import io.github.pcapunit.core.capture.EvidenceStatus.SourceStatus;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.internal.CaptureSidecar;
import io.github.pcapunit.core.capture.internal.JournalFields;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs a {@link KernelRecorder} alongside a capture and hands its events to the engine as journal
 * entries. With {@link KernelEvidence#AUTO} a machine that does not allow tracing, or a recorder
 * that fails, becomes a status ({@code UNAVAILABLE} or {@code FAILED}, with the cause);
 * {@link KernelEvidence#REQUIRED} refuses to start instead. Anything but a
 * {@link CaptureException} from the recorder is a bug and propagates.
 *
 * <p>{@link #start} sets the tracefs instance up in place (30-130 ms measured) on purpose: set up
 * in the background, a capture's first packets went unrecorded, among them the SYN of the
 * {@code connect()} that ties a drop to its process (seen in BothEntryPointsIT).
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

    private final KernelEvidence mode;
    private final Supplier<Optional<String>> unavailable;
    private final Supplier<KernelRecorder> starter;
    private KernelRecorder recorder;
    /** The eBPF drop recorder whose time span replaces tracefs's kfree_skb events, or null. */
    private final BpfSidecar ebpf;
    /** Events handed out as entries, or left out because eBPF recorded their drop. */
    private final java.util.Set<KernelEvent> emitted = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean stopped;
    /** The capture filter applied to events with addresses (TCP state changes, resets, retransmissions). */
    private RecordFilter records = RecordFilter.keepAll("");
    /** Events and counted events with addresses that the capture filter does not match: not listed. */
    private long outsideFilter;
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
        try {
            recorder = starter.get();
            records = RecordFilter.forFilter(spec.filter());
            status = SourceStatus.recorded(Source.KERNEL_TRACE);
        } catch (CaptureException e) {
            status = SourceStatus.failed(Source.KERNEL_TRACE, e.getMessage());
            if (mode == KernelEvidence.REQUIRED) {
                throw new CaptureException("kernel evidence failed: " + e.getMessage() + "; kernelEvidence is REQUIRED",
                        e);
            }
        }
    }

    @Override
    public synchronized List<JournalFields> collect() {
        return recorder == null ? List.of() : entries(recorder.events());
    }

    @Override
    public synchronized List<JournalFields> stop() {
        if (recorder == null) {
            return List.of();
        }
        List<KernelEvent> events = recorder.stop();
        stopped = true;
        List<JournalFields> rest = entries(events);
        for (KernelSummary summary : recorder.summaries()) {
            if (summary.example().name().equals(KernelJournal.KFREE_SKB) && ebpf != null
                    && Boolean.TRUE.equals(ebpf.covers(summary.first()))
                    && Boolean.TRUE.equals(ebpf.covers(summary.last()))) {
                continue; // eBPF recorded (or counted) these drops with their headers
            }
            if (outside(summary.example())) {
                outsideFilter += summary.count();
                continue;
            }
            rest.add(new JournalFields(summary.first(), KernelJournal.fields(summary)));
        }
        java.time.Instant now = java.time.Instant.now();
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
            if (records.narrows()) {
                status = status.withScope("narrowed to the capture filter (" + records.text() + "): " + outsideFilter
                        + " event" + (outsideFilter == 1 ? "" : "s") + " with addresses outside the filter not listed;"
                        + " kfree_skb events carry no addresses and are listed unfiltered");
            } else if (records.notNarrowed().isPresent()) {
                status = status.withScope("not narrowed to the capture filter: " + records.notNarrowed().get());
            }
        }
        records.close();
        return rest;
    }

    @Override
    public synchronized SourceStatus status() {
        if (recorder != null && status.recorded() && recorder.failure().isPresent()) {
            return SourceStatus.failed(Source.KERNEL_TRACE, recorder.failure().get());
        }
        return status;
    }

    /** Removes the tracefs instance and detaches the eBPF sidecar from the JVM's bpftrace. */
    @Override
    public synchronized void close() {
        try {
            records.close();
            if (recorder != null) {
                recorder.close();
            }
        } finally {
            if (ebpf != null) {
                ebpf.close();
            }
        }
    }

    /** Whether the capture filter says {@code e} (an event with addresses) is not one of the capture's packets. */
    private boolean outside(KernelEvent e) {
        return records.matches(e) == RecordFilter.Match.NO_MATCH;
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
            if (!emitted.contains(event) && outside(event)) {
                // after attribution: a connect outside the filter may still name the process of a drop
                emitted.add(event);
                outsideFilter++;
                continue;
            }
            if (emitted.add(event)) {
                out.add(new JournalFields(event.time(), KernelJournal.fields(event, dropOf.get(event))));
            }
        }
        return out;
    }
}
