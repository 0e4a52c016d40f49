package io.github.pcapunit.core.pcapng.internal;

/**
 * The one rule for a packet's {@code epb_flags} when a capture does not record them itself:
 * from the Linux cooked header's packet type ({@code LINUX_SLL}, {@code LINUX_SLL2}: direction in
 * bits 0-1, reception type in bits 2-4, as Wireshark decodes them), or on Ethernet from whether
 * the source address is the capturing interface's own. Every path that writes pcapng uses it.
 *
 * <pre>{@code
 * int flags = LinkFlags.epbFlags(276, null, frame, 0, frame.length); // 1 | 1 << 2: inbound unicast
 * }</pre>
 */
public final class LinkFlags {

    /** Link-layer header types this rule reads. */
    public static final int ETHERNET = 1;
    public static final int LINUX_SLL = 113;
    public static final int LINUX_SLL2 = 276;

    /** epb_flags by Linux packet type (PACKET_HOST .. PACKET_OUTGOING). */
    private static final int[] BY_PACKET_TYPE = {
        1 | (1 << 2), // 0 PACKET_HOST: inbound, unicast
        1 | (3 << 2), // 1 PACKET_BROADCAST: inbound, broadcast
        1 | (2 << 2), // 2 PACKET_MULTICAST: inbound, multicast
        1 | (4 << 2), // 3 PACKET_OTHERHOST: inbound, promiscuous
        2,            // 4 PACKET_OUTGOING: outbound
    };

    private LinkFlags() {
    }

    /**
     * The flags of one packet, or -1 when they cannot be told (write no {@code epb_flags}).
     *
     * @param linkType the interface's link-layer header type
     * @param ownMac the capturing interface's MAC address (Ethernet only), or null
     * @param d buffer holding the packet from {@code off}
     * @param len captured bytes
     */
    public static int epbFlags(int linkType, byte[] ownMac, byte[] d, int off, int len) {
        int packetType;
        if (linkType == LINUX_SLL2 && len >= 11) {
            packetType = d[off + 10] & 0xFF;
        } else if (linkType == LINUX_SLL && len >= 2) {
            packetType = ((d[off] & 0xFF) << 8) | (d[off + 1] & 0xFF);
        } else if (linkType == ETHERNET && ownMac != null && len >= 12) {
            for (int k = 0; k < 6; k++) {
                if (d[off + 6 + k] != ownMac[k]) {
                    return 1; // inbound; the reception type is not known on Ethernet
                }
            }
            return 2;
        } else {
            return -1;
        }
        return packetType < BY_PACKET_TYPE.length ? BY_PACKET_TYPE[packetType] : -1;
    }

    /** The interface index a {@code LINUX_SLL2} header names, or -1 for other link types. */
    public static int sll2InterfaceIndex(int linkType, byte[] d, int off, int len) {
        if (linkType != LINUX_SLL2 || len < 8) {
            return -1;
        }
        return ((d[off + 4] & 0xFF) << 24) | ((d[off + 5] & 0xFF) << 16) | ((d[off + 6] & 0xFF) << 8)
                | (d[off + 7] & 0xFF);
    }
}
