package io.github.pcapunit.core.capture.internal.kernel;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.internal.CaptureSidecar;
import io.github.pcapunit.core.capture.internal.JournalFields;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a {@link KernelRecorder} alongside a capture and hands its events to the engine as journal
 * entries. {@link KernelEvidence#AUTO} degrades to a one-sentence status when the machine does not
 * allow tracing; {@link KernelEvidence#REQUIRED} refuses to start instead.
 */
public final class KernelSidecar implements CaptureSidecar {

    /** Registered through META-INF/services; creates nothing for {@link KernelEvidence#OFF}. */
    public static final class Factory implements CaptureSidecar.Factory {
        @Override
        public CaptureSidecar create(CaptureSpec spec) {
            return spec.kernelEvidence() == KernelEvidence.OFF ? null : new KernelSidecar(spec.kernelEvidence());
        }
    }

    private final KernelEvidence mode;
    private KernelRecorder recorder;
    private int emitted;
    private int dropRecords;
    private String status = "kernel evidence not started";

    KernelSidecar(KernelEvidence mode) {
        this.mode = mode;
    }

    @Override
    public synchronized void start(CaptureSpec spec) {
        Optional<String> unavailable = KernelRecorder.unavailableReason();
        if (unavailable.isPresent()) {
            status = unavailable.get();
            if (mode == KernelEvidence.REQUIRED) {
                throw new CaptureException(status + "; kernelEvidence is REQUIRED — run as root, or use "
                        + "KernelEvidence.AUTO to capture packets without it");
            }
            return;
        }
        try {
            recorder = KernelRecorder.start();
            // Starts like the final status: a slice cut while capturing (a JUnit test's file, a live
            // view) has kernel evidence, it is not "missing".
            status = "kernel evidence recorded while capturing (tracefs instance "
                    + recorder.instance().getFileName() + ")";
        } catch (CaptureException e) {
            status = e.getMessage();
            if (mode == KernelEvidence.REQUIRED) {
                throw new CaptureException(status + "; kernelEvidence is REQUIRED", e);
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
        List<JournalFields> rest = entries(events);
        status = "kernel evidence recorded (tracefs): " + events.size() + " events, " + dropRecords
                + " drop records" + (recorder.overflow() > 0 ? ", " + recorder.overflow() + " events over the limit not kept" : "");
        return rest;
    }

    @Override
    public synchronized String status() {
        return status;
    }

    @Override
    public synchronized void close() {
        if (recorder != null) {
            recorder.close();
        }
    }

    /** Entries for the events not handed out yet; kfree_skb entries carry their correlated record. */
    private List<JournalFields> entries(List<KernelEvent> events) {
        List<KernelDrops.Attributed> attributed = KernelDrops.attribute(events);
        dropRecords = KernelDrops.distinct(attributed).size();
        Map<KernelEvent, KernelDrop> dropOf = new IdentityHashMap<>();
        attributed.forEach(a -> dropOf.put(a.event(), a.drop()));
        List<JournalFields> out = new ArrayList<>();
        for (int i = emitted; i < events.size(); i++) {
            KernelEvent event = events.get(i);
            out.add(new JournalFields(event.time(), KernelJournal.fields(event, dropOf.get(event))));
        }
        emitted = events.size();
        return out;
    }
}
