package io.github.pcapunit.core.check;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules a build or a command line checks a capture against, defined once: each has its name
 * (the Maven parameter {@code <noDropsTo>}, the command-line option {@code --no-drops-to}), the
 * shape of its argument (a flag, a port, a host and port, a list of hosts) and the
 * {@link TrafficExpectations} check it stands for, so {@code capture:verify} and
 * {@code pcapunit check} accept the same rules and fail with the same messages as the AssertJ
 * assertions. The constants are in evaluation order.
 *
 * <pre>{@code
 * Expectation e = TrafficRule.NO_DROPS_TO.expectation(List.of(), 1433);
 * TrafficRule.NO_DROPS_TO.shownAs(List.of(), 1433);   // "noDropsTo(port 1433)"
 * e.check(CapturedTraffic.read(file)).ifPresent(v -> System.err.println(v.message()));
 * }</pre>
 *
 * <p>Adding a rule: a constant here, then its Maven parameter (a {@code VerifyMojo} field and a
 * {@code VerifyRule} constant; a test fails until both exist). The command line needs nothing.
 */
public enum TrafficRule {

    /** The capture itself lost no packet and was not cut by the size cap. */
    COMPLETE("complete", Shape.FLAG),
    /** Nothing was dropped at all, including packets the capture itself lost. */
    NO_DROPS("noDrops", Shape.FLAG),
    /** No packet to a port (on a host, if given) was dropped. */
    NO_DROPS_TO("noDropsTo", Shape.PORT_ON_HOST),
    /** Every IP packet goes to or comes from one of the hosts or networks. */
    ONLY_TALKS_TO("onlyTalksTo", Shape.HOSTS),
    /** No packet goes to a host or network (and port, if given). */
    NO_TRAFFIC_TO("noTrafficTo", Shape.HOST_WITH_PORT),
    /** Every TCP connection to a port completed its handshake. */
    ALL_ESTABLISHED("allEstablished", Shape.PORT),
    /** No TCP connection to a port was reset. */
    NONE_RESET("noneReset", Shape.PORT),
    /** No TCP connection to a port retransmitted a SYN or data. */
    NONE_RETRANSMITTED("noneRetransmitted", Shape.PORT),
    /** Every ICMP/ICMPv6 echo request got a reply. */
    ECHO_REQUESTS_ANSWERED("echoRequestsAnswered", Shape.FLAG);

    /** What a rule takes besides its name. */
    public enum Shape {
        /** Nothing: the rule is on or off, e.g. {@code complete}. */
        FLAG(false, false, 0, 0),
        /** A port, e.g. {@code noneReset 1433}. */
        PORT(true, true, 0, 0),
        /** A port, optionally on one host, e.g. {@code noDropsTo 10.0.1.20 1433}. */
        PORT_ON_HOST(true, true, 0, 1),
        /** One host or network, optionally with a port, e.g. {@code noTrafficTo 10.0.0.0/8}. */
        HOST_WITH_PORT(false, true, 1, 1),
        /** One or more hosts or networks, no port, e.g. {@code onlyTalksTo 127.0.0.0/8 ::1}. */
        HOSTS(false, false, 1, Integer.MAX_VALUE);

        private final boolean needsPort;
        private final boolean takesPort;
        private final int minHosts;
        private final int maxHosts;

        Shape(boolean needsPort, boolean takesPort, int minHosts, int maxHosts) {
            this.needsPort = needsPort;
            this.takesPort = takesPort;
            this.minHosts = minHosts;
            this.maxHosts = maxHosts;
        }

        /** Whether the rule cannot do without a port. */
        public boolean needsPort() {
            return needsPort;
        }

        /** Whether the rule takes a port at all. */
        public boolean takesPort() {
            return takesPort;
        }

        /** Whether the rule takes hosts or networks at all. */
        public boolean takesHosts() {
            return maxHosts > 0;
        }

        /** Whether the rule takes more than one host or network. */
        public boolean takesSeveralHosts() {
            return maxHosts > 1;
        }

        /** Whether the rule cannot do without a host or network. */
        public boolean needsHost() {
            return minHosts > 0;
        }
    }

    private final String parameter;
    private final Shape shape;

    TrafficRule(String parameter, Shape shape) {
        this.parameter = parameter;
        this.shape = shape;
    }

