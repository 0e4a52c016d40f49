package io.github.pcapunit.maven.internal;

import java.util.Objects;
import java.util.Optional;

/**
 * One rule's outcome: its name as shown to the user, what core says it expects, and the
 * failure message if broken.
 *
 * <pre>{@code
 * RuleResult.passed("noneReset(port 1433)", "no connection to port 1433 reset").failed();  // false
 * }</pre>
 */
public final class RuleResult {

    private final String rule;
    private final String description;
    private final String message;

    private RuleResult(String rule, String description, String message) {
        this.rule = Objects.requireNonNull(rule, "rule");
        this.description = Objects.requireNonNull(description, "description");
        this.message = message;
    }

    /** A rule that holds, e.g. {@code passed("complete", "a complete capture")}. */
    public static RuleResult passed(String rule, String description) {
        return new RuleResult(rule, description, null);
    }

    /** A broken rule with the expectation's failure message. */
    public static RuleResult failed(String rule, String description, String message) {
        return new RuleResult(rule, description, Objects.requireNonNull(message, "message"));
    }

    /** E.g. {@code noDropsTo(port 1433)}. */
    public String rule() {
        return rule;
    }

    /** Core's words for what the rule expects, e.g. {@code no dropped packets to port 1433}. */
    public String description() {
        return description;
    }

    /** Whether the rule is broken. */
    public boolean failed() {
        return message != null;
    }

    /** The assertion's message when the rule is broken. */
    public Optional<String> message() {
        return Optional.ofNullable(message);
    }
}
