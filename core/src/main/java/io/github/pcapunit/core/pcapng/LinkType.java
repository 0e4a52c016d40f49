package io.github.pcapunit.core.pcapng;

import java.util.Map;
import java.util.Objects;

/**
 * A libpcap link-layer header type (the {@code LINKTYPE_*} numbers of pcap and pcapng). The
 * common ones are constants; any other number is kept as it is, so files with unusual link types
 * still read.
 *
 * <pre>{@code
 * LinkType t = LinkType.of(276);   // LinkType.LINUX_SLL2
 * t.value();                        // 276
 * }</pre>
 */
public final class LinkType {

    /** BSD loopback: a 4-byte address family in host byte order. */
    public static final LinkType NULL = new LinkType(0, "NULL");
    /** Ethernet II / IEEE 802.3, 802.1Q tags included. */
    public static final LinkType ETHERNET = new LinkType(1, "ETHERNET");
    /** Raw IPv4 or IPv6, version from the first nibble. */
    public static final LinkType RAW = new LinkType(101, "RAW");
    /** OpenBSD loopback: a 4-byte address family in network byte order. */
    public static final LinkType LOOP = new LinkType(108, "LOOP");
    /** Linux cooked capture v1 (16-byte header). */
    public static final LinkType LINUX_SLL = new LinkType(113, "LINUX_SLL");
    /** Linux netfilter NFLOG messages. */
    public static final LinkType NFLOG = new LinkType(239, "NFLOG");
    /** Raw IPv4. */
    public static final LinkType IPV4 = new LinkType(228, "IPV4");
    /** Raw IPv6. */
    public static final LinkType IPV6 = new LinkType(229, "IPV6");
    /** Linux cooked capture v2 (20-byte header with interface index and packet type). */
    public static final LinkType LINUX_SLL2 = new LinkType(276, "LINUX_SLL2");

    private static final Map<Integer, LinkType> KNOWN = Map.of(
            0, NULL, 1, ETHERNET, 101, RAW, 108, LOOP, 113, LINUX_SLL, 239, NFLOG,
            228, IPV4, 229, IPV6, 276, LINUX_SLL2);

    private final int value;
    private final String name;

    private LinkType(int value, String name) {
        this.value = value;
        this.name = name;
    }

    /** The link type numbered {@code value}: a constant if known, else a new unnamed one. */
    public static LinkType of(int value) {
        LinkType known = KNOWN.get(value);
        return known != null ? known : new LinkType(value, "LINKTYPE_" + value);
    }

    /** The {@code LINKTYPE_*} number. */
    public int value() {
        return value;
    }

    /** The name without the {@code LINKTYPE_} prefix, e.g. {@code ETHERNET}. */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkType && ((LinkType) o).value == value;
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value);
    }

    @Override
    public String toString() {
        return name;
    }
}
