package io.github.pcapunit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SkipsTest {

    @Test
    void noFlag_runs() {
        assertThat(Skips.reason(false, false, false, false)).isEmpty();
    }

    @Test
    void eachFlag_skipsAndSaysWhich() {
        assertThat(Skips.reason(true, false, false, false)).contains("capture.skip is set");
        assertThat(Skips.reason(false, true, false, false)).contains("skipITs is set");
        assertThat(Skips.reason(false, false, true, false)).contains("skipTests is set");
        assertThat(Skips.reason(false, false, false, true)).contains("maven.test.skip is set");
    }

    @Test
    void captureSkip_winsOverTheTestFlags() {
        assertThat(Skips.reason(true, true, true, true)).contains("capture.skip is set");
    }
}
