package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.capture.internal.libpcap.NativeHandle;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code pcap_close} (about 25 ms each: the kernel tears down the ring) on one background
 * thread, so stopping a capture does not wait for it. The thread ends when idle (2 s); a shutdown
 * hook, registered with the first close, waits for the queue to drain, so a JVM that exits right
 * after a stop still closes every handle itself.
 */
final class Closer {

    private static final ThreadPoolExecutor EXECUTOR = new ThreadPoolExecutor(1, 1, 2, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "pcapunit-closer");
                t.setDaemon(true);
                return t;
            });

    static {
        EXECUTOR.allowCoreThreadTimeOut(true);
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> drain(2000), "pcapunit-closer-drain"));
        } catch (IllegalStateException e) {
            // first used during shutdown: ShutdownFinalizer drains it
        }
    }

    private Closer() {
    }

    static void close(NativeHandle handle) {
        EXECUTOR.execute(handle::close);
    }

    /** Waits until every queued close has run (at most {@code millis}). */
    static void drain(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while ((EXECUTOR.getActiveCount() > 0 || !EXECUTOR.getQueue().isEmpty()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
