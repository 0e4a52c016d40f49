package io.github.pcapunit.core.packet;

import java.util.Objects;

/**
 * A directed flow: protocol, source endpoint and destination endpoint (the 4-tuple plus
 * protocol). For a TCP connection the source is the side that sent the first SYN. Immutable.
 * Printed as {@code TCP 10.0.1.10:50122 → 10.0.1.20:1433}.
 *
 * <pre>{@code
 * Flow f = Flow.of(IpProtocol.TCP, Endpoint.of("10.0.1.10", 50122), Endpoint.of("10.0.1.20", 1433));
 * f.destination().port();   // 1433
 * f.reversed();             // TCP 10.0.1.20:1433 → 10.0.1.10:50122
 * }</pre>
 */
public final class Flow {

    private final IpProtocol protocol;
    private final Endpoint source;
    private final Endpoint destination;

    private Flow(IpProtocol protocol, Endpoint source, Endpoint destination) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.source = Objects.requireNonNull(source, "source");
        this.destination = Objects.requireNonNull(destination, "destination");
    }

    /** A flow from {@code source} to {@code destination}. */
    public static Flow of(IpProtocol protocol, Endpoint source, Endpoint destination) {
        return new Flow(protocol, source, destination);
    }

    /** The transport protocol. */
    public IpProtocol protocol() {
        return protocol;
    }

    /** Where the flow starts (the client of a TCP connection). */
    public Endpoint source() {
        return source;
    }

    /** Where the flow goes (the server of a TCP connection). */
    public Endpoint destination() {
        return destination;
    }

    /** The same flow seen from the other side. */
    public Flow reversed() {
        return new Flow(protocol, destination, source);
    }

    /** Whether either endpoint uses {@code port}. */
    public boolean involvesPort(int port) {
        return source.port() == port || destination.port() == port;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Flow)) {
            return false;
        }
        Flow f = (Flow) o;
        return protocol == f.protocol && source.equals(f.source) && destination.equals(f.destination);
    }

    @Override
    public int hashCode() {
        // the protocol's ordinal, not the enum's identity hash: the same flows hash alike in every
        // JVM, so whatever iterates a hash table of flows lists them in the same order every run
        return (protocol.ordinal() * 31 + source.hashCode()) * 31 + destination.hashCode();
    }

    /** {@code TCP 10.0.1.10:50122 → 10.0.1.20:1433}. */
    @Override
    public String toString() {
        return protocol.label() + " " + source + " \u2192 " + destination;
    }
}
