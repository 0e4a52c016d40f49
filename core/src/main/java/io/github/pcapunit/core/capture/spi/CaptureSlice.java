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
 * CaptureResult soFar = slice.snapshot();             // waits ~20 ms, then reads what was captured
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
     * for packets sent before this call to be handed over (twice the read timeout). Use it to
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
