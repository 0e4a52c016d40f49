package io.github.pcapunit.core.packet;

/**
 * The transport protocol a {@link DecodedPacket} carries, as far as pcapunit decodes it.
 *
 * <pre>{@code
 * if (packet.protocol() == IpProtocol.TCP && packet.isSyn()) { ... }
 * }</pre>
 */
public enum IpProtocol {
    /** TCP (IP protocol 6). */
    TCP,
    /** UDP (IP protocol 17). */
    UDP,
    /** ICMP for IPv4 (IP protocol 1). */
    ICMP,
    /** ICMPv6 (IPv6 next header 58). */
    ICMPV6,
    /** Any other IP protocol; its number is {@link DecodedPacket#protocolNumber()}. */
    OTHER,
    /** Not an IP packet (ARP, LLDP, ...), or the IP header could not be read. */
    NONE;

    /** The protocol for IP protocol number {@code number} ({@code -1}: {@link #NONE}). */
    public static IpProtocol ofNumber(int number) {
        switch (number) {
            case 6: return TCP;
            case 17: return UDP;
            case 1: return ICMP;
            case 58: return ICMPV6;
            case -1: return NONE;
            default: return OTHER;
        }
    }

    /** Upper-case label used in summaries and flows: {@code TCP}, {@code UDP}, {@code ICMPv6}. */
    public String label() {
        return this == ICMPV6 ? "ICMPv6" : name();
    }
}
