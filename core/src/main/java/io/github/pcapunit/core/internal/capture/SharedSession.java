package io.github.pcapunit.core.internal.capture;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.CaptureSpec;
import java.nio.file.Path;

/** A shared capture behind {@code SharedCapture}. */
public final class SharedSession {

    private final CaptureSpec spec;

    private SharedSession(CaptureSpec spec) {
        this.spec = spec;
    }

    /** Validates, opens and starts. */
    public static SharedSession start(CaptureSpec spec) {
        SpecValidation.validate(spec);
        // TODO(engine): replaced by the engine in the next commit.
        throw new CaptureException("shared capture not wired yet");
    }

    public CaptureSpec spec() {
        return spec;
    }

    public boolean isRunning() {
        return false;
    }

    public SliceHandle slice(String name, Path output) {
        throw new IllegalStateException("shared capture not wired yet");
    }

    public void close() {
    }
}
