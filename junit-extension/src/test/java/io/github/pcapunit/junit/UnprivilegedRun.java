package io.github.pcapunit.junit;

import java.nio.file.Path;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Child-JVM entry point of {@link UnprivilegedRunTests}: runs the SKIP and FAIL fixtures with
 * the real availability check (no seam) and prints one line per outcome.
 */
public final class UnprivilegedRun {

    private UnprivilegedRun() {
    }

    /** {@code args[0]}: output directory. */
    public static void main(String[] args) {
        Path out = Path.of(args[0]);
        EngineExecutionResults skip = Fixtures.run(AvailabilityTests.SkipTestCases.class, out);
        skip.testEvents().skipped().stream().forEach(e -> System.out.println("SKIPPED " + e.getRequiredPayload(String.class)));
        EngineExecutionResults fail = Fixtures.run(AvailabilityTests.FailTestCases.class, out);
        fail.testEvents().failed().stream().forEach(e -> System.out.println("FAILED " + e.getRequiredPayload(
                TestExecutionResult.class).getThrowable().map(Throwable::getMessage).orElse("?")));
        fail.testEvents().succeeded().stream().forEach(e -> System.out.println("SUCCEEDED"));
        System.out.println("RAN " + AvailabilityTests.SkipTestCases.ran + " " + AvailabilityTests.FailTestCases.ran);
    }
}