    /** The rule's name as a Maven parameter, e.g. {@code noDropsTo}. */
    public String parameter() {
        return parameter;
    }

    /** What the rule takes besides its name. */
    public Shape shape() {
        return shape;
    }

    /** The rule of that name, e.g. {@code named("noDropsTo")}; empty for an unknown name. */
    public static Optional<TrafficRule> named(String parameter) {
        return Arrays.stream(values()).filter(r -> r.parameter.equals(parameter)).findFirst();
    }

    /**
     * What the arguments lack for this rule, e.g. {@code "a port"} for {@code noDropsTo} without
     * one; empty when nothing is missing. Front-ends say it in their own syntax with an example.
     *
     * @param hosts the hosts or networks given, empty for none
     * @param port the port, {@code null} for none
     */
    public Optional<String> missing(List<String> hosts, Integer port) {
        if (shape.needsHost() && hosts.isEmpty()) {
            return Optional.of(shape.takesSeveralHosts() ? "at least one host or network"
                    : "a host or network");
        }
        if (shape.needsPort() && port == null) {
            return Optional.of("a port");
        }
        return Optional.empty();
    }

    /**
     * Core's expectation for this rule with these arguments (before {@code allowingNoTraffic}).
     *
     * <pre>{@code TrafficRule.NO_TRAFFIC_TO.expectation(List.of("10.0.0.0/8"), null);}</pre>
     *
     * @param hosts the hosts or networks, empty for none
     * @param port the port, {@code null} for none
     * @throws IllegalArgumentException when an argument is missing ({@link #missing}), one the
     *     rule does not take is given, or core refuses a value (a port out of range, a host that
     *     is not numeric), with core's reason
     */
    public Expectation expectation(List<String> hosts, Integer port) {
        Objects.requireNonNull(hosts, "hosts");
        Optional<String> missing = missing(hosts, port);
        if (missing.isPresent()) {
            throw new IllegalArgumentException(parameter + " needs " + missing.get());
        }
        if (hosts.size() > shape.maxHosts) {
            throw new IllegalArgumentException(parameter + (shape.takesHosts()
                    ? " takes one host, got " + hosts : " takes no host, got " + hosts));
        }
        if (port != null && !shape.takesPort()) {
            throw new IllegalArgumentException(parameter + " takes no port, got " + port);
        }
        String host = hosts.isEmpty() ? null : hosts.get(0);
        switch (this) {
            case COMPLETE:
                return TrafficExpectations.complete();
            case NO_DROPS:
                return TrafficExpectations.noDrops();
            case NO_DROPS_TO:
                return host == null ? TrafficExpectations.noDropsTo(port)
                        : TrafficExpectations.noDropsTo(host, port);
            case ONLY_TALKS_TO:
                return TrafficExpectations.onlyTalksTo(hosts.toArray(String[]::new));
            case NO_TRAFFIC_TO:
                return port == null ? TrafficExpectations.noTrafficTo(host)
                        : TrafficExpectations.noTrafficTo(host, port);
            case ALL_ESTABLISHED:
                return TrafficExpectations.allEstablished(port);
            case NONE_RESET:
                return TrafficExpectations.noneReset(port);
            case NONE_RETRANSMITTED:
                return TrafficExpectations.noneRetransmitted(port);
            case ECHO_REQUESTS_ANSWERED:
                return TrafficExpectations.echoRequestsAnswered();
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * How reports and results name the rule with its arguments, the same in every front-end:
     * {@code complete}, {@code noneReset(port 1433)}, {@code noDropsTo(10.0.1.20:1433)},
     * {@code noTrafficTo(10.0.0.0/8 port 5432)}, {@code onlyTalksTo[127.0.0.0/8, ::1]}.
     */
    public String shownAs(List<String> hosts, Integer port) {
        switch (shape) {
            case FLAG:
                return parameter;
            case PORT:
                return parameter + "(port " + port + ")";
            case PORT_ON_HOST:
                return parameter + "(" + (hosts.isEmpty() ? "port " + port : hosts.get(0) + ":" + port) + ")";
            case HOST_WITH_PORT:
                return parameter + "(" + String.join(", ", hosts) + (port == null ? "" : " port " + port) + ")";
            case HOSTS:
                return parameter + hosts;
            default:
                throw new AssertionError(shape);
        }
    }
}
