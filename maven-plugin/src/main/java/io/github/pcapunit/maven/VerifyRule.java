package io.github.pcapunit.maven;

import io.github.pcapunit.core.check.TrafficRule;
import io.github.pcapunit.maven.internal.Rules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * Where each of core's {@link TrafficRule}s lives in {@code capture:verify}'s configuration: the
 * {@link VerifyMojo} field Maven injects it into (whose Javadoc and user property are the help)
 * and how the pom writes it. What a rule takes and checks is core's, defined once for this goal
 * and the command line ({@code pcapunit check}); the goal, the report and the "no such
 * parameter" message take the rules from here, in core's evaluation order.
 *
 * <pre>{@code
 * Rules rules = VerifyRule.configured(mojo);   // only the rules the pom sets
 * }</pre>
 *
 * <p>Adding a rule: a {@link TrafficRule} constant, a field in {@link VerifyMojo} and a constant
 * here ({@code PluginDescriptorTest} fails until all three exist).
 */
enum VerifyRule {

    COMPLETE(TrafficRule.COMPLETE, flag(m -> m.complete)),
    NO_DROPS(TrafficRule.NO_DROPS, flag(m -> m.noDrops)),
    NO_DROPS_TO(TrafficRule.NO_DROPS_TO, (p, m) -> m.noDropsTo == null ? Optional.empty()
            : Optional.of(Written.of(m.noDropsTo.host, m.noDropsTo.port,
                    Rules.element(p, Rules.optional("port", m.noDropsTo.port),
                            Rules.optional("host", m.noDropsTo.host))))),
    ONLY_TALKS_TO(TrafficRule.ONLY_TALKS_TO, (p, m) -> m.onlyTalksTo == null ? Optional.empty()
            : Optional.of(new Written(m.onlyTalksTo.getHosts(), null,
                    Rules.element(p, Rules.element("hosts", m.onlyTalksTo.getHosts()
                            .stream().map(h -> Rules.element("host", h)).toArray()))))),
    NO_TRAFFIC_TO(TrafficRule.NO_TRAFFIC_TO, (p, m) -> m.noTrafficTo == null ? Optional.empty()
            : Optional.of(Written.of(m.noTrafficTo.host, m.noTrafficTo.port,
                    Rules.element(p, Rules.optional("host", m.noTrafficTo.host),
                            Rules.optional("port", m.noTrafficTo.port))))),
    ALL_ESTABLISHED(TrafficRule.ALL_ESTABLISHED, port(m -> m.allEstablished)),
    NONE_RESET(TrafficRule.NONE_RESET, port(m -> m.noneReset)),
    NONE_RETRANSMITTED(TrafficRule.NONE_RETRANSMITTED, port(m -> m.noneRetransmitted)),
    ECHO_REQUESTS_ANSWERED(TrafficRule.ECHO_REQUESTS_ANSWERED, flag(m -> m.echoRequestsAnswered));

    /** A rule's arguments as injected, and the element as the pom has it (for messages). */
    private record Written(List<String> hosts, Integer port, String asWritten) {
        static Written of(String host, Integer port, String asWritten) {
            return new Written(host == null ? List.of() : List.of(host), port, asWritten);
        }
    }

    /** Reads one rule's injected value from the mojo; empty when the pom does not set it. */
    @FunctionalInterface
    private interface Reader {
        Optional<Written> read(String parameter, VerifyMojo mojo);
    }

    private final TrafficRule rule;
    private final Reader reader;

    VerifyRule(TrafficRule rule, Reader reader) {
        this.rule = rule;
        this.reader = reader;
    }

    /** The configuration element, e.g. {@code noDropsTo}: core's name of the rule. */
    String parameter() {
        return rule.parameter();
    }

    /** Core's rule this parameter sets. */
    TrafficRule rule() {
        return rule;
    }

    /**
     * The rules the mojo's configuration sets, validated, in evaluation order.
     *
     * @throws MojoExecutionException naming the rule element as written, the problem and the fix
     */
    static Rules configured(VerifyMojo mojo) throws MojoExecutionException {
        List<Rules.Configured> rules = new ArrayList<>();
        for (VerifyRule r : values()) {
            Optional<Written> written = r.reader.read(r.parameter(), mojo);
            if (written.isEmpty()) {
                continue;
            }
            Written w = written.get();
            Optional<String> missing = r.rule.missing(w.hosts(), w.port());
            if (missing.isPresent()) {
                throw new MojoExecutionException(w.asWritten() + " needs " + missing.get()
                        + ": e.g. " + r.example());
            }
            rules.add(new Rules.Configured(r.rule.shownAs(w.hosts(), w.port()), w.asWritten(),
                    () -> r.rule.expectation(w.hosts(), w.port())));
        }
        return Rules.of(rules, mojo.allowNoTraffic);
    }

    /** {@code <complete>, <noDrops>, ...}, for messages that list the rules. */
    static String elements() {
        return Arrays.stream(values()).map(r -> "<" + r.parameter() + ">")
                .collect(Collectors.joining(", "));
    }

    /** How the pom writes this rule, e.g. {@code <noDropsTo><port>1433</port></noDropsTo>}. */
    String example() {
        String name = parameter();
        switch (rule.shape()) {
            case FLAG:
                return Rules.element(name, true);
            case PORT:
                return Rules.element(name, 1433);
            case PORT_ON_HOST:
                return Rules.element(name, Rules.element("port", 1433));
            case HOST_WITH_PORT:
                return Rules.element(name, Rules.element("host", "10.0.0.0/8"));
            case HOSTS:
                return Rules.element(name, Rules.element("hosts",
                        Rules.element("host", "127.0.0.0/8")));
            default:
                throw new AssertionError(rule.shape());
        }
    }

    /** A rule switched on by {@code <parameter>true</parameter>}. */
    private static Reader flag(Function<VerifyMojo, Boolean> value) {
        return (parameter, mojo) -> Boolean.TRUE.equals(value.apply(mojo))
                ? Optional.of(new Written(List.of(), null, Rules.element(parameter, true)))
                : Optional.empty();
    }

    /** A rule about one TCP port, e.g. {@code <noneReset>1433</noneReset>}. */
    private static Reader port(Function<VerifyMojo, Integer> value) {
        return (parameter, mojo) -> Optional.ofNullable(value.apply(mojo))
                .map(port -> new Written(List.of(), port, Rules.element(parameter, port)));
    }
}
