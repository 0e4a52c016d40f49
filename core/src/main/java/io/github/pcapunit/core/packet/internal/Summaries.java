package io.github.pcapunit.core.packet.internal;

/**
 * One-line texts of decoded packets, shared by DecodedPacket and the text format. Each text has
 * an {@code append} form that writes into a caller's {@link StringBuilder} without allocating, for
 * the text format's million lines; the {@code String} forms are built from them.
 *
 * <pre>{@code
 * StringBuilder line = new StringBuilder();
 * Summaries.appendSummary(line, fields);   // TCP 10.0.1.10:50122 → 10.0.1.20:1433 [SYN] seq=1000 ...
 * }</pre>
 */
public final class Summaries {

    private static final String ARROW = " \u2192 ";
    private static final String[] FLAG_NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
    /** Header bit order, except SYN first: people say "SYN, ACK" and "FIN, ACK". */
    private static final int[] FLAG_ORDER = {1, 0, 2, 3, 4, 5, 6, 7};

    private Summaries() {
    }

    /** {@code [SYN, ACK]}; {@code []} when no flag is set. */
    public static String tcpFlags(int flags) {
        return appendTcpFlags(new StringBuilder(), flags).toString();
    }

    private static StringBuilder appendTcpFlags(StringBuilder s, int flags) {
        s.append('[');
        boolean first = true;
        for (int i : FLAG_ORDER) {
            if ((flags & (1 << i)) != 0) {
                if (!first) {
                    s.append(", ");
                }
                s.append(FLAG_NAMES[i]);
                first = false;
            }
        }
        return s.append(']');
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
        return appendEndpoints(new StringBuilder(), f, ARROW).toString();
    }

    private static StringBuilder appendEndpoints(StringBuilder s, PacketFields f, String arrow) {
        int len = f.addressLength();
        if (len == 0) {
            return s;
        }
        Addresses.appendEndpoint(s, f.src, len, f.srcPort).append(arrow);
        return Addresses.appendEndpoint(s, f.dst, len, f.dstPort);
    }

    /** Protocol-specific detail: TCP flags and numbers, ICMP type and echo id/seq, errors' quote. */
    public static String details(PacketFields f) {
        return appendDetails(new StringBuilder(), f, ARROW).toString();
    }

    private static StringBuilder appendDetails(StringBuilder s, PacketFields f, String arrow) {
        int from = s.length();
        if (f.protocol == 6 && f.tcpFlags >= 0 && f.window >= 0) {
            appendTcpFlags(s, f.tcpFlags).append(" seq=").append(f.seq);
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
                appendEndpoints(s.append(" for ").append(protocol(in)).append(' '), in, arrow);
            }
        }
        if (f.payloadLength >= 0 && f.protocol != 1 && f.protocol != 58) {
            if (s.length() > from) {
                s.append(' ');
            }
            s.append("len=").append(f.payloadLength);
        }
        return s;
    }

    /** The full one-line summary used by {@code DecodedPacket.summary()}. */
    public static String summary(PacketFields f) {
        return appendSummary(new StringBuilder(96), f).toString();
    }

    /** Appends {@link #summary}'s text to {@code s}; allocates nothing for TCP, UDP and ICMP packets. */
    public static StringBuilder appendSummary(StringBuilder s, PacketFields f) {
        return appendSummary(s, f, ARROW);
    }

    /**
     * {@link #appendSummary(StringBuilder, PacketFields)} with {@code arrow} in place of
     * {@code " → "}: the text format's listing puts a one-byte stand-in there, so that its lines
     * stay Latin-1 (a compact builder) until it encodes them as UTF-8 itself.
     */
    public static StringBuilder appendSummary(StringBuilder s, PacketFields f, String arrow) {
        s.append(protocol(f));
        int mark = s.length();
        s.append(' ');
        appendEndpoints(s, f, arrow);
        if (s.length() == mark + 1) {
            s.setLength(mark);
        }
        mark = s.length();
        s.append(' ');
        appendDetails(s, f, arrow);
        if (s.length() == mark + 1) {
            s.setLength(mark);
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
        return s;
    }
}
