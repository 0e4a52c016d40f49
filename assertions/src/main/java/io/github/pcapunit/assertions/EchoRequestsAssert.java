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

    /** An assert over the echo requests of {@code actual}. */
    public EchoRequestsAssert(CapturedTraffic actual) {
        super(actual, EchoRequestsAssert.class);
    }

    void init(boolean allowNone) {
        this.allowNoTraffic = allowNone;
    }

    /**
     * Verifies that every echo request got an echo reply; fails when no echo request was seen,
     * unless the parent assert was {@code allowingNoTraffic()}.
     *
     * <pre>{@code assertThat(traffic).icmp().echoRequests().allAnswered();}</pre>
     */
    public EchoRequestsAssert allAnswered() {
        isNotNull();
        Verdicts.failure(TrafficExpectations.echoRequestsAnswered(), actual, allowNoTraffic)
                .ifPresent(this::throwAssertionError);
        return myself;
    }
}
