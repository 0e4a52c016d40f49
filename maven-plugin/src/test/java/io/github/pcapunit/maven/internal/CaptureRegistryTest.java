package io.github.pcapunit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaptureRegistryTest {

    @Test
    void twoProjectsSharingOneContext_keepSeparateState() {
        Map<String, Object> context = new HashMap<>();
        CaptureRegistry a = new CaptureRegistry(context, "g:a");
        CaptureRegistry b = new CaptureRegistry(context, "g:b");

        a.putRunning(new CaptureRegistry.Running(null, Path.of("a.pcapng"), "capture:start (x)"));
        b.putSkipped("skipITs is set");

        assertThat(a.running()).map(CaptureRegistry.Running::output).contains(Path.of("a.pcapng"));
        assertThat(a.skippedBecause()).isEmpty();
        assertThat(b.running()).isEmpty();
        assertThat(b.skippedBecause()).contains("skipITs is set");
    }

    @Test
    void takeRunning_removesItSoASecondStopFindsNothing() {
        CaptureRegistry r = new CaptureRegistry(new HashMap<>(), "g:a");
        r.putRunning(new CaptureRegistry.Running(null, Path.of("a.pcapng"), "capture:start (x)"));

        assertThat(r.takeRunning()).isPresent();
        assertThat(r.takeRunning()).isEmpty();
        assertThat(r.running()).isEmpty();
    }
}
