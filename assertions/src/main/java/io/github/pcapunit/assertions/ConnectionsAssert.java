package io.github.pcapunit.assertions;

import io.github.pcapunit.assertions.internal.Navigation;
import io.github.pcapunit.assertions.internal.Verdicts;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.check.Expectation;
import io.github.pcapunit.core.check.TrafficExpectations;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Assertions over TCP connections — all of them, or those {@link #to(int)} one server port. Each
 * fails when there is no such connection at all, unless the parent assert was
 * {@code allowingNoTraffic()}.
 *
 * <pre>{@code
 * assertThat(traffic).connections().to(1433)
 *         .allEstablished()
 *         .noneReset()
 *         .noneRetransmitted();
 * }</pre>
 */
public class ConnectionsAssert extends AbstractAssert<ConnectionsAssert, CapturedTraffic> {

    private SoftAssertionsProvider soft;
    private int port = -1;
    private boolean allowNoTraffic;

    /** An assert over all TCP connections of {@code actual}. */
    public ConnectionsAssert(CapturedTraffic actual) {
        super(actual, ConnectionsAssert.class);
    }

    void init(SoftAssertionsProvider softly, int serverPort, boolean allowNone) {
        this.soft = softly;
        this.port = serverPort;
        this.allowNoTraffic = allowNone;
    }

    /**
     * Only the connections to server port {@code port}.
     *
     * <pre>{@code assertThat(traffic).connections().to(5432).allEstablished();}</pre>
     *
     * @throws IllegalArgumentException if {@code port} is not in 0..65535
     */
    public ConnectionsAssert to(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("connections().to(" + port + "): port " + port
                    + " is out of range; use a TCP port 0..65535, e.g. connections().to(1433)");
        }
        ConnectionsAssert sub = Navigation.create(soft, ConnectionsAssert.class, CapturedTraffic.class, actual,
                ConnectionsAssert::new, this);
        sub.init(soft, port, allowNoTraffic);
        return sub;
    }

    /**
     * Verifies that every connection completed its three-way handshake.
     *
     * <pre>{@code assertThat(traffic).connections().to(1433).allEstablished();}</pre>
     */
    public ConnectionsAssert allEstablished() {
        return check(port < 0 ? TrafficExpectations.allEstablished() : TrafficExpectations.allEstablished(port));
    }

    /**
     * Verifies that no connection was reset or refused.
     *
     * <pre>{@code assertThat(traffic).connections().to(1433).noneReset();}</pre>
     */
    public ConnectionsAssert noneReset() {
        return check(port < 0 ? TrafficExpectations.noneReset() : TrafficExpectations.noneReset(port));
    }

    /**
     * Verifies that no connection retransmitted a SYN or data.
     *
     * <pre>{@code assertThat(traffic).connections().to(1433).noneRetransmitted();}</pre>
     */
    public ConnectionsAssert noneRetransmitted() {
        return check(port < 0 ? TrafficExpectations.noneRetransmitted() : TrafficExpectations.noneRetransmitted(port));
    }

    private ConnectionsAssert check(Expectation expectation) {
        isNotNull();
        Verdicts.failure(expectation, actual, allowNoTraffic).ifPresent(this::throwAssertionError);
        return myself;
    }
}
