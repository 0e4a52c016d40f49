package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.CaptureStatistics;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.internal.kernel.DropComments;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.capture.internal.libpcap.Libpcap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/** A standalone capture behind {@code Capture}. */
public final class CaptureSession implements ShutdownFinalizer.Finalizable {

    private static final AtomicLong COUNTER = new AtomicLong();

    private final CaptureSpec spec;
    private final Path file;
    private final Recorder recorder;
    private final List<JournalFields> marks = new ArrayList<>();
    /** Sidecar entries collected for snapshots, kept for the final file. */
    private final List<JournalFields> collected = new ArrayList<>();
    private CaptureResult result;
    /** Why the pcapng could not be written (the native files were kept), or null. */
    private CaptureException stopFailure;
    private volatile boolean running = true;

    private CaptureSession(CaptureSpec spec, Path file, Recorder recorder) {
        this.spec = spec;
        this.file = file;
        this.recorder = recorder;
    }

    /** Validates, opens and starts, with the sidecars the spec asks for. */
    public static CaptureSession start(CaptureSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return start(spec, Sidecars.of(spec));
    }

    /** As {@link #start(CaptureSpec)}, with these (unstarted) sidecars instead; for tests. */
    static CaptureSession start(CaptureSpec spec, List<CaptureSidecar> sidecars) {
        Path file = spec.output().orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"),
                "pcapunit-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + ".pcapng"))
                .toAbsolutePath();
        // pcap records are smaller than pcapng's, so a native file within the cap converts to at
        // least as many packets as the pcapng can hold: capping the native file at the same size
        // bounds the disk without cutting earlier than the pcapng cap does.
        Recorder recorder = Recorder.start(spec, NativeFiles.base(file),
                spec.maxFileSize().orElse(0L), sidecars);
        CaptureSession session = new CaptureSession(spec, file, recorder);
        // after the start, so a refused spec has no side effect; our own files have a live pid
        NativeFiles.recoverQuietly(file.getParent());
        ShutdownFinalizer.register(session);
        return session;
    }

    /** Interface names libpcap offers. */
    public static List<String> interfaceNames() {
        return Libpcap.interfaceNames();
    }

    /** The spec this capture runs with. */
    public CaptureSpec spec() {
        return spec;
    }

    /** The pcapng file stop() writes. */
    public Path file() {
        return file;
    }

    /** Whether the loops still run. */
    public boolean isRunning() {
        return running;
    }

    /** Adds a mark journal entry at the current time. */
    public void mark(String message) {
        Objects.requireNonNull(message, "message");
        synchronized (this) {
            if (!running) {
                throw new IllegalStateException("mark(\"" + message + "\") after stop(): mark before stopping");
            }
            marks.add(JournalFields.mark(message));
        }
    }

    /** Settles (see {@link #settle()}), then converts everything so far to {@code <name>.snapshot.pcapng}. */
    public synchronized CaptureResult snapshot() {
        if (!running) {
            throw new IllegalStateException("snapshot() after stop(): use the CaptureResult stop() returned");
        }
        settle();
        long end = Recorder.nowNanos();
        long[] sizes = recorder.flush();
        Path snap = file.resolveSibling(baseName(file) + ".snapshot.pcapng");
        collected.addAll(recorder.collectSidecars());
        List<JournalFields> entries = new ArrayList<>(marks);
        entries.addAll(collected);
        return convert(snap, sizes, end, recorder.stats(), entries, "snapshot");
    }

