package io.github.pcapunit.assertions;

import io.github.pcapunit.assertions.internal.Navigation;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Navigation to ICMP/ICMPv6 assertions.
 *
 * <pre>{@code assertThat(traffic).icmp().echoRequests().allAnswered();}</pre>
 */
public class IcmpAssert extends AbstractAssert<IcmpAssert, CapturedTraffic> {

    private SoftAssertionsProvider soft;
    private boolean allowNoTraffic;

    /** An assert over the ICMP traffic of {@code actual}. */
    public IcmpAssert(CapturedTraffic actual) {
        super(actual, IcmpAssert.class);
    }

    void init(SoftAssertionsProvider softly, boolean allowNone) {
        this.soft = softly;
        this.allowNoTraffic = allowNone;
    }

    /**
     * The ICMP/ICMPv6 echo requests ("ping") with their replies.
     *
     * <pre>{@code assertThat(traffic).icmp().echoRequests().allAnswered();}</pre>
     */
    public EchoRequestsAssert echoRequests() {
        EchoRequestsAssert sub = Navigation.create(soft, EchoRequestsAssert.class, CapturedTraffic.class, actual,
                EchoRequestsAssert::new, this);
        sub.init(allowNoTraffic);
        return sub;
    }
}
