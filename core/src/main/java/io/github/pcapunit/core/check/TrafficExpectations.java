package io.github.pcapunit.core.check;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.packet.Endpoint;

import io.github.pcapunit.core.check.internal.AddressRange;
import io.github.pcapunit.core.check.internal.ConnectionChecks;
import io.github.pcapunit.core.check.internal.DropChecks;
import io.github.pcapunit.core.check.internal.HostChecks;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Factories of {@link Expectation}s over captured traffic — the checks behind the AssertJ
 * assertions ({@code pcapunit-assertions}) and the Maven plugin's {@code capture:verify}, so both
 * fail with the same message. Arguments are validated here, before anything is read.
 *
 * <pre>{@code
 * CapturedTraffic traffic = CapturedTraffic.read(Path.of("target/pcapunit/db.pcapng"));
 * for (Expectation e : List.of(TrafficExpectations.noDropsTo(1433), TrafficExpectations.complete())) {
 *     e.check(traffic).ifPresent(v -> System.err.println(v.message()));
 * }
 * }</pre>
 */
public final class TrafficExpectations {

    private TrafficExpectations() {
    }

    /**
     * No packet to {@code port} (TCP or UDP, any address) was dropped: no unanswered or refused
     * connection attempt, no ICMP unreachable, no kernel or firewall drop. Fails, explaining
     * why, when no packet to the port was seen at all (see {@link Expectation#allowingNoTraffic()}).
     *
     * <pre>{@code TrafficExpectations.noDropsTo(1433).check(traffic);}</pre>
     *
     * @throws IllegalArgumentException if {@code port} is not in 0..65535
     */
    public static Expectation noDropsTo(int port) {
        checkPort(port, "noDropsTo");
        return new Expectation("no dropped packets to port " + port, DropChecks.noDropsTo(port), false);
    }

    /**
     * No packet to {@code host}:{@code port} was dropped; {@code host} is a numeric IP address.
     *
     * <pre>{@code TrafficExpectations.noDropsTo("10.0.1.20", 1433).check(traffic);}</pre>
     *
     * @throws IllegalArgumentException if {@code host} is not a numeric IP address or the port is
     *     out of range
     */
    public static Expectation noDropsTo(String host, int port) {
        checkPort(port, "noDropsTo");
        InetAddress address = host(host, "noDropsTo(host, port): host");
        Endpoint target = Endpoint.of(address, port);
        return new Expectation("no dropped packets to " + target, DropChecks.noDropsTo(address, port), false);
    }

    /**
     * Nothing was dropped at all — including packets the capture itself lost. Kernel and firewall
     * records count when they can be tied to the captured traffic (a flow with an address the
     * capture saw, or any flow when the capture saw no packet): kernel tracing sees the whole
     * machine. Fails on a capture without any packet or drop unless
     * {@link Expectation#allowingNoTraffic()}.
     *
     * <pre>{@code TrafficExpectations.noDrops().check(traffic);}</pre>
     */
    public static Expectation noDrops() {
        return new Expectation("no dropped packets", DropChecks.noDrops(), false);
    }

    /**
     * The capture itself lost nothing: no kernel-buffer or interface drops, not cut by the size
     * cap. Every other failure message also states capture loss.
     *
     * <pre>{@code TrafficExpectations.complete().check(traffic);}</pre>
     */
    public static Expectation complete() {
        return new Expectation("a complete capture", DropChecks.complete(), false);
    }

