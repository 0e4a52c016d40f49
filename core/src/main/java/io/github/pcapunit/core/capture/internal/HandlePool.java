package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.capture.internal.libpcap.NativeHandle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Handles of stopped captures in the JVM's own network namespace, parked ({@link
 * NativeHandle#park()}: they capture nothing) for the next capture with the same interface,
 * snaplen, kernel buffer and read timeout. Opening a handle costs several milliseconds of kernel
 * time (allocating and mapping the ring, an RCU grace period in {@code PACKET_RX_RING}) and
 * closing one tens of milliseconds, most of a short capture's start and stop: a test suite that
 * starts and stops a capture per test reuses one handle instead. At most {@value #MAX_PARKED}
 * handles are parked; one unused for {@value #IDLE_MILLIS} ms is closed by {@link Closer}. Only
 * handles opened by a thread in the JVM's own namespace are parked, and only such threads take
 * them ({@code Namespaces.callerInJvmNamespace()}, checked by {@link Recorder}): a thread that
 * joined another namespace opens that namespace's {@code lo}, which a parked handle would also
 * keep alive after its namespace was deleted.
 *
 * <pre>{@code
 * NativeHandle h = HandlePool.take(NativeHandle.settings("lo", 262144, 32 << 20, 1000)); // or null
 * ...
 * HandlePool.release(h);   // parked, or closed in the background when it cannot be
 * }</pre>
 */
final class HandlePool {

    static final int MAX_PARKED = 4;
    static final long IDLE_MILLIS = 2000;

    private static final List<Parked> PARKED = new ArrayList<>();
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "pcapunit-parked-handles");
        t.setDaemon(true);
        return t;
    });

    static {
        TIMER.setKeepAliveTime(1, TimeUnit.SECONDS);
        TIMER.allowCoreThreadTimeOut(true);
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private record Parked(NativeHandle handle, long sinceNanos) {
    }

    private HandlePool() {
    }

    /** A parked handle opened with {@code settings} ({@link NativeHandle#settings()}), or null. */
    static NativeHandle take(String settings) {
        synchronized (PARKED) {
            for (Iterator<Parked> it = PARKED.iterator(); it.hasNext();) {
                Parked p = it.next();
                if (p.handle.settings().equals(settings)) {
                    it.remove();
                    return p.handle;
                }
            }
        }
        return null;
    }

    /**
     * Parks {@code h}, whose loop has ended and whose dumper is closed, for a later capture; when
     * it cannot be parked, or too many are, the oldest is closed in the background.
     */
    static void release(NativeHandle h) {
        try {
            h.park();
        } catch (RuntimeException e) {
            Closer.close(h);
            return;
        }
        putBack(h);
    }

    /** Returns a handle taken but not used (still parked) to the pool. */
    static void putBack(NativeHandle h) {
        NativeHandle evicted = null;
        synchronized (PARKED) {
            PARKED.add(new Parked(h, System.nanoTime()));
            if (PARKED.size() > MAX_PARKED) {
                evicted = PARKED.remove(0).handle;
            }
        }
        if (evicted != null) {
            Closer.close(evicted);
        }
        try {
            TIMER.schedule(HandlePool::closeIdle, IDLE_MILLIS + 50, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            closeIdle();
        }
    }

    /** Closes (in the background) every handle parked for {@value #IDLE_MILLIS} ms or more. */
    private static void closeIdle() {
        List<NativeHandle> idle = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (PARKED) {
            for (Iterator<Parked> it = PARKED.iterator(); it.hasNext();) {
                Parked p = it.next();
                if (now - p.sinceNanos >= TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS)) {
                    it.remove();
                    idle.add(p.handle);
                }
            }
        }
        idle.forEach(Closer::close);
    }

    /** Closes every parked handle (in the background); for tests. */
    static void closeAll() {
        List<NativeHandle> all = new ArrayList<>();
        synchronized (PARKED) {
            PARKED.forEach(p -> all.add(p.handle));
            PARKED.clear();
        }
        all.forEach(Closer::close);
    }

    /** How many handles are parked now; for tests. */
    static int parked() {
        synchronized (PARKED) {
            return PARKED.size();
        }
    }
}
