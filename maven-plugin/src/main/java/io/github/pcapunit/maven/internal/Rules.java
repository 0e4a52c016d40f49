package io.github.pcapunit.maven.internal;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.check.Expectation;
import io.github.pcapunit.core.check.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * The configured rules of {@code capture:verify} as core {@link Expectation}s — the same
 * framework-free checks behind the AssertJ assertions, so the messages are identical. Every
 * rule is built (and so validated) before the capture is read.
 *
 * <pre>{@code
 * Rules rules = Rules.of(List.of(new Rules.Configured("noneReset(port 1433)",
 *         "<noneReset>1433</noneReset>", () -> TrafficExpectations.noneReset(1433))), false);
 * List<RuleResult> results = rules.evaluate(CapturedTraffic.read(file));
 * }</pre>
 */
public final class Rules {

    /**
     * One rule as configured in the pom.
     *
     * @param shownAs how messages and the report name it, e.g. {@code noDropsTo(port 1433)}
     * @param asWritten the element as the pom has it, e.g. {@code <noneReset>1433</noneReset>}
     * @param check makes core's expectation; throws {@link IllegalArgumentException} for a
     *     value core refuses
     */
    public record Configured(String shownAs, String asWritten, Supplier<Expectation> check) {
    }

    private final List<String> names;
    private final List<Expectation> expectations;

    private Rules(List<String> names, List<Expectation> expectations) {
        this.names = List.copyOf(names);
        this.expectations = List.copyOf(expectations);
    }

    /**
     * The rules, validated by core.
     *
     * @param allowNoTraffic whether a rule about some traffic passes when none was captured
     * @throws MojoExecutionException naming the rule element as written and core's reason
     */
    public static Rules of(List<Configured> configured, boolean allowNoTraffic)
            throws MojoExecutionException {
        List<String> names = new ArrayList<>();
        List<Expectation> expectations = new ArrayList<>();
        for (Configured rule : configured) {
            Expectation e;
            try {
                e = rule.check().get();
            } catch (IllegalArgumentException ex) {
                throw new MojoExecutionException(rule.asWritten() + " is refused: "
                        + ex.getMessage(), ex);
            }
            names.add(rule.shownAs());
            expectations.add(allowNoTraffic ? e.allowingNoTraffic() : e);
        }
        return new Rules(names, expectations);
    }

    /**
     * A configuration element as the pom has it, for messages: {@code element("noDropsTo",
     * element("port", 1433))} is {@code <noDropsTo><port>1433</port></noDropsTo>}.
     *
     * @param content text and nested elements; {@code null} ones (unset) are left out
     */
    public static String element(String name, Object... content) {
        StringBuilder xml = new StringBuilder("<").append(name).append('>');
        for (Object c : content) {
            if (c != null) {
                xml.append(c);
            }
        }
        return xml.append("</").append(name).append('>').toString();
    }

    /** {@link #element(String, Object...)} of {@code value}, or {@code null} when it is unset. */
    public static String optional(String name, Object value) {
        return value == null ? null : element(name, value);
    }

    /** The rule names as shown to the user, e.g. {@code [complete, noDropsTo(port 1433)]}. */
    public List<String> names() {
        return names;
    }

    /** Each rule's outcome, in evaluation order. */
    public List<RuleResult> evaluate(CapturedTraffic traffic) {
        List<RuleResult> results = new ArrayList<>();
        for (int i = 0; i < expectations.size(); i++) {
            Expectation e = expectations.get(i);
            Optional<Violation> v = e.check(traffic);
            results.add(v.isPresent() ? RuleResult.failed(names.get(i), e.toString(),
                    v.get().message()) : RuleResult.passed(names.get(i), e.toString()));
        }
        return results;
    }
}
