package io.github.pcapunit.core.analysis;

import io.github.pcapunit.core.packet.Flow;

import io.github.pcapunit.core.analysis.internal.UdpState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The UDP datagrams of one flow: the side that sent first is the client, its datagrams are
 * requests, the other side's are responses. Immutable.
 *
 * <pre>{@code
 * traffic.udpExchanges().stream()
 *        .filter(u -> u.flow().destination().port() == 53 && !u.isAnswered())
 *        .forEach(System.out::println);
 * }</pre>
 */
public final class UdpExchange {

    private final UdpState s;
    private final Flow flow;

    UdpExchange(UdpState state) {
        this.s = state;
        this.flow = state.flow();
    }

    /** Client → server. */
    public Flow flow() {
        return flow;
    }

    /** Datagrams from the client. */
    public long requests() {
        return s.requests;
    }

    /** Datagrams from the server. */
    public long responses() {
        return s.responses;
    }

    /** Whether the server sent anything back. */
    public boolean isAnswered() {
        return s.responses > 0;
    }

    /** ICMP destination-unreachable messages seen about this flow. */
    public long unreachableReports() {
        return s.unreachable;
    }

    /** When the first request was sent. */
    public Instant firstRequestTime() {
        return TcpConnection.at(s.firstRequestNanos);
    }

    /** When the first response came. */
    public Optional<Instant> firstResponseTime() {
        return s.firstResponseNanos < 0 ? Optional.empty() : Optional.of(TcpConnection.at(s.firstResponseNanos));
    }

    /** Time from the first request to the first response. */
    public Optional<Duration> firstResponseDelay() {
        return s.firstResponseNanos < 0 ? Optional.empty()
                : Optional.of(Duration.ofNanos(s.firstResponseNanos - s.firstRequestNanos));
    }

    /** Frame numbers of the requests (first 32). */
    public List<Long> requestFrames() {
        return TcpConnection.frames(s.requestFrames);
    }

    /** {@code UDP 127.0.0.1:40000 → 127.0.0.1:5353 2 requests, 2 responses}. */
    public String summary() {
        return flow + " " + s.requests + (s.requests == 1 ? " request, " : " requests, ")
                + s.responses + (s.responses == 1 ? " response" : " responses");
    }

    /** The analysis state behind this view (its identity keys the verdict). */
    Object state() {
        return s;
    }

    @Override
    public String toString() {
        return summary();
    }
}
