package io.github.pcapunit.assertions;

import io.github.pcapunit.assertions.internal.Navigation;
import io.github.pcapunit.assertions.internal.Verdicts;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.check.Expectation;
import io.github.pcapunit.core.check.TrafficExpectations;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Assertions over {@link CapturedTraffic}; each delegates to a core {@link Expectation}, so the
 * failure message is the one {@code capture:verify} prints too. Extend it to add your own.
 *
 * <pre>{@code
 * assertThat(CapturedTraffic.read(file))
 *         .hasNoDroppedPacketsTo(1433)
 *         .onlyTalksTo("127.0.0.0/8", "::1")
 *         .isComplete();
 * }</pre>
 *
 * @param <SELF> the concrete assert type, returned for chaining
 */
public abstract class AbstractCapturedTrafficAssert<SELF extends AbstractCapturedTrafficAssert<SELF>>
        extends AbstractAssert<SELF, CapturedTraffic> {

    SoftAssertionsProvider soft;
    private boolean allowNoTraffic;

    /** An assert over {@code actual}; {@code selfType} is the concrete class. */
    protected AbstractCapturedTrafficAssert(CapturedTraffic actual, Class<?> selfType) {
        super(actual, selfType);
    }

    /**
     * Lets the following assertions pass when the traffic they are about was not seen at all.
     * Without it, "no drops to port 1433" with no packet to port 1433 fails: a firewall that
     * eats every packet must not look like success.
     *
     * <pre>{@code assertThat(traffic).allowingNoTraffic().hasNoDroppedPacketsTo(1433);}</pre>
     */
    public SELF allowingNoTraffic() {
        allowNoTraffic = true;
        return myself;
    }

    /**
     * Verifies that no packet to {@code port} was dropped: no unanswered or refused connection
     * attempt, no ICMP unreachable, no kernel or firewall drop; and that traffic to the port was
     * seen at all (see {@link #allowingNoTraffic()}).
     *
     * <pre>{@code assertThat(traffic).hasNoDroppedPacketsTo(1433);}</pre>
     *
     * @throws AssertionError naming each drop with its evidence
     */
    public SELF hasNoDroppedPacketsTo(int port) {
        return satisfies(TrafficExpectations.noDropsTo(port));
    }

    /**
     * Verifies that no packet to {@code host}:{@code port} was dropped ({@code host} numeric).
     *
     * <pre>{@code assertThat(traffic).hasNoDroppedPacketsTo("10.0.1.20", 1433);}</pre>
     *
     * @throws AssertionError naming each drop with its evidence
     */
    public SELF hasNoDroppedPacketsTo(String host, int port) {
        return satisfies(TrafficExpectations.noDropsTo(host, port));
    }

    /**
     * Verifies that {@code host}:{@code port} is reachable: at least one flow to it was seen and
     * none failed (a client's own early reset is no failure). The message leads with the
     * destination's diagnosis — the seed's "ping passes, TCP 1433 does not" in one assertion:
     * "10.0.1.20: ICMP echo answered (the network path works); port 1433: ... was dropped on this
     * host ... — the cause is on this host, not the server."
     *
     * <pre>{@code assertThat(traffic).isReachable("10.0.1.20", 1433);}</pre>
     *
     * @throws AssertionError with the diagnosis, each failed flow's verdict and evidence
     */
    public SELF isReachable(String host, int port) {
        return satisfies(TrafficExpectations.reachable(host, port));
    }

    /**
     * Verifies that nothing at all was dropped, capture loss included.
     *
     * <pre>{@code assertThat(traffic).hasNoDrops();}</pre>
     *
     * @throws AssertionError naming each drop with its evidence
     */
    public SELF hasNoDrops() {
        return satisfies(TrafficExpectations.noDrops());
    }

    /**
     * Verifies that the capture itself lost nothing (no kernel-buffer or interface drops, not
     * cut by the size cap).
     *
     * <pre>{@code assertThat(traffic).isComplete();}</pre>
     *
     * @throws AssertionError stating what was lost
     */
    public SELF isComplete() {
        return satisfies(TrafficExpectations.complete());
    }

    /**
     * Verifies that every IP packet has its source or destination in {@code hostsOrNetworks}
     * (numeric addresses or CIDR networks).
     *
     * <pre>{@code assertThat(traffic).onlyTalksTo("127.0.0.0/8", "::1");}</pre>
     *
     * @throws AssertionError listing the other flows
     * @throws IllegalArgumentException naming an entry that is not an address or network
     */
    public SELF onlyTalksTo(String... hostsOrNetworks) {
        return satisfies(TrafficExpectations.onlyTalksTo(hostsOrNetworks));
    }

    /**
     * Verifies that no IP packet goes to {@code hostOrNetwork}.
     *
     * <pre>{@code assertThat(traffic).hasNoTrafficTo("10.0.0.0/8");}</pre>
     *
     * @throws AssertionError listing the flows found
     */
    public SELF hasNoTrafficTo(String hostOrNetwork) {
        return satisfies(TrafficExpectations.noTrafficTo(hostOrNetwork));
    }

    /**
     * Verifies that no TCP/UDP packet goes to {@code hostOrNetwork}:{@code port}.
     *
     * <pre>{@code assertThat(traffic).hasNoTrafficTo("10.200.1.20", 25);}</pre>
     *
     * @throws AssertionError listing the flows found
     */
    public SELF hasNoTrafficTo(String hostOrNetwork, int port) {
        return satisfies(TrafficExpectations.noTrafficTo(hostOrNetwork, port));
    }

    /**
     * Verifies any core {@link Expectation}; {@link #allowingNoTraffic()} applies to it.
     *
     * <pre>{@code assertThat(traffic).satisfies(TrafficExpectations.noneRetransmitted(443));}</pre>
     *
     * @throws AssertionError with the expectation's failure message
     */
    public SELF satisfies(Expectation expectation) {
        isNotNull();
        Verdicts.failure(expectation, actual, allowNoTraffic).ifPresent(this::throwAssertionError);
        return myself;
    }

    /**
     * The packets, for count and content assertions; narrow them with
     * {@link PacketsAssert#matching(String)}.
     *
     * <pre>{@code assertThat(traffic).packets().matching("tcp port 1433").isNotEmpty();}</pre>
     */
    public PacketsAssert packets() {
        isNotNull();
        PacketsAssert sub = Navigation.create(soft, PacketsAssert.class, CapturedTraffic.class, actual,
                PacketsAssert::new, this);
        sub.soft = soft;
        return sub;
    }

    /**
     * The TCP connections; narrow them to a server port with {@link ConnectionsAssert#to(int)}.
     *
     * <pre>{@code assertThat(traffic).connections().to(1433).allEstablished().noneReset();}</pre>
     */
    public ConnectionsAssert connections() {
        isNotNull();
        ConnectionsAssert sub = Navigation.create(soft, ConnectionsAssert.class, CapturedTraffic.class, actual,
                ConnectionsAssert::new, this);
        sub.init(soft, -1, allowNoTraffic);
        return sub;
    }

    /**
     * ICMP/ICMPv6 traffic: {@code icmp().echoRequests().allAnswered()}.
     *
     * <pre>{@code assertThat(traffic).icmp().echoRequests().allAnswered();}</pre>
     */
    public IcmpAssert icmp() {
        isNotNull();
        IcmpAssert sub = Navigation.create(soft, IcmpAssert.class, CapturedTraffic.class, actual, IcmpAssert::new,
                this);
        sub.init(soft, allowNoTraffic);
        return sub;
    }
}
