package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.internal.kernel.BpfSidecar;
import io.github.pcapunit.core.capture.internal.kernel.DropComments;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A shared capture behind {@code SharedCapture}: one {@link Recorder} for many slices. A slice
 * remembers where each native file stood when it started; its end sends the engine's marker
 * ({@link Marker}) and a background writer writes the window once the marker is in the native
 * files (the writer pushes the marker's ring block out with fillers when it is not in at its
 * first look; on interfaces that see no marker: twice the read timeout after the end). A slice nobody keeps
 * is {@linkplain Slice#discard() discarded}: nothing is waited for, read or written.
 */
public final class SharedSession implements ShutdownFinalizer.Finalizable {

    private static final AtomicLong COUNTER = new AtomicLong();
    /** Drops recorded this long before a window may still be of packets inside it. */
    private static final long REORDER_SLACK_NANOS = 200_000_000L;

    private final CaptureSpec spec;
    private final Recorder recorder;
    /** Writes ended slices; lets go of the recorder's namespace ({@link Recorder#close()}) after the last. */
    private final SliceWriter writer;
    private final Set<Slice> open = new LinkedHashSet<>();
    private final List<CompletableFuture<CaptureResult>> pending = new ArrayList<>();
    /** Guarded by {@link #writeLock}. */
    private final List<JournalFields> sidecarEntries = new ArrayList<>();
    /**
     * Serializes writes; not the session's monitor, which {@code slice()} and {@code end()} take,
     * so a test never waits for an earlier test's file.
     */
    private final Object writeLock = new Object();
    /** Milliseconds start() waited for bpftrace to attach; -1: it did not wait (eBPF not used). */
    private final long attachWaitMillis;
    /** The eBPF drop recorder among the recorder's sidecars, or null (evidence off). */
    private final BpfSidecar ebpf;
    private volatile boolean running = true;
    private boolean closed;

    private SharedSession(CaptureSpec spec, Recorder recorder, long attachWaitMillis, BpfSidecar ebpf) {
        this.spec = spec;
        this.recorder = recorder;
        this.attachWaitMillis = attachWaitMillis;
        this.ebpf = ebpf;
        this.writer = new SliceWriter(recorder::close);
    }

    /** Validates, waits (bounded) for the eBPF drop recorder, opens and starts. */
    public static SharedSession start(CaptureSpec spec) {
        long waited = prepare(spec);
        Path base = spec.output().map(Path::toAbsolutePath).orElseGet(() -> Path.of(
                System.getProperty("java.io.tmpdir"), "pcapunit-shared-" + ProcessHandle.current().pid() + "-"
                        + COUNTER.incrementAndGet()).toAbsolutePath());
        // No cap on the shared native files: a cap there would leave every later slice empty. The
        // cap applies to each slice's pcapng instead.
        List<CaptureSidecar> sidecars = Sidecars.of(spec);
        Recorder recorder = Recorder.start(spec, NativeFiles.base(base), 0, sidecars);
        NativeFiles.recoverQuietly(base.getParent());
        BpfSidecar ebpf = sidecars.stream().filter(BpfSidecar.class::isInstance).map(BpfSidecar.class::cast)
                .findFirst().orElse(null);
        SharedSession session = new SharedSession(spec, recorder, waited, ebpf);
        ShutdownFinalizer.register(session);
        return session;
    }

    /**
     * Checks {@code spec} (a bad one throws before anything starts), then, unless its kernel
     * evidence is {@link KernelEvidence#OFF}, starts the JVM's bpftrace and waits until it has
     * attached, at most {@link BpfSidecar#ATTACH_WAIT_MILLIS}: a capture started next is covered by
     * eBPF from its first packet. Returns the milliseconds waited, -1 when eBPF is not used
     * (evidence off, no bpftrace or BTF, {@code -Dpcapunit.bpftrace=}); never fails for eBPF.
     */
    public static long prepare(CaptureSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.kernelEvidence() == KernelEvidence.OFF) {
            return -1;
        }
        SpecValidation.validate(spec);
        return BpfSidecar.awaitAttached(BpfSidecar.ATTACH_WAIT_MILLIS);
    }

    /** Milliseconds {@link #start} waited for bpftrace to attach; -1 when it did not wait. */
    long attachWaitMillis() {
        return attachWaitMillis;
    }

    /** The spec of the shared capture. */
    public CaptureSpec spec() {
        return spec;
    }

    /** Whether the loops still run. */
    public boolean isRunning() {
        return running;
    }

    /** Opens a slice whose window starts now. */
    public SliceHandle slice(String name, Path output) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(output, "output");
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("slice(\"" + name + "\") on a closed SharedCapture: "
                        + "slice before close()");
            }
            // positions first: every record before them was written before the window started
            long[] from = recorder.positions();
            Slice s = new Slice(name, output.toAbsolutePath(), from, Recorder.nowNanos(), recorder.stats());
            open.add(s);
            return s;
        }
    }

    /** Ends open slices, waits for every slice file, stops capturing, deletes the native files. */
    public void close() {
        List<Slice> toEnd;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toEnd = new ArrayList<>(open);
        }
        try {
            for (Slice s : toEnd) {
                s.end(null);
            }
            List<CompletableFuture<CaptureResult>> waits;
            synchronized (this) {
                waits = new ArrayList<>(pending);
            }
            for (CompletableFuture<CaptureResult> f : waits) {
                try {
                    f.join();
                } catch (RuntimeException e) {
                    // the slice's own future carries the failure to whoever ends it
                }
            }
        } finally {
            running = false;
            writer.shutdown();
            try {
                writer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                recorder.stop();
            } finally {
                // recorder.close() is the writer's: run when it terminated, before awaitTermination
                // returned true, or after a write still running now (an interrupted wait, a slice
                // ended while closing) ends
                recorder.deleteNativeFiles();
                ShutdownFinalizer.deregister(this);
            }
        }
    }

    @Override
    public void finalizeOnShutdown() {
        close();
    }

    /**
     * Writes {@code s}'s window [start, end] to {@code out} once {@code mark} is in the native
     * files, with the evidence status and the drop comments; serialized with other writes.
     */
    private CaptureResult write(Slice s, long end, long[][] now, Recorder.Mark mark, Path out,
            String extraComment, boolean awaitEbpf) {
        synchronized (writeLock) {
            return writeLocked(s, end, now, mark, out, extraComment, awaitEbpf);
        }
    }

    private CaptureResult writeLocked(Slice s, long end, long[][] now, Recorder.Mark mark, Path out,
            String extraComment, boolean awaitEbpf) {
        recorder.settle(mark);
        long[] sizes = recorder.flush();
        if (ebpf != null && awaitEbpf) {
            // bpftrace's records of drops just before the end may still be on their way (up to its
            // next heartbeat, 50 ms); only for ends, written in the background: a snapshot, on the
            // test's thread, would pay ~40 ms each, and takes the drops bpftrace has printed so far
            ebpf.awaitRecordsUntil(end);
        }
        sidecarEntries.addAll(recorder.collectSidecars());
        List<Conversion.Source> sources = new ArrayList<>();
        for (int i = 0; i < recorder.handles.size(); i++) {
            long[] delta = new long[3];
            for (int k = 0; k < 3; k++) {
                delta[k] = Math.max(0, now[i][k] - s.statsAtStart[i][k]);
            }
            sources.add(recorder.source(i, s.from[i], sizes[i], delta));
        }
        List<JournalFields> entries = new ArrayList<>(s.marks());
        entries.addAll(sidecarEntries);
        EvidenceStatus status = recorder.evidenceStatus();
        String comment = "Slice \"" + s.name + "\" of a shared " + CaptureSession.describe(spec, s.start, end)
                + "\nkernel evidence: " + status.describe()
                + (extraComment == null ? "" : "\n" + extraComment);
        long cap = spec.maxFileSize().orElse(0L);
        // Drops recorded just before the window may still be of packets inside it.
        long from = s.start - REORDER_SLACK_NANOS;
        DropComments comments = DropComments.of(entries.stream()
                .filter(e -> e.timestampNanos() >= from && e.timestampNanos() <= end).toList()).orElse(null);
        Conversion.Outcome o = Conversion.convert(out, sources, s.start, end,
                CaptureSession.withStatus(entries, status, s.start), comment, recorder.application(), cap, -1,
                comments);
        return CaptureSession.result(out, spec, sources, o, s.start, end, status);
    }

    /** One slice. */
    private final class Slice implements SliceHandle {
        final String name;
        final Path file;
        /** Per source: where the native file stood at the start; the window's records are after it. */
        final long[] from;
        final long start;
        final long[][] statsAtStart;
        private final List<JournalFields> marks = new ArrayList<>();
        private CompletableFuture<CaptureResult> result;
        /** Whether a snapshot wrote {@link #file} (a discard then deletes it). */
        private volatile boolean written;

        Slice(String name, Path file, long[] from, long start, long[][] statsAtStart) {
            this.name = name;
            this.file = file;
            this.from = from;
            this.start = start;
            this.statsAtStart = statsAtStart;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Path file() {
            return file;
        }

        @Override
        public Instant start() {
            return Conversion.instant(start);
        }

        synchronized List<JournalFields> marks() {
            return new ArrayList<>(marks);
        }

        @Override
        public synchronized void mark(String message) {
            Objects.requireNonNull(message, "message");
            if (result != null) {
                throw new IllegalStateException("mark(\"" + message + "\") after the slice ended: mark before end()");
            }
            marks.add(JournalFields.mark(message));
        }

        @Override
        public CaptureResult snapshot() {
            synchronized (this) {
                if (result != null) {
                    throw new IllegalStateException("snapshot() after the slice ended: use end().join()");
                }
            }
            long end = Recorder.nowNanos();
            long[][] stats = recorder.stats();
            // the test waits for this one: fillers hand the marker's ring block over at once
            Recorder.Mark mark = recorder.mark(true);
            written = true;
            return write(this, end, stats, mark, file, null, false);
        }

        @Override
        public void discard() {
            CompletableFuture<CaptureResult> f = CompletableFuture.completedFuture(null);
            synchronized (this) {
                if (result != null) {
                    return;
                }
                result = f;
            }
            synchronized (SharedSession.this) {
                open.remove(this);
            }
            if (written) {
                try {
                    java.nio.file.Files.deleteIfExists(file);
                } catch (java.io.IOException e) {
                    throw new CaptureException("cannot delete " + file + ", written by a snapshot of the discarded"
                            + " slice \"" + name + "\": " + e, e);
                }
            }
        }

        @Override
        public CompletableFuture<CaptureResult> end(String comment) {
            long end = Recorder.nowNanos();
            // The kernel counts a packet when it queues it for capture, so counters read now cover
            // exactly the traffic sent before end().
            long[][] stats = recorder.stats();
            CompletableFuture<CaptureResult> f = new CompletableFuture<>();
            synchronized (this) {
                if (result != null) {
                    return result;
                }
                result = f;
            }
            synchronized (SharedSession.this) {
                open.remove(this);
                pending.add(f);
            }
            // sent now, on the caller's thread: the writer waits until it is in the native files
            Recorder.Mark mark = recorder.mark(false);
            Runnable task = () -> {
                try {
                    f.complete(write(this, end, stats, mark, file, comment, true));
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                } finally {
                    synchronized (SharedSession.this) {
                        pending.remove(f);
                    }
                }
            };
            try {
                writer.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                f.completeExceptionally(new CaptureException("slice \"" + name + "\" ended after its SharedCapture "
                        + "closed: end slices before closing the shared capture", e));
            }
            return f;
        }
    }
}
