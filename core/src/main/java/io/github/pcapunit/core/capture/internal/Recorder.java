package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.internal.libpcap.Libpcap;
import io.github.pcapunit.core.capture.internal.libpcap.Devices;
import io.github.pcapunit.core.capture.internal.libpcap.NativeHandle;
import io.github.pcapunit.core.capture.internal.netns.Namespaces;
import io.github.pcapunit.core.capture.internal.netns.NetNamespace;
import io.github.pcapunit.core.capture.internal.netns.NetnsThreads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The live part of a capture: one libpcap handle, native dumper file and loop thread per
 * interface, plus the sidecars. Shared by standalone and shared captures. The interfaces of a
 * capture point in another network namespace ({@link CaptureSpec#points()}) are opened, and
 * their loops run, on platform threads that joined that namespace.
 */
final class Recorder {

    final CaptureSpec spec;
    final List<NativeHandle> handles;
    /** Per handle: where it captures (name in the file, description, MAC, namespace). */
    private final List<Where> where;
    final List<Path> nativeFiles = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<CaptureSidecar> sidecars;
    private final List<CaptureException> loopFailures = new ArrayList<>();
    final long startNanos;
    private final CountDownLatch looping;
    private final List<Path> loopTasks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile long capReachedNanos = -1;
    private volatile long[][] statsAtStop;

    private final long nativeCap;

    /**
     * Where one handle captures: {@code name} as the file shows it ({@code db/eth0}, or the bare
     * interface in the JVM's namespace), its description (null in the JVM's namespace), its MAC
     * (null: from sysfs, or none), its namespace (null: the JVM's).
     */
    record Where(String name, String description, byte[] mac, NetNamespace namespace) {
    }

    private Recorder(CaptureSpec spec, List<NativeHandle> handles, List<Where> where, long startNanos,
            long nativeCap, List<CaptureSidecar> sidecars) {
        this.where = List.copyOf(where);
        this.nativeCap = nativeCap;
        this.sidecars = sidecars;
        this.spec = spec;
        this.handles = handles;
        this.startNanos = startNanos;
        this.looping = new CountDownLatch(handles.size());
    }

    /**
     * Validates, then opens the handles (nothing else happens if that fails), then creates files,
     * starts the loops and the sidecars.
     *
     * @param nativeBase the native files are {@code nativeBase + "." + interface + ".pcap"}
     * @param nativeCap size cap of each native file in bytes, 0 for none
     * @param sidecars the unstarted sidecars, usually {@link Sidecars#of(CaptureSpec)}
     */
    static Recorder start(CaptureSpec spec, Path nativeBase, long nativeCap, List<CaptureSidecar> sidecars) {
        SpecValidation.validate(spec);
        List<NativeHandle> handles = new ArrayList<>();
        List<Where> where = new ArrayList<>();
        try {
            if (spec.capturesOwnNamespace()) {
                for (String name : spec.effectiveInterfaces()) {
                    handles.add(open(spec, name));
                    where.add(new Where(name, null, null, null));
                }
            }
            for (CapturePointHandles p : openPoints(spec)) {
                handles.addAll(p.handles);
                where.addAll(p.where);
            }
            // after opening, so a missing privilege is reported first; before any file exists
            checkWritable(nativeBase.toAbsolutePath().getParent(), spec);
        } catch (RuntimeException e) {
            handles.forEach(NativeHandle::close);
            throw e;
        }
        Recorder r = new Recorder(spec, handles, where, nowNanos(), nativeCap, List.copyOf(sidecars));
        try {
            Path dir = nativeBase.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            for (int i = 0; i < handles.size(); i++) {
                Path file = nativeBase.resolveSibling(nativeBase.getFileName() + "." + safe(where.get(i).name())
                        + ".pcap");
                handles.get(i).openDumper(file);
                r.nativeFiles.add(file);
            }
            for (int i = 0; i < handles.size(); i++) {
                NativeHandle h = handles.get(i);
                NetNamespace ns = where.get(i).namespace();
                String name = "pcapunit-capture-" + where.get(i).name();
                Thread t;
                if (ns == null) {
                    t = new Thread(() -> r.loop(h), name);
                    t.setDaemon(true);
                } else {
                    // the loop of a point runs in its namespace, as the handle was opened there
                    t = NetnsThreads.thread(ns, name, () -> r.loop(h), e -> {
                        synchronized (r.loopFailures) {
                            r.loopFailures.add(e);
                        }
                        r.looping.countDown();
                    });
                }
                r.threads.add(t);
            }
            r.threads.forEach(Thread::start);
            // A stop before a loop thread runs would leave its packets in the ring: start() returns
            // only once every thread is entering its loop.
            if (!r.looping.await(10, TimeUnit.SECONDS)) {
                throw new CaptureException("capture threads did not start within 10 s");
            }
            synchronized (r.loopFailures) {
                if (!r.loopFailures.isEmpty()) {
                    throw r.loopFailures.get(0);
                }
            }
            for (CaptureSidecar s : r.sidecars) {
                s.start(spec);
            }
            return r;
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            r.abort();
            if (e instanceof CaptureException) {
                throw (CaptureException) e;
            }
            throw new CaptureException("cannot start the capture: " + e.getMessage(), e);
        }
    }

    private static NativeHandle open(CaptureSpec spec, String iface) {
        return NativeHandle.open(iface, spec.snaplen(), spec.bufferSize(), (int) spec.readTimeout().toMillis(),
                spec.filter().orElse(null));
    }

    /** The handles of one capture point, opened inside its namespace. */
    private record CapturePointHandles(List<NativeHandle> handles, List<Where> where) {
    }

    /**
     * Opens every point's interfaces on a thread inside the point's namespace (its MACs read
     * there too); on failure closes what it opened and throws.
     */
    private static List<CapturePointHandles> openPoints(CaptureSpec spec) {
        List<CapturePointHandles> opened = new ArrayList<>();
        try {
            for (var point : spec.points()) {
                NetNamespace ns = Namespaces.resolve(point);
                opened.add(NetnsThreads.call(ns, () -> {
                    java.util.Map<String, byte[]> macs = Devices.macsByName();
                    List<NativeHandle> hs = new ArrayList<>();
                    List<Where> ws = new ArrayList<>();
                    try {
                        for (String iface : point.effectiveInterfaces()) {
                            hs.add(open(spec, iface));
                            ws.add(new Where(ns.interfaceName(iface), ns.describe(iface), macs.get(iface), ns));
                        }
                    } catch (RuntimeException e) {
                        hs.forEach(NativeHandle::close);
                        throw e;
                    }
                    return new CapturePointHandles(hs, ws);
                }));
            }
            return opened;
        } catch (RuntimeException e) {
            for (CapturePointHandles p : opened) {
                p.handles.forEach(NativeHandle::close);
            }
            throw e;
        }
    }

    /**
     * The conversion source of handle {@code i}: records from {@code startOffset} up to
     * {@code limit} bytes of its native file, with {@code stats} (received, kernel drops,
     * interface drops) over the window.
     */
    Conversion.Source source(int i, long startOffset, long limit, long[] stats) {
        Where w = where.get(i);
        NativeHandle h = handles.get(i);
        return new Conversion.Source(w.name(), h.interfaceName(), w.description(), w.namespace() == null,
                w.mac(), h.linkType(), spec.snaplen(), nativeFiles.get(i), startOffset, limit,
                spec.filter().orElse(null), stats, InterfaceIndexes.in(w.namespace()));
    }

    /** Fails before anything is opened when the output directory cannot be created or written. */
    private static void checkWritable(Path dir, CaptureSpec spec) {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new CaptureException("cannot write the capture to " + dir + ": " + existing
                    + (existing != null && !Files.isDirectory(existing) ? " is not a directory" : " is not writable")
                    + ". Choose a writable output, e.g. output(Path.of(\"target/pcapunit/capture.pcapng\"))"
                    + spec.output().map(o -> " instead of " + o).orElse(""));
        }
    }

    private void loop(NativeHandle h) {
        try {
            if (h.runLoop(nativeCap, () -> {
                loopTasks.add(threadSelf());
                looping.countDown();
            })) {
                if (capReachedNanos < 0) {
                    capReachedNanos = nowNanos();
                }
            }
        } catch (CaptureException e) {
            synchronized (loopFailures) {
                loopFailures.add(e);
            }
        }
    }

    /**
     * Waits until every loop thread is asleep in {@code poll} (state S in /proc, twice in a row):
     * called after twice the read timeout, when the kernel has handed every block holding earlier
     * packets to user space, it proves the loops have also written them. On a loaded machine a
     * loop thread can wait longer than the timeout for a CPU; without this, the tail would be lost.
     */
    void awaitLoopsIdle(long maxMillis) {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        for (Path task : loopTasks) {
            if (task == null) {
                continue;
            }
            int sleeping = 0;
            while (sleeping < 2 && System.nanoTime() < deadline) {
                char state = taskState(task);
                if (state == '?') {
                    break; // ended, or no /proc: nothing to wait for
                }
                sleeping = state == 'S' ? sleeping + 1 : 0;
                if (sleeping < 2) {
                    java.util.concurrent.locks.LockSupport.parkNanos(300_000);
                }
            }
        }
    }

    private static Path threadSelf() {
        try {
            return Path.of("/proc/self/task").resolve(
                    Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName());
        } catch (IOException | RuntimeException e) {
            return null; // not Linux: the fixed settle time alone applies
        }
    }

    private static char taskState(Path task) {
        try {
            String stat = Files.readString(task.resolve("stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException | RuntimeException e) {
            return '?';
        }
    }

    /** When a native file reached the size cap (nanos since the epoch), or -1. */
    long capReachedNanos() {
        return capReachedNanos;
    }

    /** Flushes the dumpers so readers see every packet handed over so far; returns the file sizes. */
    long[] flush() {
        long[] sizes = new long[handles.size()];
        for (int i = 0; i < handles.size(); i++) {
            handles.get(i).flush();
            try {
                sizes[i] = Files.size(nativeFiles.get(i));
            } catch (IOException e) {
                throw new CaptureException("cannot read the size of " + nativeFiles.get(i) + ": " + e.getMessage(), e);
            }
        }
        return sizes;
    }

    /** libpcap counters per handle (received, kernel drops, interface drops). */
    synchronized long[][] stats() {
        if (statsAtStop != null) {
            return statsAtStop;
        }
        long[][] s = new long[handles.size()][];
        for (int i = 0; i < handles.size(); i++) {
            s[i] = handles.get(i).stats();
        }
        return s;
    }

    /** Entries the sidecars recorded since the last call. */
    List<JournalFields> collectSidecars() {
        List<JournalFields> all = new ArrayList<>();
        for (CaptureSidecar s : sidecars) {
            all.addAll(s.collect());
        }
        return all;
    }

    /**
     * Ends the loops, takes statistics, closes the dumpers, stops the sidecars, and hands the
     * handles to the background closer.
     *
     * @return the sidecars' remaining entries
     */
    List<JournalFields> stop() {
        for (NativeHandle h : handles) {
            h.requestStop();
        }
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long[][] last = stats();
        statsAtStop = last;
        handles.forEach(NativeHandle::closeDumper);
        List<JournalFields> entries = new ArrayList<>();
        RuntimeException sidecarFailure = null;
        for (CaptureSidecar s : sidecars) {
            try {
                entries.addAll(s.stop());
            } catch (RuntimeException e) {
                // every sidecar is still stopped and every handle closed; then the first failure is thrown
                if (sidecarFailure == null) {
                    sidecarFailure = e;
                } else {
                    sidecarFailure.addSuppressed(e);
                }
            } finally {
                s.close();
            }
        }
        handles.forEach(Closer::close);
        synchronized (loopFailures) {
            if (!loopFailures.isEmpty()) {
                throw loopFailures.get(0);
            }
        }
        if (sidecarFailure != null) {
            throw sidecarFailure;
        }
        return entries;
    }

    /**
     * What evidence the sidecars recorded so far (after {@link #stop()}: with their counts); a
     * source the spec did not ask for is {@code NOT_REQUESTED}.
     */
    EvidenceStatus evidenceStatus() {
        EvidenceStatus.Builder status = EvidenceStatus.builder(spec.kernelEvidence());
        for (CaptureSidecar s : sidecars) {
            status.source(s.status());
        }
        return status.build();
    }

    /** Releases everything after a failed start, deleting the native files. */
    private void abort() {
        for (NativeHandle h : handles) {
            h.requestStop();
        }
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (CaptureSidecar s : sidecars) {
            s.close();
        }
        handles.forEach(NativeHandle::closeDumper);
        handles.forEach(Closer::close);
        deleteNativeFiles();
    }

    void deleteNativeFiles() {
        for (Path p : nativeFiles) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a leftover temporary file is harmless; the capture result does not depend on it
            }
        }
    }

    String application() {
        return "pcapunit (" + Libpcap.version() + ")";
    }

    static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
