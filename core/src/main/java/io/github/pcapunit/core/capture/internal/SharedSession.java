package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.internal.kernel.DropComments;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A shared capture behind {@code SharedCapture}: one {@link Recorder} for many slices. A slice's
 * file is written by a background writer once its window has settled (end + twice the read
 * timeout), from the native files flushed up to then.
 */
public final class SharedSession implements ShutdownFinalizer.Finalizable {

    private static final AtomicLong COUNTER = new AtomicLong();
    /** Packets of different CPUs reach the file slightly out of order; read back this far before a window. */
    private static final long REORDER_SLACK_NANOS = 200_000_000L;

    private final CaptureSpec spec;
    private final Recorder recorder;
    private final ScheduledThreadPoolExecutor writer;
    private final Set<Slice> open = new LinkedHashSet<>();
    private final List<CompletableFuture<CaptureResult>> pending = new ArrayList<>();
    private final List<JournalFields> sidecarEntries = new ArrayList<>();
    /** Window end (nanos) -> per source, offset of the first record after it. */
    private final TreeMap<Long, long[]> checkpoints = new TreeMap<>();
    private volatile boolean running = true;
    private boolean closed;

    private SharedSession(CaptureSpec spec, Recorder recorder) {
        this.spec = spec;
        this.recorder = recorder;
        this.writer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "pcapunit-slice-writer");
            t.setDaemon(true);
            return t;
        });
        writer.setKeepAliveTime(2, TimeUnit.SECONDS);
        writer.allowCoreThreadTimeOut(true);
    }

    /** Validates, opens and starts. */
    public static SharedSession start(CaptureSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Path base = spec.output().map(Path::toAbsolutePath).orElseGet(() -> Path.of(
                System.getProperty("java.io.tmpdir"), "pcapunit-shared-" + ProcessHandle.current().pid() + "-"
                        + COUNTER.incrementAndGet()).toAbsolutePath());
        // No cap on the shared native files: a cap there would leave every later slice empty. The
        // cap applies to each slice's pcapng instead.
        Recorder recorder = Recorder.start(spec, NativeFiles.base(base), 0, Sidecars.of(spec));
        NativeFiles.recoverQuietly(base.getParent());
        SharedSession session = new SharedSession(spec, recorder);
        ShutdownFinalizer.register(session);
        return session;
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
            Slice s = new Slice(name, output.toAbsolutePath(), Recorder.nowNanos(), recorder.stats());
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
                recorder.deleteNativeFiles();
                ShutdownFinalizer.deregister(this);
            }
        }
    }

    @Override
    public void finalizeOnShutdown() {
        close();
    }

    private long settleMillis() {
        return 2 * spec.readTimeout().toMillis();
    }

    /**
     * Writes {@code s}'s window [start, end] to {@code out}, with the evidence status and the drop
     * comments; serialized with other writes.
     */
    private synchronized CaptureResult write(Slice s, long end, long[][] now, Path out, String extraComment,
            boolean last) {
        recorder.awaitLoopsIdle(2000);
        long[] sizes = recorder.flush();
        sidecarEntries.addAll(recorder.collectSidecars());
        Map.Entry<Long, long[]> cp = checkpoints.floorEntry(s.start - REORDER_SLACK_NANOS);
        List<Conversion.Source> sources = new ArrayList<>();
        for (int i = 0; i < recorder.handles.size(); i++) {
            long[] delta = new long[3];
            for (int k = 0; k < 3; k++) {
                delta[k] = Math.max(0, now[i][k] - s.statsAtStart[i][k]);
            }
            long from = cp == null || cp.getValue()[i] < 0 ? 0 : cp.getValue()[i];
            sources.add(recorder.source(i, from, sizes[i], delta));
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
        if (last) {
            long[] resume = o.resumeOffsets.clone();
            for (int i = 0; i < resume.length; i++) {
                if (resume[i] < 0) {
                    resume[i] = sizes[i];
                }
            }
            checkpoints.put(end, resume);
            while (checkpoints.size() > 64) {
                checkpoints.pollFirstEntry();
            }
        }
        return CaptureSession.result(out, spec, sources, o, s.start, end, status);
    }

    /** One slice. */
    private final class Slice implements SliceHandle {
        final String name;
        final Path file;
        final long start;
        final long[][] statsAtStart;
        private final List<JournalFields> marks = new ArrayList<>();
        private CompletableFuture<CaptureResult> result;

        Slice(String name, Path file, long start, long[][] statsAtStart) {
            this.name = name;
            this.file = file;
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
            try {
                Thread.sleep(settleMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return write(this, end, stats, file, null, false);
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
            Runnable task = () -> {
                try {
                    f.complete(write(this, end, stats, file, comment, true));
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                } finally {
                    synchronized (SharedSession.this) {
                        pending.remove(f);
                    }
                }
            };
            try {
                writer.schedule(task, settleMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                f.completeExceptionally(new CaptureException("slice \"" + name + "\" ended after its SharedCapture "
                        + "closed: end slices before closing the shared capture", e));
            }
            return f;
        }
    }
}
