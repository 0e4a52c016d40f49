package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.packet.Endpoint;
import io.github.pcapunit.core.packet.internal.Addresses;
import io.github.pcapunit.core.packet.internal.PacketFields;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Packets seen toward each destination endpoint (address + port; port -1 for ICMP and other
 * port-less protocols) — what "was any packet toward it seen at all?" needs. TCP and UDP come
 * from the per-flow counters; other protocols are counted here per address.
 */
public final class DestinationCounts {

    private final Map<Key, long[]> counts = new HashMap<>();
    private final Key probe = new Key();
    private List<? extends EndpointPair> tcp = List.of();
    private List<? extends EndpointPair> udp = List.of();
    private Set<InetAddress> addresses;

    void flows(List<TcpState> tcp, List<UdpState> udp) {
        this.tcp = tcp;
        this.udp = udp;
    }

    private static long toServer(EndpointPair p) {
        return p instanceof TcpState ? ((TcpState) p).clientPackets : ((UdpState) p).requests;
    }

    private static long toClient(EndpointPair p) {
        return p instanceof TcpState ? ((TcpState) p).serverPackets : ((UdpState) p).responses;
    }

    void count(PacketFields f) {
        probe.set(f.ipVersion, f.dst, f.dstPort);
        long[] c = counts.get(probe);
        if (c == null) {
            c = new long[1];
            counts.put(probe.copy(f.dst), c);
        }
        c[0]++;
        // Source addresses are endpoints too, for "who did we talk to"; port -2 marks "as source".
        probe.set(f.ipVersion, f.src, -2);
        c = counts.get(probe);
        if (c == null) {
            c = new long[1];
            counts.put(probe.copy(f.src), c);
        }
        c[0]++;
    }

    /** Packets sent to {@code port} on any address. */
    public long toPort(int port) {
        long n = 0;
        for (List<? extends EndpointPair> l : List.of(tcp, udp)) {
            for (EndpointPair p : l) {
                n += (p.serverPort == port ? toServer(p) : 0) + (p.clientPort == port ? toClient(p) : 0);
            }
        }
        for (Map.Entry<Key, long[]> e : counts.entrySet()) {
            if (e.getKey().port == port) {
                n += e.getValue()[0];
            }
        }
        return n;
    }

    /** Packets sent to {@code address} ({@code port < 0}: any port or none). */
    public long to(InetAddress address, int port) {
        byte[] raw = address.getAddress();
        long n = 0;
        for (List<? extends EndpointPair> l : List.of(tcp, udp)) {
            for (EndpointPair p : l) {
                if ((port < 0 || p.serverPort == port) && java.util.Arrays.equals(p.server, raw)) {
                    n += toServer(p);
                }
                if ((port < 0 || p.clientPort == port) && java.util.Arrays.equals(p.client, raw)) {
                    n += toClient(p);
                }
            }
        }
        for (Map.Entry<Key, long[]> e : counts.entrySet()) {
            Key k = e.getKey();
            if (k.port != -2 && (port < 0 || k.port == port) && java.util.Arrays.equals(k.raw, raw)) {
                n += e.getValue()[0];
            }
        }
        return n;
    }

    /** Every destination endpoint seen (port -1 for port-less protocols). */
    public Set<Endpoint> destinations() {
        Set<Endpoint> s = new LinkedHashSet<>();
        for (List<? extends EndpointPair> l : List.of(tcp, udp)) {
            for (EndpointPair p : l) {
                if (toServer(p) > 0) {
                    s.add(Endpoint.of(Addresses.of(p.server, p.server.length), p.serverPort));
                }
                if (toClient(p) > 0) {
                    s.add(Endpoint.of(Addresses.of(p.client, p.client.length), p.clientPort));
                }
            }
        }
        for (Key k : counts.keySet()) {
            if (k.port != -2) {
                s.add(Endpoint.of(Addresses.of(k.raw, k.raw.length), k.port));
            }
        }
        return s;
    }

    /** Every address seen as source or destination (built once; checks ask for it repeatedly). */
    public synchronized Set<InetAddress> addresses() {
        if (addresses == null) {
            addresses = java.util.Collections.unmodifiableSet(collectAddresses());
        }
        return addresses;
    }

    private Set<InetAddress> collectAddresses() {
        Set<InetAddress> s = new LinkedHashSet<>();
        byte[] lastClient = null;
        byte[] lastServer = null;
        for (List<? extends EndpointPair> l : List.of(tcp, udp)) {
            for (EndpointPair p : l) {
                // Runs of flows share their client or server: no address object for a repeat.
                if (!java.util.Arrays.equals(p.client, lastClient)) {
                    s.add(Addresses.of(p.client, p.client.length));
                    lastClient = p.client;
                }
                if (!java.util.Arrays.equals(p.server, lastServer)) {
                    s.add(Addresses.of(p.server, p.server.length));
                    lastServer = p.server;
                }
            }
        }
        for (Key k : counts.keySet()) {
            s.add(Addresses.of(k.raw, k.raw.length));
        }
        return s;
    }

    private static final class Key {
        long hi;
        long lo;
        int port;
        int version;
        byte[] raw;

        void set(int version, byte[] addr, int port) {
            int len = version == 4 ? 4 : 16;
            this.version = version;
            hi = FlowKey.hi(addr, len);
            lo = FlowKey.lo(addr, len);
            this.port = port;
        }

        Key copy(byte[] addr) {
            Key k = new Key();
            k.hi = hi;
            k.lo = lo;
            k.port = port;
            k.version = version;
            k.raw = java.util.Arrays.copyOf(addr, version == 4 ? 4 : 16);
            return k;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key)) {
                return false;
            }
            Key k = (Key) o;
            return lo == k.lo && hi == k.hi && port == k.port && version == k.version;
        }

        @Override
        public int hashCode() {
            long h = (hi * 31 + lo) * 31 + port;
            return (int) (h ^ (h >>> 32)) + version;
        }
    }
}
