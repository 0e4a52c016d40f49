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
import io.github.pcapunit.core.capture.internal.netns.PinnedNamespace;
import java.io.IOException;
import java.nio.ByteBuffer;
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
 *
 * <p>Handles on {@code lo} and {@code any} also capture the engine's {@link Marker}s (one socket
 * per namespace): {@link #mark} sends one, {@link #settle} returns once it is in every such
 * native file, so a stop or a slice's end waits for its last packet, not for a fixed time.
 *
 * <p>{@link #stop()} parks the handles on {@code lo} and {@code any} of the JVM's own namespace
 * ({@link HandlePool}) for the next capture with the same settings (not those opened by a thread
 * that joined another namespace: they are that namespace's), and hands every other handle
 * to the background {@link Closer}: opening and closing a handle are most of a short capture's
 * start and stop.
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
    /**
     * Per handle, why writing its native file failed and when (nanos, -1: it did not), taken in
     * {@link #stop()} before the handles are parked for other captures; null before.
     */
    private volatile String[] failuresAtStop;
    private volatile long[] failedNanosAtStop;
    /** Per handle: the marker socket whose datagrams it captures, or null (it waits for the read timeout). */
    private final Marker[] markers;
    /** Per handle: marker copies the kernel counted as received, taken out of {@link #stats()}. */
    private final long[] markerCopies;
    /**
     * Per handle: whether {@link #stop()} may park it ({@link HandlePool}): on {@code lo} or
     * {@code any}, opened by a thread in the JVM's own network namespace.
     */
    private final boolean[] poolable;

    private final long nativeCap;
    /** Kernel read timeout of handles whose last block fillers can push out (see {@link #open}). */
    static final int PUSHED_READ_TIMEOUT_MS = 1000;

    /**
     * Where one handle captures: {@code name} as the file shows it ({@code db/eth0}, or the bare
     * interface of the capture's own namespace), its description (null in the JVM's own namespace;
     * in a namespace the starting thread had joined, that namespace's), its MAC (null: from
     * sysfs in the JVM's namespace, or none), its point's namespace (null for the capture's own
     * interfaces), and for those the namespace they were opened in ({@code opened}: the JVM's, or
     * the one the starting thread had joined), where their ifindexes are looked up.
     */
    record Where(String name, String description, byte[] mac, NetNamespace namespace, PinnedNamespace opened) {
    }

    private Recorder(CaptureSpec spec, List<NativeHandle> handles, List<Where> where, long startNanos,
            long nativeCap, List<CaptureSidecar> sidecars, Marker[] markers, List<Boolean> poolable) {
        this.markers = markers;
        this.poolable = new boolean[handles.size()];
        for (int i = 0; i < this.poolable.length; i++) {
            this.poolable[i] = poolable.get(i);
        }
        this.markerCopies = new long[handles.size()];
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
        List<Marker> markers = new ArrayList<>();
        List<Marker> opened = new ArrayList<>();
        List<Boolean> poolable = new ArrayList<>();
        PinnedNamespace openedIn = null;   // closed here if the start fails, else by close()
        try {
            if (spec.capturesOwnNamespace()) {
                // A thread that joined another namespace (setns) opens that namespace's lo: its
                // handles are neither taken from nor parked in the pool of the JVM's own namespace.
                boolean jvmNamespace = Namespaces.callerInJvmNamespace();
                // its ifindexes are looked up there at conversion, whichever thread converts; off the
                // JVM's namespace the MACs come from libpcap (sockets, this thread's namespace), as
                // sysfs shows the namespace it was mounted in
                openedIn = pinned(jvmNamespace);
                java.util.Map<String, byte[]> macs = jvmNamespace ? java.util.Map.of() : Devices.macsByName();
                Marker own = null;
                for (String name : spec.effectiveInterfaces()) {
                    if (own == null && seesMarkers(name)) {
                        own = Marker.openQuietly();
                        if (own != null) {
                            opened.add(own);
                        }
                    }
                    Opened o = open(spec, name, own, nativeCap, jvmNamespace);
                    handles.add(o.handle);
                    poolable.add(o.poolable);
                    markers.add(o.marked ? own : null);
                    // described as a point's interfaces are when a joined namespace (setns) opened it
                    where.add(new Where(name, openedIn == null ? null : openedIn.describe(name), macs.get(name),
                            null, openedIn));
                }
            }
            for (CapturePointHandles p : openPoints(spec, nativeCap)) {
                handles.addAll(p.handles);
                p.handles.forEach(h -> poolable.add(false));
                where.addAll(p.where);
                markers.addAll(p.markers);
                if (p.marker != null) {
                    opened.add(p.marker);
                }
            }
            // after opening, so a missing privilege is reported first; before any file exists
            checkWritable(nativeBase.toAbsolutePath().getParent(), spec);
        } catch (RuntimeException e) {
            handles.forEach(NativeHandle::close);
            opened.forEach(Marker::close);
            if (openedIn != null) {
                openedIn.close(); // no-op for the JVM's own
            }
            throw e;
        }
        Recorder r = new Recorder(spec, handles, where, nowNanos(), nativeCap, List.copyOf(sidecars),
                markers.toArray(new Marker[0]), poolable);
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

    /**
     * Opens {@code iface}; with a {@code marker} socket and an interface that sees its datagrams,
     * with {@code (marker) or (filter)}, falling back to the user's filter alone (whose error is
     * then the one reported) when that does not compile.
     *
     * <p>A handle that captures the markers, where fillers may be sent too ({@link #pushable}),
     * gets the kernel read timeout {@value #PUSHED_READ_TIMEOUT_MS} ms (tcpdump's): stops and
     * slice ends push their last block out with fillers instead of waiting for the timeout, so
     * the timeout only sets how often the kernel hands a partly filled block over while packets
     * trickle in. With the spec's 10 ms default that was 100 wake-ups a second, most of the
     * capture's CPU at low packet rates. Every other handle gets the spec's read timeout, which
     * its stops wait for.
     *
     * @param inOwnNamespace whether the handle is opened in the JVM's own namespace (by a thread
     *        that has not joined another one): then a handle on {@code lo} or {@code any} parked by
     *        an earlier capture ({@link HandlePool}) is reused, and the handle may be parked at stop
     */
    private static Opened open(CaptureSpec spec, String iface, Marker marker, long nativeCap,
            boolean inOwnNamespace) {
        String filter = spec.filter().orElse(null);
        int timeout = (int) spec.readTimeout().toMillis();
        int pushed = pushable(spec, nativeCap) ? Math.max(timeout, PUSHED_READ_TIMEOUT_MS) : timeout;
        boolean marks = marker != null && seesMarkers(iface);
        boolean pooled = inOwnNamespace && seesMarkers(iface);
        if (marks && filter != null) {
            try {
                return new Opened(handle(spec, iface, pushed, marker.filter(filter), pooled), true, pooled);
            } catch (io.github.pcapunit.core.InvalidFilterException e) {
                marks = false;   // e.g. a filter for another link type: this handle waits for the read timeout
            }
        }
        return new Opened(handle(spec, iface, marks ? pushed : timeout, filter, pooled), marks, pooled);
    }

    /**
     * With {@code pooled}, a parked handle with these settings readied for {@code filter}, else a
     * new handle. Only {@code lo} and {@code any} of the JVM's own namespace are pooled: they
     * cannot be deleted and recreated under the same name, which would leave a parked handle bound
     * to an interface that is gone.
     */
    private static NativeHandle handle(CaptureSpec spec, String iface, int timeout, String filter, boolean pooled) {
        if (pooled) {
            NativeHandle h = HandlePool.take(NativeHandle.settings(iface, spec.snaplen(), spec.bufferSize(), timeout));
            if (h != null) {
                try {
                    h.reuse(filter);
                    return h;
                } catch (io.github.pcapunit.core.InvalidFilterException e) {
                    HandlePool.putBack(h);
                    throw e;
                } catch (RuntimeException e) {
                    Closer.close(h);   // e.g. closed meanwhile: open a new one
                }
            }
        }
        return NativeHandle.open(iface, spec.snaplen(), spec.bufferSize(), timeout, filter);
    }

    /**
     * Whether fillers can push a marked handle's ring block out: only when they are not cut by the
     * snaplen, and not under a native size cap, where their 128 KiB would take the room of packets.
     */
    private static boolean pushable(CaptureSpec spec, long nativeCap) {
        return spec.snaplen() >= Marker.FILLER_MIN_SNAPLEN && nativeCap == 0;
    }

    /** A handle opened, whether it captures the markers, and whether it may be parked at stop. */
    private record Opened(NativeHandle handle, boolean marked, boolean poolable) {
    }

    /** Interfaces on which the markers sent to 127.0.0.1 are seen. */
    private static boolean seesMarkers(String iface) {
        return "lo".equals(iface) || CaptureSpec.ANY_INTERFACE.equals(iface);
    }

    /** The handles of one capture point, opened inside its namespace, with the marker socket there (or null). */
    private record CapturePointHandles(List<NativeHandle> handles, List<Where> where, List<Marker> markers,
            Marker marker) {
    }

    /**
     * Opens every point's interfaces on a thread inside the point's namespace (its MACs read
     * there too); on failure closes what it opened and throws.
     */
    private static List<CapturePointHandles> openPoints(CaptureSpec spec, long nativeCap) {
        List<CapturePointHandles> opened = new ArrayList<>();
        try {
            for (var point : spec.points()) {
                NetNamespace ns = Namespaces.resolve(point);
                opened.add(NetnsThreads.call(ns, () -> {
                    java.util.Map<String, byte[]> macs = Devices.macsByName();
                    List<NativeHandle> hs = new ArrayList<>();
                    List<Where> ws = new ArrayList<>();
                    List<Marker> ms = new ArrayList<>();
                    Marker marker = point.effectiveInterfaces().stream().anyMatch(Recorder::seesMarkers)
                            ? Marker.openQuietly() : null;   // opened here: its socket lives in ns
                    try {
                        for (String iface : point.effectiveInterfaces()) {
                            Opened o = open(spec, iface, marker, nativeCap, false);
                            hs.add(o.handle);
                            ms.add(o.marked ? marker : null);
                            ws.add(new Where(ns.interfaceName(iface), ns.describe(iface), macs.get(iface), ns, null));
                        }
                    } catch (RuntimeException e) {
                        hs.forEach(NativeHandle::close);
                        if (marker != null) {
                            marker.close();
                        }
                        throw e;
                    }
                    return new CapturePointHandles(hs, ws, ms, marker);
                }));
            }
            return opened;
        } catch (RuntimeException e) {
            for (CapturePointHandles p : opened) {
                p.handles.forEach(NativeHandle::close);
                if (p.marker != null) {
                    p.marker.close();
                }
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
        boolean own = w.namespace() == null;
        return new Conversion.Source(w.name(), h.interfaceName(), w.description(),
                own && (w.opened() == null || w.opened().isJvmNamespace()), w.mac(), h.linkType(), spec.snaplen(),
                nativeFiles.get(i), startOffset, limit, spec.filter().orElse(null), stats,
                !own ? InterfaceIndexes.in(w.namespace())
                        : w.opened() != null ? InterfaceIndexes.in(w.opened()) : InterfaceIndexes.inCallingThread());
    }

    /**
     * The namespace the capture's own handles are opened in ({@link PinnedNamespace}), or null
     * when it cannot be held (no JNA, no {@code /proc}): then the ifindexes are looked up by the
     * converting thread, as before namespaces were pinned, rather than failing the capture.
     */
    private static PinnedNamespace pinned(boolean jvmNamespace) {
        try {
            return jvmNamespace ? PinnedNamespace.jvm() : PinnedNamespace.ofCallingThread();
        } catch (CaptureException | LinkageError e) {
            return null;
        }
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

    /** Why writing handle {@code i}'s native file failed, or empty (after {@link #stop()}: as it was then). */
    java.util.Optional<String> writeFailure(int i) {
        String[] f = failuresAtStop;
        return f != null ? java.util.Optional.ofNullable(f[i]) : handles.get(i).writeFailure();
    }

    /** When writing handle {@code i}'s native file failed (nanos since the epoch), or -1. */
    long writeFailedNanos(int i) {
        long[] f = failedNanosAtStop;
        return f != null ? f[i] : handles.get(i).writeFailedNanos();
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

    /**
     * libpcap counters per handle (received, kernel drops, interface drops), without the copies
     * of the engine's own markers. Synchronized with {@link #mark}, so a marker is counted here
     * exactly when the kernel counted it.
     */
    synchronized long[][] stats() {
        if (statsAtStop != null) {
            return statsAtStop;
        }
        long[][] s = new long[handles.size()][];
        for (int i = 0; i < handles.size(); i++) {
            s[i] = handles.get(i).stats();
            s[i][0] = Math.max(0, s[i][0] - markerCopies[i]);
        }
        return s;
    }

    /** Per handle, where its next native record goes (see {@link NativeHandle#position()}), 0 if unknown. */
    long[] positions() {
        long[] p = new long[handles.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.max(0, handles.get(i).position());
        }
        return p;
    }

    /**
     * A point in the capture: per handle, the sequence number of the marker sent to it and where
     * its native file stood before (or {@link Long#MIN_VALUE}: this handle sees no marker).
     */
    static final class Mark {
        final long[] sequence;
        final long[] from;
        /** When the marks were sent (nanos since the epoch). */
        final long sentNanos;
        /** Whether fillers followed the markers (their blocks are being handed over already). */
        final boolean filled;

        Mark(long[] sequence, long[] from, long sentNanos, boolean filled) {
            this.sequence = sequence;
            this.from = from;
            this.sentNanos = sentNanos;
            this.filled = filled;
        }

        boolean coversAll() {
            for (long s : sequence) {
                if (s == Long.MIN_VALUE) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Sends a marker through each marker socket (fillers too when {@code fillers} and the snaplen
     * lets them fill a ring block: the block is then handed over at once, not at the read timeout;
     * never under a native size cap, where the fillers' 128 KiB would take the room of packets).
     */
    synchronized Mark mark(boolean fillers) {
        long[] seq = new long[handles.size()];
        long[] from = positions();
        java.util.Arrays.fill(seq, Long.MIN_VALUE);
        boolean fill = fillers && pushable(spec, nativeCap);
        java.util.Map<Marker, Long> sent = new java.util.IdentityHashMap<>();
        for (int i = 0; i < handles.size(); i++) {
            Marker m = markers[i];
            if (m == null || statsAtStop != null) {
                continue;
            }
            Long s = sent.get(m);
            if (s == null) {
                try {
                    s = m.send(fill);
                } catch (java.io.UncheckedIOException e) {
                    s = Long.MIN_VALUE;   // e.g. lo down in a namespace: wait for the read timeout
                }
                sent.put(m, s);
            }
            if (s != Long.MIN_VALUE) {
                seq[i] = s;
                // the kernel queues both copies of a loopback datagram (outgoing, incoming) to lo and any
                markerCopies[i] += 2L * Marker.datagrams(fill);
            }
        }
        return new Mark(seq, from, nowNanos(), fill);

    }

    /**
     * Waits until every packet the kernel queued before {@code mark} is in the native files:
     * each handle's marker seen in its file (a marker sent without fillers that is not there at
     * the first look is pushed out with fillers then; one sent with fillers, after the spec's read
     * timeout); for handles without one (or whose
     * marker does not come, e.g. lost in a full ring), twice the read timeout after the mark and
     * then the loops idle (see {@link #awaitLoopsIdle}).
     */
    void settle(Mark mark) {
        long timeout = 2 * spec.readTimeout().toMillis();
        boolean seen = awaitMarkers(mark, timeout + 500);
        if (!seen && pushedHandles()) {
            // A marker that did not come (e.g. dropped by a full ring) leaves the block holding the
            // tail to the 1 s kernel timeout of a pushed handle: mark again, with fillers, so the
            // block is handed over now; if that one does not come either, wait out the kernel timeout.
            Mark again = mark(true);
            seen = awaitMarkers(again, timeout + 500);
            if (!seen) {
                long left = (PUSHED_READ_TIMEOUT_MS + timeout) * 1_000_000L - (nowNanos() - again.sentNanos);
                if (left > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(left);
                }
            }
        }
        if (!seen || !mark.coversAll()) {
            long left = timeout * 1_000_000L - (nowNanos() - mark.sentNanos);
            if (left > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(left);
            }
            awaitLoopsIdle(2000);
        }
    }

    /** Whether some handle got the long kernel read timeout because markers and fillers push its blocks. */
    private boolean pushedHandles() {
        if (!pushable(spec, nativeCap)) {
            return false;
        }
        for (Marker m : markers) {
            if (m != null) {
                return true;
            }
        }
        return false;
    }

    /** Polls the native files of the marked handles until each holds its marker; false after {@code millis}. */
    private boolean awaitMarkers(Mark mark, long millis) {
        long begin = System.nanoTime();
        long deadline = begin + millis * 1_000_000L;
        // A marker sent alone (a slice's end, on the test's thread) sits in a partly filled block
        // that the kernel keeps for up to its 1 s timeout: once a first look did not find it, push
        // that block out now. Waiting the read timeout first (as before) only spared the fillers
        // where traffic filled the block within it, and made every kept slice's file 10 ms later.
        long pushAt = mark.filled ? begin + spec.readTimeout().toNanos() : begin;
        boolean pushed = false;
        List<MarkerScan> scans = new ArrayList<>();
        for (int i = 0; i < handles.size(); i++) {
            if (mark.sequence[i] != Long.MIN_VALUE) {
                scans.add(new MarkerScan(i, mark.sequence[i], mark.from[i]));
            }
        }
        try {
            while (!scans.isEmpty()) {
                for (java.util.Iterator<MarkerScan> it = scans.iterator(); it.hasNext();) {
                    MarkerScan s = it.next();
                    NativeHandle h = handles.get(s.handle);
                    h.flush();
                    // a handle that stopped writing (size cap, full disk) writes no marker: nothing to wait for
                    if (s.found(nativeFiles.get(s.handle), h.linkType()) || h.capReached()
                            || h.writeFailure().isPresent()) {
                        it.remove();
                    }
                }
                if (scans.isEmpty()) {
                    return true;
                }
                long now = System.nanoTime();
                if (now > deadline) {
                    return false;
                }
                if (!pushed && now >= pushAt) {
                    pushed = true;
                    push(scans);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;   // a file gone or unreadable: the timed wait applies
        }
    }

    /**
     * Sends fillers through the marker sockets of the handles still waiting for their marker: the
     * ring block holding it is handed over now, not at the read timeout. Like {@link #mark}, it
     * counts the copies the kernel sees, so {@link #stats()} leaves them out.
     */
    private synchronized void push(List<MarkerScan> waiting) {
        if (!pushable(spec, nativeCap) || statsAtStop != null) {
            return;
        }
        java.util.Set<Marker> sent = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (MarkerScan s : waiting) {
            Marker m = markers[s.handle];
            if (m != null && !sent.contains(m)) {
                try {
                    m.sendFillers();
                    sent.add(m);
                } catch (java.io.UncheckedIOException e) {
                    // e.g. lo went down: this handle's marker comes at the read timeout, or the timed wait applies
                }
            }
        }
        for (int i = 0; i < markers.length; i++) {
            if (markers[i] != null && sent.contains(markers[i])) {
                markerCopies[i] += 2L * Marker.FILLERS;
            }
        }
    }

    /** Reads one native file forward from where it stood at the mark, looking for one marker. */
    private static final class MarkerScan {
        final int handle;
        final long sequence;
        long offset;
        private ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(java.nio.ByteOrder.nativeOrder());

        MarkerScan(int handle, long sequence, long from) {
            this.handle = handle;
            this.sequence = sequence;
            this.offset = Math.max(from, 24);   // the pcap file header
        }

        /** Whether the records written since the last call include the marker. */
        boolean found(Path file, int linkType) throws IOException {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
                long size = ch.size();
                while (offset + 16 <= size) {
                    buffer.clear().limit(16);
                    readFully(ch, buffer, offset);
                    int caplen = buffer.getInt(8);
                    if (caplen < 0 || caplen > (1 << 26)) {
                        return false;   // not a record boundary (the file was not ours to read): give up waiting
                    }
                    if (offset + 16 + caplen > size) {
                        return false;   // the rest of this record is still in the dumper's buffer
                    }
                    if (buffer.capacity() < caplen) {
                        buffer = ByteBuffer.allocate(Integer.highestOneBit(caplen) << 1)
                                .order(java.nio.ByteOrder.nativeOrder());
                    }
                    buffer.clear().limit(caplen);
                    readFully(ch, buffer, offset + 16);
                    offset += 16 + caplen;
                    if (Marker.sequence(linkType, buffer.array(), 0, caplen) == sequence) {
                        return true;
                    }
                }
                return false;
            }
        }

        private static void readFully(java.nio.channels.FileChannel ch, ByteBuffer b, long at) throws IOException {
            long pos = at;
            while (b.hasRemaining()) {
                int n = ch.read(b, pos);
                if (n < 0) {
                    throw new IOException("native file ended at " + pos);
                }
                pos += n;
            }
        }
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
        String[] failures = new String[handles.size()];
        long[] failedNanos = new long[handles.size()];
        for (int i = 0; i < failures.length; i++) {
            failures[i] = handles.get(i).writeFailure().orElse(null);
            failedNanos[i] = handles.get(i).writeFailedNanos();
        }
        failedNanosAtStop = failedNanos;
        failuresAtStop = failures;
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
        for (int i = 0; i < handles.size(); i++) {
            NativeHandle h = handles.get(i);
            // parked for the next capture when it may be reused and its loop surely ended
            if (poolable[i] && i < threads.size() && !threads.get(i).isAlive()) {
                HandlePool.release(h);
            } else {
                Closer.close(h);
            }
        }
        closeMarkers();
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
        closeMarkers();
        deleteNativeFiles();
        close();
    }

    /**
     * Lets go of the namespace a thread that had joined another one started the capture in (its
     * {@link PinnedNamespace} descriptor kept the namespace alive, even after {@code ip netns del});
     * the JVM's own stays open. Call after the last conversion (before or after {@link #stop()}):
     * later ifindex lookups of {@link #source} fail (packets stay on "any"). Idempotent.
     */
    void close() {
        for (Where w : where) {
            if (w.opened() != null) {
                w.opened().close();
            }
        }
    }

    private void closeMarkers() {
        for (Marker m : markers) {
            if (m != null) {
                m.close();
            }
        }
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