    /**
     * Every IP packet has its source or destination in one of {@code hostsOrNetworks} — e.g.
     * "this test made no calls outside localhost". Entries are numeric addresses or networks in
     * CIDR form; no DNS lookup.
     *
     * <pre>{@code TrafficExpectations.onlyTalksTo("127.0.0.0/8", "::1").check(traffic);}</pre>
     *
     * @throws IllegalArgumentException naming an entry that is not a numeric address or network,
     *     or if none is given
     */
    public static Expectation onlyTalksTo(String... hostsOrNetworks) {
        Objects.requireNonNull(hostsOrNetworks, "hostsOrNetworks");
        if (hostsOrNetworks.length == 0) {
            throw new IllegalArgumentException("onlyTalksTo() needs at least one host or network,"
                    + " e.g. onlyTalksTo(\"127.0.0.0/8\", \"::1\")");
        }
        List<AddressRange> ranges = new ArrayList<>();
        for (String h : hostsOrNetworks) {
            ranges.add(AddressRange.parse(h, "onlyTalksTo: host or network"));
        }
        return new Expectation("only talking to " + String.join(", ", ranges.stream().map(Object::toString).toList()),
                HostChecks.onlyTalksTo(ranges), false);
    }

    /**
     * No IP packet goes to {@code hostOrNetwork} (a numeric address, or a network in CIDR form).
     *
     * <pre>{@code TrafficExpectations.noTrafficTo("10.0.0.0/8").check(traffic);}</pre>
     *
     * @throws IllegalArgumentException if it is not a numeric address or network
     */
    public static Expectation noTrafficTo(String hostOrNetwork) {
        AddressRange range = AddressRange.parse(hostOrNetwork, "noTrafficTo: host or network");
        return new Expectation("no traffic to " + range, HostChecks.noTrafficTo(range, -1), false);
    }

    /**
     * No TCP/UDP packet goes to {@code hostOrNetwork}:{@code port}.
     *
     * <pre>{@code TrafficExpectations.noTrafficTo("10.0.1.20", 25).check(traffic);}</pre>
     *
     * @throws IllegalArgumentException if the address or port is invalid
     */
    public static Expectation noTrafficTo(String hostOrNetwork, int port) {
        checkPort(port, "noTrafficTo");
        AddressRange range = AddressRange.parse(hostOrNetwork, "noTrafficTo: host or network");
        return new Expectation("no traffic to " + range + " port " + port, HostChecks.noTrafficTo(range, port),
                false);
    }

    /**
     * Every TCP connection to {@code port} completed its handshake. Fails when there is none
     * (unless {@link Expectation#allowingNoTraffic()}).
     *
     * <pre>{@code TrafficExpectations.allEstablished(1433).check(traffic);}</pre>
     *
     * @throws IllegalArgumentException if {@code port} is not in 0..65535
     */
    public static Expectation allEstablished(int port) {
        checkPort(port, "allEstablished");
        return new Expectation("all connections to port " + port + " established",
                ConnectionChecks.allEstablished(port), false);
    }

    /**
     * No TCP connection to {@code port} was reset (refused connections included). Fails when
     * there is none (unless {@link Expectation#allowingNoTraffic()}).
     *
     * <pre>{@code TrafficExpectations.noneReset(1433).check(traffic);}</pre>
     *
     * @throws IllegalArgumentException if {@code port} is not in 0..65535
     */
    public static Expectation noneReset(int port) {
        checkPort(port, "noneReset");
        return new Expectation("no connection to port " + port + " reset", ConnectionChecks.noneReset(port), false);
    }

    /**
     * No TCP connection to {@code port} retransmitted a SYN or data. Fails when there is none
     * (unless {@link Expectation#allowingNoTraffic()}).
     *
     * <pre>{@code TrafficExpectations.noneRetransmitted(1433).check(traffic);}</pre>
     *
     * @throws IllegalArgumentException if {@code port} is not in 0..65535
     */
    public static Expectation noneRetransmitted(int port) {
        checkPort(port, "noneRetransmitted");
        return new Expectation("no connection to port " + port + " retransmitted",
                ConnectionChecks.noneRetransmitted(port), false);
    }

    /**
     * Every TCP connection, to any port, completed its handshake. Fails when there is none
     * (unless {@link Expectation#allowingNoTraffic()}).
     *
     * <pre>{@code TrafficExpectations.allEstablished().check(traffic);}</pre>
     */
    public static Expectation allEstablished() {
        return new Expectation("all TCP connections established", ConnectionChecks.allEstablished(-1), false);
    }

