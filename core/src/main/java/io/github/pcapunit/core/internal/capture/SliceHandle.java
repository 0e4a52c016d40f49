package io.github.pcapunit.core.internal.capture;

import io.github.pcapunit.core.CaptureResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** One slice of a shared capture, behind {@code CaptureSlice}. */
public interface SliceHandle {
    String name();

    Path file();

    Instant start();

    void mark(String message);

    CaptureResult snapshot();

    CompletableFuture<CaptureResult> end(String comment);
}
