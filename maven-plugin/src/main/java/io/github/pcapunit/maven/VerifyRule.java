package io.github.pcapunit.maven;

import io.github.pcapunit.core.check.Expectation;
import io.github.pcapunit.core.check.TrafficExpectations;
import io.github.pcapunit.maven.internal.Rules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * The rules of {@code capture:verify}, defined once, in evaluation order: each knows its
 * parameter (the {@link VerifyMojo} field Maven injects it into, whose Javadoc and user property
 * are the help) and the core {@link TrafficExpectations} check it stands for. The goal, the
 * report and the "no such parameter" message all take the rules from here.
 *
 * <pre>{@code
 * Rules rules = VerifyRule.configured(mojo);   // only the rules the pom sets
 * }</pre>
 *
 * <p>Adding a rule: a field in {@link VerifyMojo} and a constant here.
 */
enum VerifyRule {

    COMPLETE("complete", flag(m -> m.complete, TrafficExpectations::complete)),
    NO_DROPS("noDrops", flag(m -> m.noDrops, TrafficExpectations::noDrops)),
    NO_DROPS_TO("noDropsTo", element(m -> m.noDropsTo, NoDropsTo::configured)),
    ONLY_TALKS_TO("onlyTalksTo", element(m -> m.onlyTalksTo, OnlyTalksTo::configured)),
    NO_TRAFFIC_TO("noTrafficTo", element(m -> m.noTrafficTo, NoTrafficTo::configured)),
    ALL_ESTABLISHED("allEstablished",
            port(m -> m.allEstablished, TrafficExpectations::allEstablished)),
    NONE_RESET("noneReset", port(m -> m.noneReset, TrafficExpectations::noneReset)),
    NONE_RETRANSMITTED("noneRetransmitted",
            port(m -> m.noneRetransmitted, TrafficExpectations::noneRetransmitted)),
    ECHO_REQUESTS_ANSWERED("echoRequestsAnswered",
            flag(m -> m.echoRequestsAnswered, TrafficExpectations::echoRequestsAnswered));

    /** Reads one rule's injected value from the mojo; empty when the pom does not set it. */
    @FunctionalInterface
    private interface Reader {
        Optional<Rules.Configured> read(String parameter, VerifyMojo mojo)
                throws MojoExecutionException;
    }

    /** Makes a rule from a configured element, or says what is missing and how to write it. */
    @FunctionalInterface
    interface ElementRule<T> {
        Rules.Configured configured(T element) throws MojoExecutionException;
    }

    private final String parameter;
    private final Reader reader;

    VerifyRule(String parameter, Reader reader) {
        this.parameter = parameter;
        this.reader = reader;
    }

    /** The configuration element, e.g. {@code noDropsTo}. */
    String parameter() {
        return parameter;
    }

    /**
     * The rules the mojo's configuration sets, validated, in evaluation order.
     *
     * @throws MojoExecutionException naming the rule element as written, the problem and the fix
     */
    static Rules configured(VerifyMojo mojo) throws MojoExecutionException {
        List<Rules.Configured> rules = new ArrayList<>();
        for (VerifyRule rule : values()) {
            rule.reader.read(rule.parameter, mojo).ifPresent(rules::add);
        }
        return Rules.of(rules, mojo.allowNoTraffic);
    }

    /** {@code <complete>, <noDrops>, ...}, for messages that list the rules. */
    static String elements() {
        return Arrays.stream(values()).map(r -> "<" + r.parameter + ">")
                .collect(Collectors.joining(", "));
    }

    /** A rule switched on by {@code <parameter>true</parameter>}. */
    private static Reader flag(Function<VerifyMojo, Boolean> value, Supplier<Expectation> check) {
        return (parameter, mojo) -> Boolean.TRUE.equals(value.apply(mojo))
                ? Optional.of(new Rules.Configured(parameter, Rules.element(parameter, true), check))
                : Optional.empty();
    }

    /** A rule about one TCP port, e.g. {@code <noneReset>1433</noneReset>}. */
    private static Reader port(Function<VerifyMojo, Integer> value, IntFunction<Expectation> check) {
        return (parameter, mojo) -> Optional.ofNullable(value.apply(mojo))
                .map(port -> new Rules.Configured(parameter + "(port " + port + ")",
                        Rules.element(parameter, port),
                        () -> check.apply(port)));
    }

    /** A rule with nested elements, e.g. {@code <noDropsTo><port>1433</port></noDropsTo>}. */
    private static <T> Reader element(Function<VerifyMojo, T> value, ElementRule<T> rule) {
        return (parameter, mojo) -> {
            T element = value.apply(mojo);
            return element == null ? Optional.empty() : Optional.of(rule.configured(element));
        };
    }
}
