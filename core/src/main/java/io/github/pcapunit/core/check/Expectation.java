package io.github.pcapunit.core.check;

import io.github.pcapunit.core.CaptureException;

import io.github.pcapunit.core.analysis.CapturedTraffic;

import io.github.pcapunit.core.check.internal.Check;
import java.util.Objects;
import java.util.Optional;

/**
 * One checkable statement about captured traffic, e.g. "no dropped packets to port 1433". Made
 * by {@link TrafficExpectations} and {@link PacketExpectations}; immutable. Framework-free: the
 * AssertJ assertions and the Maven plugin's {@code capture:verify} both evaluate expectations, so
 * they fail with the same message.
 *
 * <p>An expectation about some traffic never passes just because that traffic is absent: with no
 * packet to port 1433 at all, {@code noDropsTo(1433)} fails and explains why, unless
 * {@link #allowingNoTraffic()} says that absence is fine.
 *
 * <pre>{@code
 * Optional<Violation> v = TrafficExpectations.noDropsTo(1433).check(CapturedTraffic.read(file));
 * if (v.isPresent()) {
 *     throw new IllegalStateException(v.get().message());
 * }
 * }</pre>
 */
public final class Expectation {

    private final String description;
    private final Check check;
    private final boolean allowNoTraffic;

    Expectation(String description, Check check, boolean allowNoTraffic) {
        this.description = Objects.requireNonNull(description, "description");
        this.check = Objects.requireNonNull(check, "check");
        this.allowNoTraffic = allowNoTraffic;
    }

    /**
     * Evaluates this expectation over {@code traffic}.
     *
     * <pre>{@code TrafficExpectations.complete().check(traffic).map(Violation::message).orElse("ok");}</pre>
     *
     * @return empty if it holds, else the violation with its failure message
     * @throws CaptureException if the traffic's file cannot be read
     */
    public Optional<Violation> check(CapturedTraffic traffic) {
        Objects.requireNonNull(traffic, "traffic");
        return check.evaluate(traffic, allowNoTraffic).map(message -> new Violation(description, message));
    }

    /**
     * A copy that passes when the traffic it is about was not seen at all. Use it only where no
     * traffic is a valid outcome: otherwise a firewall that eats every packet would look like a
     * pass. Expectations that are not about some traffic ({@code complete()},
     * {@code onlyTalksTo(...)}, {@code noTrafficTo(...)}) are unaffected.
     *
     * <pre>{@code TrafficExpectations.noDropsTo(1433).allowingNoTraffic().check(traffic);}</pre>
     */
    public Expectation allowingNoTraffic() {
        return new Expectation(description, check, true);
    }

    /** Whether {@link #allowingNoTraffic()} applies. */
    public boolean allowsNoTraffic() {
        return allowNoTraffic;
    }

    /** What is expected, e.g. {@code "no dropped packets to port 1433"}. */
    public String description() {
        return description;
    }

    /** The description, plus "(no traffic allowed)" when {@link #allowingNoTraffic()} applies. */
    @Override
    public String toString() {
        return allowNoTraffic ? description + " (no traffic allowed)" : description;
    }
}
