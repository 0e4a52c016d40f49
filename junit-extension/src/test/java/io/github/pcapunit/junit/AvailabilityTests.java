package io.github.pcapunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.CaptureNotPermittedException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** SKIP and FAIL when no capture is possible, driven by the package-private seam. */
class AvailabilityTests {

    static final String REASON = "capture not permitted: socket: Operation not permitted "
            + "(run as root or grant CAP_NET_RAW,CAP_NET_ADMIN)";

    @TempDir
    Path out;

    @AfterEach
    void realAvailabilityAgain() {
        CaptureTrafficExtension.simulatedUnavailability = null;
    }

    static class SkipTestCases {
        static boolean ran;

        @CaptureTraffic(onUnavailable = OnUnavailable.SKIP)
        @org.junit.jupiter.api.Test
        void skipped() {
            ran = true;
        }
    }

    /** SKIP with a filter and interfaces (which libpcap would check) on tests and a whole class. */
    static class SkipWithFilterTestCases {
        static boolean ran;

        @CaptureTraffic(filter = "tcp port 28131", interfaces = "lo", onUnavailable = OnUnavailable.SKIP)
        @org.junit.jupiter.api.Test
        void first() {
            ran = true;
        }

        @CaptureTraffic(filter = "udp", onUnavailable = OnUnavailable.SKIP)
        @org.junit.jupiter.api.Test
        void second() {
            ran = true;
        }

        @CaptureTraffic(filter = "tcp port 28131", onUnavailable = OnUnavailable.SKIP, scope = Scope.CLASS)
        @org.junit.jupiter.api.Nested
        class WholeClass {
            @org.junit.jupiter.api.Test
            void third() {
                ran = true;
            }
        }
    }

    static class FailTestCases {
        static boolean ran;

        @CaptureTraffic
        @org.junit.jupiter.api.Test
        void failed() {
            ran = true;
        }
    }

    @Test
    void unavailableWithSkip_skipsWithTheReasonAsMessage_testBodyNeverRuns() {
        CaptureTrafficExtension.simulatedUnavailability = new CaptureNotPermittedException(REASON);
        SkipTestCases.ran = false;

        EngineExecutionResults results = Fixtures.run(SkipTestCases.class, out);

        results.testEvents().assertStatistics(s -> s.skipped(1).started(0));
        assertThat(results.testEvents().skipped().stream().map(e -> e.getRequiredPayload(String.class)))
                .containsExactly(REASON);
        assertThat(SkipTestCases.ran).isFalse();
    }

    @Test
    void unavailableWithSkipAndAFilter_skipsEveryTestAndClass_printingTheReasonOnce() {
        CaptureTrafficExtension.simulatedUnavailability = new CaptureNotPermittedException(REASON);
        SkipWithFilterTestCases.ran = false;

        Fixtures.Printed run = Fixtures.runPrinting(SkipWithFilterTestCases.class, out, Map.of());

        run.results().testEvents().assertStatistics(s -> s.skipped(2).started(0));
        assertThat(run.results().testEvents().skipped().stream().map(e -> e.getRequiredPayload(String.class)))
                .containsExactly(REASON, REASON);
        // The whole-class capture cannot start: its class is aborted with the reason, its test never runs.
        assertThat(run.results().containerEvents().aborted().stream().map(e -> e.getRequiredPayload(
                TestExecutionResult.class).getThrowable().orElseThrow().getMessage())).containsExactly(REASON);
        assertThat(SkipWithFilterTestCases.ran).isFalse();
        assertThat(run.pcapunitLines()).containsExactly(
                "pcapunit: skipping tests that capture (onUnavailable = SKIP): " + REASON);
    }

    @Test
    void unavailableByDefault_failsWithTheReasonAndHowToSkip_keepingTheCause() {
        CaptureNotPermittedException cause = new CaptureNotPermittedException(REASON);
        CaptureTrafficExtension.simulatedUnavailability = cause;
        FailTestCases.ran = false;

        EngineExecutionResults results = Fixtures.run(FailTestCases.class, out);

        List<Throwable> failures = results.testEvents().failed().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .collect(Collectors.toList());
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0)).isInstanceOf(CaptureException.class).hasCause(cause).hasMessage(
                "@CaptureTraffic(onUnavailable = FAIL) on " + FailTestCases.class.getName() + ".failed(): no capture "
                        + "can be made here: " + REASON + ". To skip such tests instead, use onUnavailable = SKIP or "
                        + "pcapunit.on.unavailable=SKIP.");
        assertThat(FailTestCases.ran).isFalse();
    }

    static class FailWithFilterTestCases {
        @CaptureTraffic(filter = "tcp port 28131", interfaces = "lo")
        @org.junit.jupiter.api.Test
        void failed() {
        }
    }

    @Test
    void unavailableByDefaultWithAFilter_failsWithTheUnavailabilityNotWithTheFilterCheck() {
        CaptureNotPermittedException cause = new CaptureNotPermittedException(REASON);
        CaptureTrafficExtension.simulatedUnavailability = cause;

        EngineExecutionResults results = Fixtures.run(FailWithFilterTestCases.class, out);

        assertThat(results.testEvents().failed().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow()))
                .singleElement().satisfies(t -> assertThat(t).hasCause(cause).hasMessageStartingWith(
                        "@CaptureTraffic(onUnavailable = FAIL) on " + FailWithFilterTestCases.class.getName()
                                + ".failed(): no capture can be made here: " + REASON));
    }

    @Test
    void unavailableWithSkipParameter_skipsTestsThatLeftOnUnavailableAtItsDefault() {
        CaptureTrafficExtension.simulatedUnavailability = new CaptureNotPermittedException(REASON);

        EngineExecutionResults results = Fixtures.run(FailTestCases.class, out, Map.of("pcapunit.on.unavailable", "skip"));

        results.testEvents().assertStatistics(s -> s.skipped(1).failed(0));
    }
}
