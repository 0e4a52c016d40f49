package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.capture.CaptureResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** One slice of a shared capture, behind {@code CaptureSlice}; see there for the contract. */
public interface SliceHandle {
    /** The slice's name. */
    String name();

    /** The pcapng file the slice is written to. */
    Path file();

    /** Start of the slice's window. */
    Instant start();

    /** Adds a mark journal entry to this slice. */
    void mark(String message);

    /** Settles, then writes the window so far to {@link #file()}. */
    CaptureResult snapshot();

    /** Ends the window now; the file is written in the background. Idempotent. */
    CompletableFuture<CaptureResult> end(String comment);

    /** Ends the window now and writes nothing (deleting what a snapshot wrote); no-op once ended. */
    void discard();
}
