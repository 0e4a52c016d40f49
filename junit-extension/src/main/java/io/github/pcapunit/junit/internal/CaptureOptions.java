package io.github.pcapunit.junit.internal;

import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.junit.Keep;
import io.github.pcapunit.junit.OnUnavailable;
import io.github.pcapunit.junit.Scope;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The one options value a test's capture runs with, whether it came from {@code @CaptureTraffic},
 * from {@code CaptureTrafficExtension.builder()} or from configuration parameters: the engine's
 * {@link CaptureSpec} and the extension's own options, every gap filled and every value checked
 * by {@link OptionsResolver}.
 *
 * <pre>{@code
 * CaptureOptions options = resolver.resolve(declared, "com.example.LoginTest.login()");
 * SharedCapture.start(options.spec());
 * }</pre>
 *
 * @param origin how messages name the annotation or builder the options came from
 * @param spec what the engine captures (interfaces, filter, snaplen, buffer, kernel evidence, ...)
 * @param keep which files survive
 * @param outputDirectory existing, writable directory for the files
 * @param onUnavailable behaviour when no capture can be made here
 * @param scope one file per test or per class
 */
public record CaptureOptions(DeclaredOptions.Origin origin, CaptureSpec spec, Keep keep, Path outputDirectory,
        OnUnavailable onUnavailable, Scope scope) {

    /** Refuses missing parts: every option is resolved by now. */
    public CaptureOptions {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(keep, "keep");
        Objects.requireNonNull(outputDirectory, "outputDirectory");
        Objects.requireNonNull(onUnavailable, "onUnavailable");
        Objects.requireNonNull(scope, "scope");
    }

    /** Whether a test with this outcome keeps its file. */
    public boolean keeps(TestOutcome outcome) {
        switch (keep) {
            case ALWAYS:
                return true;
            case NEVER:
                return false;
            default:
                return outcome.failed();
        }
    }

    /**
     * The key of the shared capture these options can use: the spec itself, equal for equal specs
     * ({@code CaptureSpec} compares every option).
     */
    public CaptureSpec sharedCaptureKey() {
        return spec;
    }
}
