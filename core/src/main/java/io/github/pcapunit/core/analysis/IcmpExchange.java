package io.github.pcapunit.core.analysis;

import io.github.pcapunit.core.analysis.internal.EchoRecord;
import io.github.pcapunit.core.packet.internal.Addresses;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * An ICMP/ICMPv6 echo request and its reply, if one was seen (matched by addresses,
 * identifier and sequence number). Immutable.
 *
 * <pre>{@code
 * traffic.icmpEchoes().stream()
 *        .filter(e -> !e.isAnswered())
 *        .forEach(e -> System.out.println(e.summary()));
 *        // ICMP echo request 10.200.1.10 → 10.200.1.20 id=4711 seq=1, no reply
 * }</pre>
 */
public final class IcmpExchange {

    private final EchoRecord r;

    IcmpExchange(EchoRecord record) {
        this.r = record;
    }

    /** 4 or 6. */
    public int ipVersion() {
        return r.ipVersion;
    }

    /** Who sent the request. */
    public InetAddress source() {
        return Addresses.of(r.source, r.source.length);
    }

    /** Whom the request was sent to. */
    public InetAddress destination() {
        return Addresses.of(r.destination, r.destination.length);
    }

    /** Echo identifier. */
    public int identifier() {
        return r.identifier;
    }

    /** Echo sequence number. */
    public int sequence() {
        return r.sequence;
    }

    /** When the request was (first) sent. */
    public Instant requestTime() {
        return TcpConnection.at(r.requestNanos);
    }

    /** Frame number of the (first) request. */
    public long requestFrame() {
        return r.requestFrame;
    }

    /** How many identical requests were seen (more than 1: captured on several interfaces or resent). */
    public int requestCount() {
        return r.requestCount;
    }

    /** Whether a reply was seen. */
    public boolean isAnswered() {
        return r.answered();
    }

    /** When the reply came. */
    public Optional<Instant> replyTime() {
        return r.answered() ? Optional.of(TcpConnection.at(r.replyNanos)) : Optional.empty();
    }

    /** Frame number of the reply. */
    public Optional<Long> replyFrame() {
        return r.answered() ? Optional.of(r.replyFrame) : Optional.empty();
    }

    /** Time from request to reply. */
    public Optional<Duration> roundTrip() {
        return r.answered() ? Optional.of(Duration.ofNanos(r.replyNanos - r.requestNanos)) : Optional.empty();
    }

    /** {@code ICMP echo request 10.200.1.10 → 10.200.1.20 id=4711 seq=1, reply after 0.042 ms}. */
    public String summary() {
        String s = (r.ipVersion == 6 ? "ICMPv6" : "ICMP") + " echo request "
                + Addresses.text(r.source, r.source.length) + " \u2192 "
                + Addresses.text(r.destination, r.destination.length)
                + " id=" + r.identifier + " seq=" + r.sequence;
        if (!r.answered()) {
            return s + ", no reply";
        }
        return s + String.format(java.util.Locale.ROOT, ", reply after %.3f ms",
                (r.replyNanos - r.requestNanos) / 1e6);
    }

    @Override
    public String toString() {
        return summary();
    }
}
