package io.github.pcapunit.junit.internal;

import java.util.Optional;
import org.opentest4j.TestAbortedException;

/**
 * How a test ended, as recorded in the section comment: passed, failed (with the first line of
 * the failure) or aborted.
 *
 * @param kind passed, failed or aborted
 * @param detail the exception's one-line summary, empty when passed
 */
public record TestOutcome(Kind kind, String detail) {

    /** The three ways a test ends. */
    public enum Kind { PASSED, FAILED, ABORTED }

    /** The outcome of {@code executionException} as given by {@code ExtensionContext}. */
    public static TestOutcome of(Optional<Throwable> executionException) {
        if (executionException.isEmpty()) {
            return new TestOutcome(Kind.PASSED, "");
        }
        Throwable t = executionException.get();
        String message = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
        String detail = t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
        return new TestOutcome(t instanceof TestAbortedException ? Kind.ABORTED : Kind.FAILED, detail);
    }

    /** Whether the test failed (aborted tests did not). */
    public boolean failed() {
        return kind == Kind.FAILED;
    }

    /** {@code passed}, {@code failed: AssertionError: ...} or {@code aborted: ...}. */
    @Override
    public String toString() {
        String name = kind.name().toLowerCase(java.util.Locale.ROOT);
        return detail.isEmpty() ? name : name + ": " + detail;
    }
}
