package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.packet.internal.PacketFields;

/** ICMP destination-unreachable messages about one quoted flow with one code. */
public final class UnreachableGroup extends EndpointPair {

    public final int icmpType;
    public final int icmpCode;
    public final byte[] reporter;
    /** TTL / hop limit of the first error. */
    public final int ttl;
    public final BoundedLongs nanos = new BoundedLongs(TcpState.KEEP);
    public final BoundedLongs frames = new BoundedLongs(TcpState.KEEP);

    /** {@code f} is the ICMP packet, {@code in} the quoted original. */
    public UnreachableGroup(PacketFields f, PacketFields in) {
        super(in.ipVersion, in.protocol, in.src, Math.max(-1, in.srcPort), in.dst, Math.max(-1, in.dstPort));
        this.icmpType = f.icmpType;
        this.icmpCode = f.icmpCode;
        this.reporter = java.util.Arrays.copyOf(f.src, f.addressLength());
        this.ttl = f.ttl;
    }

    /** Whether this is "fragmentation needed" / ICMPv6 "packet too big": a path-MTU signal. */
    public boolean tooBig() {
        return ipVersion == 6 ? icmpType == 2 : icmpCode == 4;
    }
}
