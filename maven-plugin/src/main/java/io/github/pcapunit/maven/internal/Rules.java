package io.github.pcapunit.maven.internal;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.check.Expectation;
import io.github.pcapunit.core.check.TrafficExpectations;
import io.github.pcapunit.core.check.Violation;
import io.github.pcapunit.maven.NoDropsTo;
import io.github.pcapunit.maven.NoTrafficTo;
import io.github.pcapunit.maven.OnlyTalksTo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * The configured rules of {@code capture:verify} as core {@link Expectation}s — the same
 * framework-free checks behind the AssertJ assertions, so the messages are identical. Every
 * rule is built (and so validated) before the capture is read.
 */
public final class Rules {

    /** The rule parameters as Maven injected them; {@code null} or {@code false}: not set. */
    public static final class Config {
        public Boolean complete;
        public Boolean noDrops;
        public NoDropsTo noDropsTo;
        public OnlyTalksTo onlyTalksTo;
        public NoTrafficTo noTrafficTo;
        public Integer allEstablished;
        public Integer noneReset;
        public Integer noneRetransmitted;
        public Boolean echoRequestsAnswered;
        public boolean allowNoTraffic;
    }

    private final List<String> names = new ArrayList<>();
    private final List<Expectation> expectations = new ArrayList<>();

    private Rules() {
    }

    /**
     * The rules, validated.
     *
     * @throws MojoExecutionException naming the rule element, the bad value and the fix
     */
    public static Rules from(Config c) throws MojoExecutionException {
        Rules rules = new Rules();
        if (Boolean.TRUE.equals(c.complete)) {
            rules.add("complete", "<complete>true</complete>", TrafficExpectations::complete, c);
        }
        if (Boolean.TRUE.equals(c.noDrops)) {
            rules.add("noDrops", "<noDrops>true</noDrops>", TrafficExpectations::noDrops, c);
        }
        if (c.noDropsTo != null) {
            NoDropsTo r = c.noDropsTo;
            String element = "<noDropsTo>" + (r.getPort() == null ? "" : "<port>" + r.getPort()
                    + "</port>") + (r.getHost() == null ? "" : "<host>" + r.getHost() + "</host>")
                    + "</noDropsTo>";
            if (r.getPort() == null) {
                throw new MojoExecutionException(element + " needs a port: e.g."
                        + " <noDropsTo><port>1433</port></noDropsTo>");
            }
            rules.add(r.toString(), element, () -> r.getHost() == null
                    ? TrafficExpectations.noDropsTo(r.getPort())
                    : TrafficExpectations.noDropsTo(r.getHost(), r.getPort()), c);
        }
        if (c.onlyTalksTo != null) {
            OnlyTalksTo r = c.onlyTalksTo;
            String element = "<onlyTalksTo><hosts>" + r.getHosts().stream()
                    .map(h -> "<host>" + h + "</host>").reduce("", String::concat)
                    + "</hosts></onlyTalksTo>";
            if (r.getHosts().isEmpty()) {
                throw new MojoExecutionException(element + " lists no host: name the allowed"
                        + " hosts or networks, e.g. <onlyTalksTo><hosts><host>127.0.0.0/8</host>"
                        + "</hosts></onlyTalksTo>");
            }
            rules.add(r.toString(), element,
                    () -> TrafficExpectations.onlyTalksTo(r.getHosts().toArray(String[]::new)), c);
        }
        if (c.noTrafficTo != null) {
            NoTrafficTo r = c.noTrafficTo;
            String element = "<noTrafficTo>" + (r.getHost() == null ? "" : "<host>" + r.getHost()
                    + "</host>") + (r.getPort() == null ? "" : "<port>" + r.getPort() + "</port>")
                    + "</noTrafficTo>";
            if (r.getHost() == null) {
                throw new MojoExecutionException(element + " needs a host or network: e.g."
                        + " <noTrafficTo><host>10.0.0.0/8</host></noTrafficTo>");
            }
            rules.add(r.toString(), element, () -> r.getPort() == null
                    ? TrafficExpectations.noTrafficTo(r.getHost())
                    : TrafficExpectations.noTrafficTo(r.getHost(), r.getPort()), c);
        }
        if (c.allEstablished != null) {
            rules.add("allEstablished(port " + c.allEstablished + ")", "<allEstablished>"
                    + c.allEstablished + "</allEstablished>",
                    () -> TrafficExpectations.allEstablished(c.allEstablished), c);
        }
        if (c.noneReset != null) {
            rules.add("noneReset(port " + c.noneReset + ")", "<noneReset>" + c.noneReset
                    + "</noneReset>", () -> TrafficExpectations.noneReset(c.noneReset), c);
        }
        if (c.noneRetransmitted != null) {
            rules.add("noneRetransmitted(port " + c.noneRetransmitted + ")", "<noneRetransmitted>"
                    + c.noneRetransmitted + "</noneRetransmitted>",
                    () -> TrafficExpectations.noneRetransmitted(c.noneRetransmitted), c);
        }
        if (Boolean.TRUE.equals(c.echoRequestsAnswered)) {
            rules.add("echoRequestsAnswered", "<echoRequestsAnswered>true</echoRequestsAnswered>",
                    TrafficExpectations::echoRequestsAnswered, c);
        }
        return rules;
    }

    private void add(String name, String element, Supplier<Expectation> factory, Config c)
            throws MojoExecutionException {
        Expectation e;
        try {
            e = factory.get();
        } catch (IllegalArgumentException ex) {
            throw new MojoExecutionException(element + " is refused: " + ex.getMessage(), ex);
        }
        names.add(name);
        expectations.add(c.allowNoTraffic ? e.allowingNoTraffic() : e);
    }

    /** The rule names as shown to the user, e.g. {@code [complete, noDropsTo(port 1433)]}. */
    public List<String> names() {
        return List.copyOf(names);
    }

    /** Each rule's outcome, in evaluation order. */
    public List<RuleResult> evaluate(CapturedTraffic traffic) {
        List<RuleResult> results = new ArrayList<>();
        for (int i = 0; i < expectations.size(); i++) {
            Optional<Violation> v = expectations.get(i).check(traffic);
            results.add(v.isPresent() ? RuleResult.failed(names.get(i), v.get().message())
                    : RuleResult.passed(names.get(i)));
        }
        return results;
    }
}
