package io.github.pcapunit.core.analysis.internal;

import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * What stays the same of one IP packet while routers forward it (no NAT): addresses, protocol,
 * IPv4 identification, and the transport bytes (TCP sequence, ports, flags and payload; UDP and
 * ICMP headers and payload) as a CRC-32. TTL and the IP checksum change per hop and are left out;
 * the link layer is different on every hop and is skipped.
 *
 * <pre>{@code
 * String id = PacketIdentity.of(frame, 276);   // "4|10.200.1.10>10.200.2.20|6|id=1234|crc=9f3a..|len=60"
 * }</pre>
 */
public final class PacketIdentity {

    private static final int ETHERNET = 1;
    private static final int NULL = 0;
    private static final int LOOP = 108;
    private static final int RAW = 101;
    private static final int IPV4 = 228;
    private static final int IPV6 = 229;
    private static final int SLL = 113;
    private static final int SLL2 = 276;

    private PacketIdentity() {
    }

    /** The identity of the IP packet in {@code frame}, or null when it holds none (ARP, truncated). */
    public static String of(byte[] frame, int linkType) {
        int ip = ipOffset(frame, linkType);
        if (ip < 0 || ip >= frame.length) {
            return null;
        }
        int version = (frame[ip] & 0xff) >> 4;
        if (version == 4 && frame.length >= ip + 20) {
            int ihl = (frame[ip] & 0x0f) * 4;
            int total = u16(frame, ip + 2);
            int end = Math.min(frame.length, ip + Math.max(total, ihl));
            if (ihl < 20 || ip + ihl > end) {
                return null;
            }
            long crc = transportCrc(frame, ip + ihl, end, frame[ip + 9] & 0xff);
            return "4|" + hex(frame, ip + 12, 4) + ">" + hex(frame, ip + 16, 4) + "|" + (frame[ip + 9] & 0xff)
                    + "|id=" + u16(frame, ip + 4) + "|frag=" + (u16(frame, ip + 6) & 0x1fff) + "|len=" + total
                    + "|crc=" + Long.toHexString(crc);
        }
        if (version == 6 && frame.length >= ip + 40) {
            int payload = u16(frame, ip + 4);
            int end = Math.min(frame.length, ip + 40 + payload);
            long crc = transportCrc(frame, ip + 40, end, frame[ip + 6] & 0xff);
            int flow = ((frame[ip + 1] & 0x0f) << 16) | u16(frame, ip + 2);
            return "6|" + hex(frame, ip + 8, 16) + ">" + hex(frame, ip + 24, 16) + "|" + (frame[ip + 6] & 0xff)
                    + "|flow=" + flow + "|len=" + payload + "|crc=" + Long.toHexString(crc);
        }
        return null;
    }

    /**
     * CRC-32 of the transport bytes with their checksum zeroed: a sender's capture may show a
     * checksum its NIC (or veth) has not filled in yet, while the next hop sees the final one.
     */
    private static long transportCrc(byte[] f, int from, int end, int protocol) {
        byte[] l4 = Arrays.copyOfRange(f, from, Math.max(from, end));
        int sum = protocol == 6 ? 16 : protocol == 17 ? 6 : protocol == 1 || protocol == 58 ? 2 : -1;
        if (sum >= 0 && l4.length >= sum + 2) {
            l4[sum] = 0;
            l4[sum + 1] = 0;
        }
        CRC32 crc = new CRC32();
        crc.update(l4);
        return crc.getValue();
    }

    /** Offset of the IP header in a frame of this link type, or -1 when it carries no IP. */
    static int ipOffset(byte[] f, int linkType) {
        switch (linkType) {
            case ETHERNET: {
                int off = 12;
                int type = f.length >= 14 ? u16(f, off) : -1;
                while ((type == 0x8100 || type == 0x88a8) && f.length >= off + 6) {
                    off += 4;
                    type = u16(f, off);
                }
                return isIp(type) ? off + 2 : -1;
            }
            case SLL:
                return f.length >= 16 && isIp(u16(f, 14)) ? 16 : -1;
            case SLL2:
                return f.length >= 20 && isIp(u16(f, 0)) ? 20 : -1;
            case RAW:
            case IPV4:
            case IPV6:
                return 0;
            case NULL:
            case LOOP:
                return f.length >= 4 ? 4 : -1;
            default:
                return -1;
        }
    }

    private static boolean isIp(int etherType) {
        return etherType == 0x0800 || etherType == 0x86dd;
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    private static String hex(byte[] b, int off, int len) {
        StringBuilder s = new StringBuilder(len * 2);
        for (byte x : Arrays.copyOfRange(b, off, off + len)) {
            s.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return s.toString();
    }
}
