package io.github.pcapunit.maven.internal;

import io.github.pcapunit.core.CapturedTraffic;
import io.github.pcapunit.core.Endpoint;
import io.github.pcapunit.maven.NoDropsTo;
import io.github.pcapunit.maven.OnlyTalksTo;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * The configured rules of {@code capture:verify}, checked for sane values before the capture is
 * read, then evaluated with core's framework-free expectations (the ones behind the AssertJ
 * assertions, so messages are identical).
 */
public final class Rules {

    private final List<String> names = new ArrayList<>();
    private final List<Function<CapturedTraffic, RuleResult>> checks = new ArrayList<>();

    private Rules() {
    }

    /**
     * The rules, validated.
     *
     * @throws MojoExecutionException naming the rule, the bad value and the fix
     */
    public static Rules from(NoDropsTo noDropsTo, Boolean complete, OnlyTalksTo onlyTalksTo,
            Boolean noResets, Boolean noRetransmissions, boolean allowNoTraffic) throws MojoExecutionException {
        Rules rules = new Rules();
        if (Boolean.TRUE.equals(complete)) {
            rules.add("complete", t -> Checks.complete(t));
        }
        if (noDropsTo != null) {
            Integer port = noDropsTo.getPort();
            if (port == null || port < 0 || port > 65535) {
                throw new MojoExecutionException("<noDropsTo><port>" + (port == null ? "" : port)
                        + "</port></noDropsTo> needs a port 0-65535: e.g."
                        + " <noDropsTo><port>1433</port></noDropsTo>");
            }
            String host = noDropsTo.getHost();
            if (host != null) {
                literal("<noDropsTo><host>" + host + "</host></noDropsTo>", host);
            }
            rules.add(noDropsTo.toString(), t -> Checks.noDropsTo(t, host, port, allowNoTraffic));
        }
        if (onlyTalksTo != null) {
            List<String> endpoints = onlyTalksTo.getEndpoints();
            if (endpoints.isEmpty()) {
                throw new MojoExecutionException("<onlyTalksTo> lists no endpoint: name the allowed"
                        + " peers, e.g. <onlyTalksTo><endpoints><endpoint>127.0.0.1</endpoint>"
                        + "</endpoints></onlyTalksTo>");
            }
            List<Endpoint> allowed = new ArrayList<>();
            for (String e : endpoints) {
                allowed.add(endpoint(e));
            }
            rules.add(onlyTalksTo.toString(), t -> Checks.onlyTalksTo(t, allowed));
        }
        if (Boolean.TRUE.equals(noResets)) {
            rules.add("noResets", Checks::noResets);
        }
        if (Boolean.TRUE.equals(noRetransmissions)) {
            rules.add("noRetransmissions", Checks::noRetransmissions);
        }
        return rules;
    }

    private void add(String name, Function<CapturedTraffic, String> check) {
        names.add(name);
        checks.add(t -> {
            String failure = check.apply(t);
            return failure == null ? RuleResult.passed(name) : RuleResult.failed(name, failure);
        });
    }

    /** The rule names as shown to the user, e.g. {@code [complete, noDropsTo(port 1433)]}. */
    public List<String> names() {
        return List.copyOf(names);
    }

    /** Each rule's outcome, in configuration order. */
    public List<RuleResult> evaluate(CapturedTraffic traffic) {
        List<RuleResult> results = new ArrayList<>();
        for (Function<CapturedTraffic, RuleResult> check : checks) {
            results.add(check.apply(traffic));
        }
        return results;
    }

    private static void literal(String element, String host) throws MojoExecutionException {
        try {
            Endpoint.of(host, -1);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(element + ": " + e.getMessage(), e);
        }
    }

    /** {@code 10.0.1.20}, {@code 10.0.1.20:1433}, {@code ::1}, {@code [::1]:8080}. */
    static Endpoint endpoint(String text) throws MojoExecutionException {
        String element = "<onlyTalksTo><endpoints><endpoint>" + text
                + "</endpoint></endpoints></onlyTalksTo>";
        String t = text == null ? "" : text.strip();
        try {
            int colon = t.lastIndexOf(':');
            boolean bracketed = t.startsWith("[");
            boolean v4WithPort = !bracketed && colon > 0 && t.indexOf(':') == colon;
            if (bracketed && t.contains("]:")) {
                int end = t.indexOf("]:");
                return Endpoint.of(t.substring(1, end), port(element, t.substring(end + 2)));
            }
            if (v4WithPort) {
                return Endpoint.of(t.substring(0, colon), port(element, t.substring(colon + 1)));
            }
            return Endpoint.of(t, -1);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(element + ": " + e.getMessage()
                    + "; write an address or address:port, e.g. 127.0.0.1 or [::1]:8080", e);
        }
    }

    private static int port(String element, String text) throws MojoExecutionException {
        try {
            int p = Integer.parseInt(text);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below with the element
        }
        throw new MojoExecutionException(element + ": '" + text + "' is not a port 0-65535;"
                + " write an address or address:port, e.g. 127.0.0.1 or [::1]:8080");
    }
}
