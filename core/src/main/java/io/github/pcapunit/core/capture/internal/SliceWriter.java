package io.github.pcapunit.core.capture.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The background thread of a shared capture that writes ended slices' files one after another
 * (a daemon that ends after 2 s without work), and runs {@code whenDone} once, after the last
 * write, when it has been shut down and every write taken has finished, however long that takes:
 * a shared capture's {@code close()} waits for the writes a bounded time only, and the namespace
 * its conversions look ifindexes up in ({@code Recorder.close()}) must outlive the last one but
 * not be left to the garbage collector.
 *
 * <pre>{@code
 * SliceWriter writer = new SliceWriter(recorder::close);
 * writer.execute(() -> writeSlice(...));
 * writer.shutdown();                                  // whenDone runs after writeSlice returns
 * writer.awaitTermination(10, TimeUnit.SECONDS);      // true: whenDone has run
 * }</pre>
 */
final class SliceWriter extends ThreadPoolExecutor {

    private final Runnable whenDone;

    SliceWriter(Runnable whenDone) {
        super(1, 1, 2, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "pcapunit-slice-writer");
            t.setDaemon(true);
            return t;
        });
        this.whenDone = whenDone;
        allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code whenDone}: the executor calls this once, on the thread that finished it (the last
     * writer thread, or the one calling {@link #shutdown()} when none runs), before
     * {@link #awaitTermination} returns true.
     */
    @Override
    protected void terminated() {
        try {
            whenDone.run();
        } finally {
            super.terminated();
        }
    }
}
