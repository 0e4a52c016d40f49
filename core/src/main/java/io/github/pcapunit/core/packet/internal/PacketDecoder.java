package io.github.pcapunit.core.packet.internal;

import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.internal.LinkFlags;

/**
 * Decodes link, network and transport headers of one frame into a {@link PacketFields}.
 * Never throws on packet content: short frames are flagged truncated, impossible values
 * malformed. Allocation-free except for the (reused) inner record of ICMP errors.
 *
 * <p>Link types: NULL (0), ETHERNET (1, 802.1Q/802.1ad/QinQ tags), RAW (101), LOOP (108),
 * LINUX_SLL (113), IPV4 (228), IPV6 (229), NFLOG (239), LINUX_SLL2 (276).
 */
public final class PacketDecoder {

    private static final int ETH_IPV4 = 0x0800;
    private static final int ETH_IPV6 = 0x86DD;

    private PacketDecoder() {
    }

    /**
     * Decodes {@code buf[off, off+len)} of link type {@code linkType} into {@code out}. The
     * frame fields of {@code out} (number, time, interface, lengths, direction) are left as the
     * caller set them, except that a LINUX_SLL/SLL2/NFLOG direction fills an UNKNOWN direction.
     */
    public static void decode(byte[] buf, int off, int len, int linkType, PacketFields out) {
        out.reset();
        out.linkType = linkType;
        int end = off + len;
        if (off < 0 || len < 0 || end > buf.length) {
            out.malformed("frame bounds [" + off + ", " + end + ") outside buffer of " + buf.length);
            return;
        }
        switch (linkType) {
            case 1:
                ethernet(buf, off, end, out);
                break;
            case 0:
                bsdNull(buf, off, end, out, false);
                break;
            case 108:
                bsdNull(buf, off, end, out, true);
                break;
            case 101:
                rawIp(buf, off, end, out);
                break;
            case 228:
                network(buf, off, end, ETH_IPV4, out);
                break;
            case 229:
                network(buf, off, end, ETH_IPV6, out);
                break;
            case 113:
                sll(buf, off, end, out);
                break;
            case 276:
                sll2(buf, off, end, out);
                break;
            case 239:
                nflog(buf, off, end, out);
                break;
            default:
                // Unknown link layer: nothing decoded, which is not an error of the packet.
                break;
        }
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    private static long u32(byte[] b, int i) {
        return ((long) (b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8)
                | (b[i + 3] & 0xff);
    }

    private static int u16le(byte[] b, int i) {
        return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8);
    }

    private static void ethernet(byte[] b, int p, int end, PacketFields out) {
        if (end - p < 14) {
            out.truncated("Ethernet header needs 14 bytes, frame has " + (end - p));
            return;
        }
        int type = u16(b, p + 12);
        p += 14;
        // 802.1Q (0x8100), 802.1ad (0x88A8) and the old QinQ 0x9100 stack any number of tags.
        while (type == 0x8100 || type == 0x88A8 || type == 0x9100) {
            if (end - p < 4) {
                out.truncated("VLAN tag cut short");
                return;
            }
            type = u16(b, p + 2);
            p += 4;
        }
        if (type < 0x0600) {
            return; // 802.3 length field: LLC frame, not IP
        }
        network(b, p, end, type, out);
    }

    private static void bsdNull(byte[] b, int p, int end, PacketFields out, boolean bigEndian) {
        if (end - p < 4) {
            out.truncated("loopback header needs 4 bytes, frame has " + (end - p));
            return;
        }
        long family;
        if (bigEndian) {
            family = u32(b, p);
        } else {
            // Host byte order of the capturing machine: whichever reading is small.
            long le = (b[p] & 0xff) | ((b[p + 1] & 0xff) << 8) | ((b[p + 2] & 0xff) << 16)
                    | ((long) (b[p + 3] & 0xff) << 24);
            family = le <= 0xFFFF ? le : u32(b, p);
        }
        p += 4;
        if (family == 2) {
            network(b, p, end, ETH_IPV4, out);
        } else if (family == 10 || family == 24 || family == 28 || family == 30) {
            network(b, p, end, ETH_IPV6, out);
        }
    }

    private static void rawIp(byte[] b, int p, int end, PacketFields out) {
        if (end - p < 1) {
            out.truncated("raw IP frame is empty");
            return;
        }
        int v = (b[p] & 0xff) >>> 4;
        if (v == 4) {
            network(b, p, end, ETH_IPV4, out);
        } else if (v == 6) {
            network(b, p, end, ETH_IPV6, out);
        } else {
            out.malformed("raw IP frame with IP version " + v);
        }
    }

    /** The cooked header's direction, by the one epb_flags rule the pcapng writers use. */
    private static void sllDirection(int linkType, byte[] b, int p, int end, PacketFields out) {
        if (out.direction == Direction.UNKNOWN) {
            int flags = LinkFlags.epbFlags(linkType, null, b, p, end - p);
            out.direction = flags < 0 ? Direction.UNKNOWN
                    : (flags & 3) == 1 ? Direction.INBOUND : (flags & 3) == 2 ? Direction.OUTBOUND : Direction.UNKNOWN;
        }
    }

    private static void sll(byte[] b, int p, int end, PacketFields out) {
        if (end - p < 16) {
            out.truncated("LINUX_SLL header needs 16 bytes, frame has " + (end - p));
            return;
        }
        sllDirection(LinkFlags.LINUX_SLL, b, p, end, out);
        int proto = u16(b, p + 14);
        network(b, p + 16, end, proto, out);
    }

    private static void sll2(byte[] b, int p, int end, PacketFields out) {
        if (end - p < 20) {
            out.truncated("LINUX_SLL2 header needs 20 bytes, frame has " + (end - p));
            return;
        }
        int proto = u16(b, p);
        out.linkIfIndex = (int) u32(b, p + 4);
        sllDirection(LinkFlags.LINUX_SLL2, b, p, end, out);
        network(b, p + 20, end, proto, out);
    }

    private static void nflog(byte[] b, int p, int end, PacketFields out) {
        if (end - p < 4) {
            out.truncated("NFLOG header needs 4 bytes, frame has " + (end - p));
            return;
        }
        int family = b[p] & 0xff;
        p += 4;
        int inDev = -1;
        int outDev = -1;
        while (end - p >= 4) {
            // TLV length and type are in the capturing host's byte order (little-endian in practice).
            int tlvLen = u16le(b, p);
            int type = u16le(b, p + 2);
            if (tlvLen < 4 || tlvLen > end - p) {
                int be = u16(b, p);
                if (be >= 4 && be <= end - p) {
                    tlvLen = be;
                    type = u16(b, p + 2);
                } else {
                    out.truncated("NFLOG TLV length " + tlvLen + " exceeds the frame");
                    return;
                }
            }
            type &= 0x7fff;
            if (type == 4 && tlvLen >= 8) {
                inDev = (int) u32(b, p + 4);
            } else if (type == 5 && tlvLen >= 8) {
                outDev = (int) u32(b, p + 4);
            } else if (type == 9) {
                int payloadEnd = p + tlvLen;
                if (out.direction == Direction.UNKNOWN) {
                    out.direction = inDev >= 0 ? Direction.INBOUND
                            : outDev >= 0 ? Direction.OUTBOUND : Direction.UNKNOWN;
                }
                out.linkIfIndex = inDev >= 0 ? inDev : outDev;
                int ethType = family == 10 ? ETH_IPV6 : family == 2 ? ETH_IPV4 : -1;
                if (ethType < 0) {
                    rawIp(b, p + 4, payloadEnd, out);
                } else {
                    network(b, p + 4, payloadEnd, ethType, out);
                }
                return;
            }
            p += (tlvLen + 3) & ~3;
        }
        out.truncated("NFLOG message without a payload TLV");
    }

    private static void network(byte[] b, int p, int end, int etherType, PacketFields out) {
        out.etherType = etherType;
        if (etherType == ETH_IPV4) {
            ipv4(b, p, end, out, false);
        } else if (etherType == ETH_IPV6) {
            ipv6(b, p, end, out, false);
        }
    }

    /** Decodes an IPv4 header and what follows; {@code quoted}: inside an ICMP error. */
    static void ipv4(byte[] b, int p, int end, PacketFields out, boolean quoted) {
        if (end - p < 20) {
            out.truncated("IPv4 header needs 20 bytes, " + (end - p) + " captured");
            return;
        }
        int version = (b[p] & 0xff) >>> 4;
        int ihl = (b[p] & 0x0f) * 4;
        if (version != 4) {
            out.malformed("IPv4 header with version " + version);
            return;
        }
        if (ihl < 20) {
            out.malformed("IPv4 header length " + ihl + " below 20");
            return;
        }
        int total = u16(b, p + 2);
        if (total < ihl) {
            out.malformed("IPv4 total length " + total + " below header length " + ihl);
            return;
        }
        out.ipVersion = 4;
        out.ipTotalLength = total;
        int fragField = u16(b, p + 6);
        boolean more = (fragField & 0x2000) != 0;
        int fragOffset = fragField & 0x1fff;
        out.fragment = more || fragOffset != 0;
        out.laterFragment = fragOffset != 0;
        out.ttl = b[p + 8] & 0xff;
        out.protocol = b[p + 9] & 0xff;
        System.arraycopy(b, p + 12, out.src, 0, 4);
        System.arraycopy(b, p + 16, out.dst, 0, 4);
        if (end - p < ihl) {
            out.truncated("IPv4 options cut short");
            return;
        }
        // Trailing Ethernet padding is not payload; a quoted packet is shorter than its total.
        int dataEnd = quoted ? end : Math.min(end, p + total);
        if (out.laterFragment) {
            out.payloadLength = total - ihl;
        } else {
            transport(b, p + ihl, dataEnd, total - ihl, out, quoted);
        }
        // A frame that was not cut by the snap length yet holds less than the IP length claims.
        if (!quoted && out.problem == null && p + total > end && out.originalLength > 0
                && out.capturedLength >= out.originalLength) {
            out.malformed("IPv4 total length " + total + " exceeds the " + (end - p) + " bytes of the frame");
        }
    }

    static void ipv6(byte[] b, int p, int end, PacketFields out, boolean quoted) {
        if (end - p < 40) {
            out.truncated("IPv6 header needs 40 bytes, " + (end - p) + " captured");
            return;
        }
        int version = (b[p] & 0xff) >>> 4;
        if (version != 6) {
            out.malformed("IPv6 header with version " + version);
            return;
        }
        out.ipVersion = 6;
        int payload = u16(b, p + 4);
        out.ipTotalLength = payload + 40;
        int next = b[p + 6] & 0xff;
        out.ttl = b[p + 7] & 0xff;
        System.arraycopy(b, p + 8, out.src, 0, 16);
        System.arraycopy(b, p + 24, out.dst, 0, 16);
        int dataEnd = quoted ? end : Math.min(end, p + 40 + payload);
        int q = p + 40;
        int remaining = payload;
        for (int guard = 0; guard < 16; guard++) {
            if (next == 0 || next == 43 || next == 60 || next == 135 || next == 139 || next == 140) {
                if (dataEnd - q < 8) {
                    out.protocol = next;
                    out.truncated("IPv6 extension header " + next + " cut short");
                    return;
                }
                int hlen = ((b[q + 1] & 0xff) + 1) * 8;
                next = b[q] & 0xff;
                q += hlen;
                remaining -= hlen;
            } else if (next == 44) {
                if (dataEnd - q < 8) {
                    out.protocol = next;
                    out.truncated("IPv6 fragment header cut short");
                    return;
                }
                int field = u16(b, q + 2);
                int offset = field >>> 3;
                out.fragment = true;
                out.laterFragment = offset != 0;
                next = b[q] & 0xff;
                q += 8;
                remaining -= 8;
            } else if (next == 51) {
                if (dataEnd - q < 8) {
                    out.protocol = next;
                    out.truncated("IPv6 AH header cut short");
                    return;
                }
                int hlen = ((b[q + 1] & 0xff) + 2) * 4;
                next = b[q] & 0xff;
                q += hlen;
                remaining -= hlen;
            } else {
                break;
            }
        }
        out.protocol = next;
        if (remaining < 0) {
            out.malformed("IPv6 extension headers longer than the payload length " + payload);
            return;
        }
        if (q > dataEnd) {
            out.truncated("IPv6 extension headers cut short");
            return;
        }
        if (out.laterFragment || next == 59) {
            out.payloadLength = remaining;
            return;
        }
        transport(b, q, dataEnd, remaining, out, quoted);
    }

    private static void transport(byte[] b, int p, int end, int ipPayload, PacketFields out, boolean quoted) {
        int avail = end - p;
        switch (out.protocol) {
            case 6:
                tcp(b, p, avail, ipPayload, out, quoted);
                break;
            case 17:
            case 136: // UDP-Lite has the same port layout
                if (avail < 4) {
                    out.truncated("UDP header cut short");
                    return;
                }
                out.srcPort = u16(b, p);
                out.dstPort = u16(b, p + 2);
                if (avail < 8) {
                    out.truncated("UDP header needs 8 bytes, " + avail + " captured");
                    return;
                }
                int udpLen = u16(b, p + 4);
                if (out.protocol == 17 && udpLen != 0 && udpLen < 8) {
                    out.malformed("UDP length " + udpLen + " below 8");
                    return;
                }
                out.payloadLength = Math.max(0, ipPayload - 8);
                break;
            case 1:
                icmp(b, p, avail, ipPayload, out, quoted, false);
                break;
            case 58:
                icmp(b, p, avail, ipPayload, out, quoted, true);
                break;
            default:
                out.payloadLength = ipPayload;
                break;
        }
    }

    private static void tcp(byte[] b, int p, int avail, int ipPayload, PacketFields out, boolean quoted) {
        if (avail < 4) {
            out.truncated("TCP header cut short");
            return;
        }
        out.srcPort = u16(b, p);
        out.dstPort = u16(b, p + 2);
        if (avail >= 8) {
            out.seq = u32(b, p + 4);
        }
        if (avail < 20) {
            out.truncated("TCP header needs 20 bytes, " + avail + " captured");
            return;
        }
        out.ack = u32(b, p + 8);
        int doff = ((b[p + 12] & 0xff) >>> 4) * 4;
        out.tcpFlags = b[p + 13] & 0xff;
        out.window = u16(b, p + 14);
        if (doff < 20) {
            out.malformed("TCP data offset " + doff + " below 20");
            return;
        }
        if (!quoted && doff > ipPayload) {
            out.malformed("TCP data offset " + doff + " beyond the IP payload of " + ipPayload);
            return;
        }
        out.payloadLength = Math.max(0, ipPayload - doff);
        if (avail < doff) {
            out.truncated("TCP options cut short");
        }
    }

    private static void icmp(byte[] b, int p, int avail, int ipPayload, PacketFields out, boolean quoted, boolean v6) {
        if (avail < 4) {
            out.truncated("ICMP header cut short");
            return;
        }
        int type = b[p] & 0xff;
        out.icmpType = type;
        out.icmpCode = b[p + 1] & 0xff;
        int ver = v6 ? 6 : 4;
        if (IcmpNames.isEchoRequest(ver, type) || IcmpNames.isEchoReply(ver, type)) {
            if (avail < 8) {
                out.truncated("ICMP echo header cut short");
                return;
            }
            out.icmpId = u16(b, p + 4);
            out.icmpSeq = u16(b, p + 6);
        } else if (!quoted && IcmpNames.isError(ver, type)) {
            if (avail < 8) {
                out.truncated("ICMP error header cut short");
                return;
            }
            PacketFields in = out.inner();
            in.linkType = out.linkType;
            int q = p + 8;
            int qEnd = p + avail;
            if (qEnd - q >= 1 && ((b[q] & 0xff) >>> 4) == 6) {
                ipv6(b, q, qEnd, in, true);
            } else {
                ipv4(b, q, qEnd, in, true);
            }
            out.hasInner = in.ipVersion != 0;
        }
        out.payloadLength = Math.max(0, (quoted ? avail : ipPayload) - 8);
    }
}
