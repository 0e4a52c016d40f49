package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.capture.internal.ShutdownFinalizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureAvailability;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.spi.SharedCapture;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One JVM shutdown hook while captures run, none when none does. */
class EngineShutdownHookTest {

    @TempDir
    Path dir;

    @Test
    void hook_isRegisteredWhileAnyCaptureRuns_andRemovedWhenTheLastStops() {
        CaptureAvailability a = CaptureAvailability.check();
        Assumptions.assumeTrue(a.isAvailable(), a.reason());
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp port 9")
                .kernelEvidence(KernelEvidence.OFF).output(dir.resolve("a.pcapng")).build();
        assertThat(ShutdownFinalizer.hookRegistered()).isFalse();

        Capture first = Capture.start(spec);
        SharedCapture shared = SharedCapture.start(spec.toBuilder().output(dir.resolve("shared")).build());
        assertThat(ShutdownFinalizer.hookRegistered()).isTrue();
        first.stop();
        assertThat(ShutdownFinalizer.hookRegistered()).as("the shared capture still runs").isTrue();
        shared.close();

        assertThat(ShutdownFinalizer.hookRegistered()).isFalse();
    }
}
