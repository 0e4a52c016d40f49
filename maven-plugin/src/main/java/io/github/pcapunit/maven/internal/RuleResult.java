package io.github.pcapunit.maven.internal;

import java.util.Optional;

/** One rule's outcome: its name as shown to the user, and the failure message if broken. */
public final class RuleResult {

    private final String rule;
    private final String message;

    private RuleResult(String rule, String message) {
        this.rule = rule;
        this.message = message;
    }

    /** A rule that holds, e.g. {@code passed("complete")}. */
    public static RuleResult passed(String rule) {
        return new RuleResult(rule, null);
    }

    /** A broken rule with the expectation's failure message. */
    public static RuleResult failed(String rule, String message) {
        return new RuleResult(rule, message);
    }

    /** E.g. {@code noDropsTo(port 1433)}. */
    public String rule() {
        return rule;
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
