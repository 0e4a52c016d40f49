package io.github.pcapunit.core.internal.capture;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.CaptureResult;
import io.github.pcapunit.core.CaptureSpec;
import io.github.pcapunit.core.internal.libpcap.Libpcap;
import java.nio.file.Path;
import java.util.List;

/** A standalone capture behind {@code Capture}. */
public final class CaptureSession {

    private final CaptureSpec spec;

    private CaptureSession(CaptureSpec spec) {
        this.spec = spec;
    }

    /** Validates, opens and starts. */
    public static CaptureSession start(CaptureSpec spec) {
        SpecValidation.validate(spec);
        // TODO(engine): replaced by the engine in the next commit; remove when Engine lands.
        throw new CaptureException("capture engine not wired yet");
    }

    /** Interface names libpcap offers. */
    public static List<String> interfaceNames() {
        return Libpcap.interfaceNames();
    }

    public CaptureSpec spec() {
        return spec;
    }

    public Path file() {
        throw new CaptureException("capture engine not wired yet");
    }

    public boolean isRunning() {
        return false;
    }

    public void mark(String message) {
        throw new IllegalStateException("capture engine not wired yet");
    }

    public CaptureResult snapshot() {
        throw new IllegalStateException("capture engine not wired yet");
    }

    public CaptureResult stop() {
        throw new IllegalStateException("capture engine not wired yet");
    }
}
