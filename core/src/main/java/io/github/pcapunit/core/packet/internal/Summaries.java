package io.github.pcapunit.core.packet.internal;

/** One-line texts of decoded packets, shared by DecodedPacket and the text format. */
public final class Summaries {

    private static final String ARROW = " \u2192 ";

    private Summaries() {
    }

    /** {@code [SYN, ACK]}; {@code []} when no flag is set. */
    public static String tcpFlags(int flags) {
        if (flags == 0) {
            return "[]";
        }
        StringBuilder s = new StringBuilder("[");
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        // Header bit order, except SYN first: people say "SYN, ACK" and "FIN, ACK".
        int[] order = {1, 0, 2, 3, 4, 5, 6, 7};
        for (int i : order) {
            if ((flags & (1 << i)) != 0) {
                if (s.length() > 1) {
                    s.append(", ");
                }
                s.append(names[i]);
            }
        }
        return s.append(']').toString();
    }

    /** Protocol label: TCP, UDP, ICMP, ICMPv6, IPv4 proto N, or the EtherType. */
    public static String protocol(PacketFields f) {
        switch (f.protocol) {
            case 6: return "TCP";
            case 17: return "UDP";
            case 1: return "ICMP";
            case 58: return "ICMPv6";
            case -1:
                if (f.etherType == 0x0806) {
                    return "ARP";
                }
                return f.etherType >= 0 ? String.format("EtherType 0x%04x", f.etherType) : "unknown";
            default: return (f.ipVersion == 6 ? "IPv6" : "IPv4") + " proto " + f.protocol;
        }
    }

    /** The endpoints {@code src → dst} with ports where known; empty without IP. */
    public static String endpoints(PacketFields f) {
        int len = f.addressLength();
        if (len == 0) {
            return "";
        }
        return Addresses.endpoint(f.src, len, f.srcPort) + ARROW + Addresses.endpoint(f.dst, len, f.dstPort);
    }

    /** Protocol-specific detail: TCP flags and numbers, ICMP type and echo id/seq, errors' quote. */
    public static String details(PacketFields f) {
        StringBuilder s = new StringBuilder();
        if (f.protocol == 6 && f.tcpFlags >= 0 && f.window >= 0) {
            s.append(tcpFlags(f.tcpFlags)).append(" seq=").append(f.seq);
            if ((f.tcpFlags & PacketFields.ACK) != 0) {
                s.append(" ack=").append(f.ack);
            }
            s.append(" win=").append(f.window);
        } else if ((f.protocol == 1 || f.protocol == 58) && f.icmpType >= 0) {
            s.append(IcmpNames.typeName(f.ipVersion, f.icmpType));
            if (IcmpNames.isUnreachable(f.ipVersion, f.icmpType)) {
                s.append(" (").append(IcmpNames.unreachableText(f.ipVersion, f.icmpCode)).append(')');
            } else if (f.icmpId >= 0) {
                s.append(" id=").append(f.icmpId).append(" seq=").append(f.icmpSeq);
            } else if (f.icmpCode != 0) {
                s.append(" code=").append(f.icmpCode);
            }
            if (f.hasInner && f.inner != null) {
                PacketFields in = f.inner;
                s.append(" for ").append(protocol(in)).append(' ').append(endpoints(in));
            }
        }
        if (f.payloadLength >= 0 && f.protocol != 1 && f.protocol != 58) {
            if (s.length() > 0) {
                s.append(' ');
            }
            s.append("len=").append(f.payloadLength);
        }
        return s.toString();
    }

    /** The full one-line summary used by {@code DecodedPacket.summary()}. */
    public static String summary(PacketFields f) {
        StringBuilder s = new StringBuilder(protocol(f));
        String ep = endpoints(f);
        if (!ep.isEmpty()) {
            s.append(' ').append(ep);
        }
        String d = details(f);
        if (!d.isEmpty()) {
            s.append(' ').append(d);
        }
        if (f.ttl >= 0) {
            s.append(f.ipVersion == 6 ? " hlim=" : " ttl=").append(f.ttl);
        }
        if (f.fragment) {
            s.append(" fragment");
        }
        if (f.truncated) {
            s.append(" [truncated: ").append(f.problem).append(']');
        } else if (f.malformed) {
            s.append(" [malformed: ").append(f.problem).append(']');
        }
        return s.toString();
    }
}