    /** Settles, stops the loops, converts; idempotent. */
    public synchronized CaptureResult stop() {
        if (result != null) {
            return result;
        }
        if (stopFailure != null) {
            throw stopFailure; // close() after a failed stop(): the same failure, nothing is redone
        }
        boolean keepNative = false;
        try {
            settle();
            long end = Recorder.nowNanos();
            List<JournalFields> entries = new ArrayList<>(marks);
            entries.addAll(collected);
            entries.addAll(recorder.stop());
            running = false;
            long[] sizes = new long[recorder.nativeFiles.size()];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = size(recorder.nativeFiles.get(i));
            }
            try {
                result = convert(file, sizes, end, recorder.stats(), entries, null);
            } catch (CaptureException e) {
                keepNative = true;
                stopFailure = NativeFiles.keep(file, recorder.nativeFiles, e);
                throw stopFailure;
            }
            return result;
        } finally {
            running = false;
            if (!keepNative) {
                recorder.deleteNativeFiles();
            }
            recorder.close(); // after the last conversion: a thread's namespace is let go
            ShutdownFinalizer.deregister(this);
        }
    }

    /** Whether {@link #stop()} threw because the pcapng could not be written. */
    public synchronized boolean stopFailed() {
        return stopFailure != null;
    }

    @Override
    public void finalizeOnShutdown() {
        stop();
    }

    /**
     * Returns once every packet sent before now is in the native files: the engine's marker seen
     * in each (fillers make the kernel hand its ring block over at once), or, on interfaces that
     * see no marker, twice the read timeout and the loops idle.
     */
    private void settle() {
        recorder.settle(recorder.mark(true));
    }

    private CaptureResult convert(Path out, long[] sizes, long end, long[][] stats, List<JournalFields> entries,
            String kind) {
        List<Conversion.Source> sources = new ArrayList<>();
        for (int i = 0; i < recorder.handles.size(); i++) {
            sources.add(recorder.source(i, 0, sizes[i], stats[i]));
        }
        EvidenceStatus status = recorder.evidenceStatus();
        List<JournalFields> all = withStatus(entries, status, recorder.startNanos);
        long writeFailed = -1;
        StringBuilder failures = new StringBuilder();
        for (int i = 0; i < recorder.handles.size(); i++) {
            // from the recorder: after stop() a handle may already capture for another capture
            java.util.Optional<String> failure = recorder.writeFailure(i);
            if (failure.isPresent()) {
                long at = recorder.writeFailedNanos(i);
                writeFailed = writeFailed < 0 ? at : Math.min(writeFailed, at);
                failures.append("\nWriting the capture of \"").append(recorder.handles.get(i).interfaceName())
                        .append("\" failed at ").append(Conversion.instant(at)).append(" (").append(failure.get())
                        .append("): later packets were lost.");
            }
        }
        String comment = describe(spec, recorder.startNanos, end) + (kind == null ? "" : " (" + kind + ")")
                + "\nkernel evidence: " + status.describe() + failures;
        Conversion.Outcome o = Conversion.convert(out, sources, recorder.startNanos, Long.MAX_VALUE, all, comment,
                recorder.application(), spec.maxFileSize().orElse(0L), recorder.capReachedNanos(),
                DropComments.of(all).orElse(null));
        CaptureResult r = result(out, spec, sources, o, recorder.startNanos, end, status);
        if (writeFailed >= 0 && (r.truncatedAt().isEmpty()
                || r.truncatedAt().get().isAfter(Conversion.instant(writeFailed)))) {
            // packets after a failed write are lost like those after a cut: the result says when
            r = new CaptureResult(r.file(), spec, r.start(), r.end(), r.statistics(), Conversion.instant(writeFailed),
                    status);
        }
        return r;
    }

    /**
     * {@code entries} plus the evidence status as data, at the window's start {@code startNanos}:
     * first in the file, so a size cap never cuts it off.
     */
    static List<JournalFields> withStatus(List<JournalFields> entries, EvidenceStatus status, long startNanos) {
        List<JournalFields> all = new ArrayList<>(entries.size() + 1);
        java.time.Instant at = Conversion.instant(startNanos);
        all.add(new JournalFields(at, status.toJournalEntry(at).fields()));
        all.addAll(entries);
        return all;
    }

    static CaptureResult result(Path out, CaptureSpec spec, List<Conversion.Source> sources,
            Conversion.Outcome o, long start, long end, EvidenceStatus status) {
        List<CaptureStatistics> stats = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Conversion.Source s = sources.get(i);
            long received = Conversion.received(s, o.loopback[i]);
            stats.add(new CaptureStatistics(s.name, LinkType.of(s.linkType), o.written[i], received,
                    Conversion.kernelBufferDrops(s),
                    s.stats[2]));
        }
        return new CaptureResult(out, spec, Conversion.instant(start), Conversion.instant(end), stats,
                o.truncatedAtNanos >= 0 ? Conversion.instant(o.truncatedAtNanos) : null, status);
    }

    static String describe(CaptureSpec spec, long start, long end) {
        return "pcapunit capture on " + (spec.points().isEmpty() ? spec.effectiveInterfaces().toString()
                : (spec.capturesOwnNamespace() ? spec.effectiveInterfaces() + " and " : "") + spec.points()) + ", filter "
                + spec.filter().map(f -> "\"" + f + "\"").orElse("(none: every packet)") + ", snaplen "
                + spec.snaplen() + ", buffer " + spec.bufferSize() + " bytes"
                + spec.maxFileSize().map(m -> ", size cap " + m + " bytes").orElse("") + ", from "
                + Conversion.instant(start) + " to " + Conversion.instant(end)
                + spec.comment().map(c -> "\n" + c).orElse("");
    }

    private static String baseName(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".pcapng") ? n.substring(0, n.length() - 7) : n;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new CaptureException("native capture file " + p + " vanished: " + e.getMessage(), e);
        }
    }
}
