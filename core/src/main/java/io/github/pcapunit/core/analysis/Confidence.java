package io.github.pcapunit.core.analysis;

/**
 * How sure a {@link Verdict} is.
 *
 * <pre>{@code
 * if (verdict.confidence() == Confidence.INFERRED) {
 *     System.out.println("probably: " + verdict.sentence());
 * }
 * }</pre>
 */
public enum Confidence {
    /** The evidence shows it directly: the packets on the wire, a kernel record naming the flow and place. */
    OBSERVED,
    /** Concluded from indirect evidence (a TTL difference, timing, a record without addresses); the evidence lines say which. */
    INFERRED;

    /** {@code observed} or {@code inferred}. */
    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
