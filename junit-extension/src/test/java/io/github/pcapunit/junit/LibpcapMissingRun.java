package io.github.pcapunit.junit;

import java.nio.file.Path;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Child-JVM entry point of {@link LibpcapMissingRunTests}: runs the SKIP and FAIL fixtures, with
 * and without a filter, where libpcap cannot be loaded, and prints one line per outcome.
 */
public final class LibpcapMissingRun {

    private LibpcapMissingRun() {
    }

    /** {@code args[0]}: output directory. */
    public static void main(String[] args) {
        Path out = Path.of(args[0]);
        for (Class<?> fixture : new Class<?>[] {AvailabilityTests.SkipTestCases.class,
                AvailabilityTests.SkipWithFilterTestCases.class, AvailabilityTests.FailWithFilterTestCases.class}) {
            EngineExecutionResults results = Fixtures.run(fixture, out);
            results.testEvents().skipped().stream().forEach(e -> System.out.println("SKIPPED "
                    + e.getTestDescriptor().getDisplayName() + " " + e.getRequiredPayload(String.class)));
            results.allEvents().aborted().stream().forEach(e -> System.out.println("ABORTED "
                    + e.getTestDescriptor().getDisplayName() + " " + message(e.getRequiredPayload(TestExecutionResult.class))));
            results.allEvents().failed().stream().forEach(e -> System.out.println("FAILED "
                    + e.getTestDescriptor().getDisplayName() + " " + message(e.getRequiredPayload(TestExecutionResult.class))));
            results.testEvents().succeeded().stream().forEach(e -> System.out.println("SUCCEEDED "
                    + e.getTestDescriptor().getDisplayName()));
        }
        System.out.println("RAN " + AvailabilityTests.SkipTestCases.ran + " " + AvailabilityTests.SkipWithFilterTestCases.ran);
    }

    private static String message(TestExecutionResult result) {
        return result.getThrowable().map(t -> t.getClass().getSimpleName() + ": " + t.getMessage()).orElse("?");
    }
}