    /**
     * No TCP connection, to any port, was reset or refused. Fails when there is none (unless
     * {@link Expectation#allowingNoTraffic()}).
     *
     * <pre>{@code TrafficExpectations.noneReset().check(traffic);}</pre>
     */
    public static Expectation noneReset() {
        return new Expectation("no TCP connection reset", ConnectionChecks.noneReset(-1), false);
    }

    /**
     * No TCP connection, to any port, retransmitted. Fails when there is none (unless
     * {@link Expectation#allowingNoTraffic()}).
     *
     * <pre>{@code TrafficExpectations.noneRetransmitted().check(traffic);}</pre>
     */
    public static Expectation noneRetransmitted() {
        return new Expectation("no TCP connection retransmitted", ConnectionChecks.noneRetransmitted(-1), false);
    }

    /**
     * Every ICMP/ICMPv6 echo request got an echo reply — the pktmon guide's "Echo Request seen,
     * no Echo Reply" case. Fails when no echo request was seen (unless
     * {@link Expectation#allowingNoTraffic()}).
     *
     * <pre>{@code TrafficExpectations.echoRequestsAnswered().check(traffic);}</pre>
     */
    public static Expectation echoRequestsAnswered() {
        return new Expectation("all ICMP echo requests answered", ConnectionChecks.echoRequestsAnswered(), false);
    }

    /**
     * Every ICMP/ICMPv6 echo request to {@code host} got an echo reply (echoes to other hosts are
     * not looked at). Fails when no echo request to it was seen (unless
     * {@link Expectation#allowingNoTraffic()}).
     *
     * <pre>{@code TrafficExpectations.echoRequestsAnswered("10.0.1.20").check(traffic);}</pre>
     *
     * @throws IllegalArgumentException if {@code host} is not one numeric IP address
     */
    public static Expectation echoRequestsAnswered(String host) {
        InetAddress address = host(host, "echoRequestsAnswered(host): host");
        return new Expectation("all ICMP echo requests to " + address.getHostAddress() + " answered",
                ConnectionChecks.echoRequestsAnswered(address), false);
    }

    /**
     * {@code host}:{@code port} is reachable: at least one flow to it was seen and none failed —
     * a client's own early reset is no failure. The failure message leads with the destination's
     * diagnosis, e.g. {@code "10.0.1.20: ICMP echo answered (the network path works); port 1433: ... was
     * dropped on this host ... — the cause is on this host, not the server."}: the seed's "ping
     * passes, TCP 1433 does not" in one statement.
     *
     * <pre>{@code TrafficExpectations.reachable("10.0.1.20", 1433).check(traffic);}</pre>
     *
     * @throws IllegalArgumentException if {@code host} is not one numeric IP address or the port is out of range
     */
    public static Expectation reachable(String host, int port) {
        checkPort(port, "reachable");
        InetAddress address = host(host, "reachable(host, port): host");
        Endpoint target = Endpoint.of(address, port);
        return new Expectation(target + " reachable",
                io.github.pcapunit.core.check.internal.ShouldBeReachable.reachable(address.getHostAddress(), port),
                false);
    }

    private static void checkPort(int port, String method) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(method + "(" + port + "): port " + port
                    + " is out of range; use a TCP/UDP port 0..65535, e.g. " + method + "(1433)");
        }
    }

    private static InetAddress host(String host, String what) {
        AddressRange.parse(host, what).toString(); // validates, with a message naming the parameter
        if (host.indexOf('/') >= 0) {
            throw new IllegalArgumentException(what + " \"" + host + "\" is a network; pass one address,"
                    + " e.g. \"10.0.1.20\"");
        }
        return Endpoint.of(host.strip(), -1).address();
    }
}
