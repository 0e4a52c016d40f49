package io.github.pcapunit.core.check;

import java.util.Objects;

/**
 * A failed {@link Expectation}: which expectation, and the failure message that shows the
 * evidence ("Expecting ... to ... but ..."). The AssertJ assertions throw this message as their
 * {@code AssertionError}; the Maven plugin's {@code capture:verify} fails the build with it.
 *
 * <pre>{@code
 * TrafficExpectations.noDropsTo(1433).check(traffic)
 *         .ifPresent(v -> System.err.println(v.message()));
 * }</pre>
 */
public final class Violation {

    private final String expectation;
    private final String message;

    /**
     * A violation of the expectation described by {@code expectation}.
     *
     * @param expectation what was expected, e.g. {@code "no dropped packets to port 1433"}
     * @param message the full failure message
     */
    public Violation(String expectation, String message) {
        this.expectation = Objects.requireNonNull(expectation, "expectation");
        this.message = Objects.requireNonNull(message, "message");
    }

    /** What was expected, e.g. {@code "no dropped packets to port 1433"}. */
    public String expectation() {
        return expectation;
    }

    /** The failure message, several lines, evidence included. */
    public String message() {
        return message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Violation && ((Violation) o).expectation.equals(expectation)
                && ((Violation) o).message.equals(message);
    }

    @Override
    public int hashCode() {
        return expectation.hashCode() * 31 + message.hashCode();
    }

    /** The message. */
    @Override
    public String toString() {
        return message;
    }
}
