package io.github.pcapunit.core.capture.spi;

import io.github.pcapunit.core.capture.CaptureResult;

import io.github.pcapunit.core.capture.internal.SliceHandle;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The part of a {@link SharedCapture} between the slice's start and its {@link #end()}: written as
 * its own pcapng, in the background, once the packets of its window have surely been handed over.
 *
 * <pre>{@code
 * CaptureSlice slice = shared.slice("test 1", Path.of("target/pcapunit/test1.pcapng"));
 * callServer();
 * CaptureResult soFar = slice.snapshot();             // waits until the packets sent so far are in, then reads them
 * CompletableFuture<CaptureResult> done = slice.end("PASSED");   // returns at once
 * }</pre>
 *
 * Thread-safe.
 */
public final class CaptureSlice implements AutoCloseable {

    private final SliceHandle handle;

    CaptureSlice(SliceHandle handle) {
        this.handle = handle;
    }

    /** The slice's name, as given to {@link SharedCapture#slice(String, Path)}. */
    public String name() {
        return handle.name();
    }

    /** The pcapng file this slice is written to. */
    public Path file() {
        return handle.file();
    }

    /** When the slice's window started. */
    public Instant start() {
        return handle.start();
    }

    /**
     * Records a journal entry ({@code PCAPUNIT_EVENT=mark}) in this slice's file,
     * e.g. {@code slice.mark("test started")}.
     *
     * @throws IllegalStateException when the slice has ended
     */
    public void mark(String message) {
        handle.mark(message);
    }

    /**
     * The slice's packets so far, written to {@link #file()} now (and rewritten at the end). Waits
     * until the packets sent before this call are in (the engine's marker seen on {@code lo} and
     * {@code any}, about a millisecond; twice the read timeout on other interfaces). Use it to
     * assert on traffic inside the test.
     *
     * @throws IllegalStateException when the slice has ended; use {@link #end()}'s result
     */
    public CaptureResult snapshot() {
        return handle.snapshot();
    }

    /**
     * Ends the window now and returns at once; the file is written in the background.
     * Idempotent: later calls return the same future.
     *
     * <pre>{@code
     * CaptureResult result = slice.end().join();   // join() waits for the file
     * }</pre>
     */
    public CompletableFuture<CaptureResult> end() {
        return handle.end(null);
    }

    /**
     * Like {@link #end()}, adding {@code comment} (e.g. the test's outcome) to the section
     * comment of the file.
     */
    public CompletableFuture<CaptureResult> end(String comment) {
        return handle.end(comment);
    }

    /**
     * Ends the window now and writes no file: for a slice nobody will read, e.g. the capture of
     * a passing test that keeps files only on failure. Nothing is waited for, read or converted,
     * so it costs microseconds; a file an earlier {@link #snapshot()} wrote is deleted. Does
     * nothing once the slice has ended ({@link #end()} wins over a later discard).
     *
     * <pre>{@code
     * if (testPassed) {
     *     slice.discard();
     * } else {
     *     slice.end("FAILED").join();
     * }
     * }</pre>
     *
     * @throws io.github.pcapunit.core.CaptureException when the snapshot's file cannot be deleted
     */
    public void discard() {
        handle.discard();
    }

    /** Same as {@link #end()}, for try-with-resources; does not wait for the file. */
    @Override
    public void close() {
        handle.end(null);
    }

    @Override
    public String toString() {
        return "CaptureSlice[" + name() + " -> " + file() + "]";
    }
}
