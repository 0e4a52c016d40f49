package io.github.pcapunit.core.packet;

import io.github.pcapunit.core.packet.internal.Addresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IP address and a port (port {@code -1} for protocols without ports, e.g. ICMP).
 * Immutable. Printed as {@code 10.0.1.20:1433} or {@code [::1]:8080}.
 *
 * <pre>{@code
 * Endpoint db = Endpoint.of("10.0.1.20", 1433);
 * db.address().getHostAddress();   // "10.0.1.20"
 * }</pre>
 */
public final class Endpoint {

    private final InetAddress address;
    private final int port;

    private Endpoint(InetAddress address, int port) {
        this.address = Objects.requireNonNull(address, "address");
        this.port = port;
    }

    /**
     * An endpoint. {@code port} is {@code -1} (no port) or 0..65535.
     *
     * @throws IllegalArgumentException if the port is out of range
     */
    public static Endpoint of(InetAddress address, int port) {
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("port " + port
                    + " is out of range: use 0..65535, or -1 for a protocol without ports");
        }
        return new Endpoint(address, port);
    }

    /**
     * An endpoint from a numeric IP literal ({@code "10.0.1.20"}, {@code "::1"}); no DNS lookup.
     *
     * @throws IllegalArgumentException if {@code address} is not an IPv4/IPv6 literal
     */
    public static Endpoint of(String address, int port) {
        return of(Addresses.parseLiteral(address), port);
    }


    /** The IP address. */
    public InetAddress address() {
        return address;
    }

    /** The port, or {@code -1} when the protocol has none. */
    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Endpoint)) {
            return false;
        }
        Endpoint e = (Endpoint) o;
        return port == e.port && address.equals(e.address);
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 31 + port;
    }

    /** {@code 10.0.1.20:1433}, {@code [::1]:8080}, or the bare address when there is no port. */
    @Override
    public String toString() {
        byte[] raw = address.getAddress();
        String host = io.github.pcapunit.core.packet.internal.Addresses.text(raw, raw.length);
        if (port < 0) {
            return host;
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
