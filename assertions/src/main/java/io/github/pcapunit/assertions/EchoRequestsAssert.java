package io.github.pcapunit.assertions;

import io.github.pcapunit.assertions.internal.Verdicts;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.check.TrafficExpectations;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions over ICMP/ICMPv6 echo requests — the pktmon guide's "Echo Request seen, no Echo
 * Reply" case.
 *
 * <pre>{@code assertThat(traffic).icmp().echoRequests().allAnswered();}</pre>
 */
public class EchoRequestsAssert extends AbstractAssert<EchoRequestsAssert, CapturedTraffic> {

    private boolean allowNoTraffic;
    private String host;

    /** An assert over the echo requests of {@code actual}. */
    public EchoRequestsAssert(CapturedTraffic actual) {
        super(actual, EchoRequestsAssert.class);
    }

    void init(boolean allowNone) {
        this.allowNoTraffic = allowNone;
    }

    /**
     * Narrows the following assertions to the echo requests sent to {@code host} (numeric); the
     * echoes to other hosts are not looked at.
     *
     * <pre>{@code assertThat(traffic).icmp().echoRequests().to("10.0.1.20").allAnswered();}</pre>
     *
     * @throws IllegalArgumentException if {@code host} is not one numeric IP address
     */
    public EchoRequestsAssert to(String host) {
        TrafficExpectations.echoRequestsAnswered(host); // validates now, naming the bad value
        this.host = host;
        return myself;
    }

    /**
     * Verifies that every echo request got an echo reply; fails when no echo request was seen,
     * unless the parent assert was {@code allowingNoTraffic()}.
     *
     * <pre>{@code assertThat(traffic).icmp().echoRequests().allAnswered();}</pre>
     */
    public EchoRequestsAssert allAnswered() {
        isNotNull();
        Verdicts.failure(host == null ? TrafficExpectations.echoRequestsAnswered()
                        : TrafficExpectations.echoRequestsAnswered(host), actual, allowNoTraffic)
                .ifPresent(this::throwAssertionError);
        return myself;
    }
}
