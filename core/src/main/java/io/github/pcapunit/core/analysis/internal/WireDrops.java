package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.packet.Flow;
import io.github.pcapunit.core.packet.internal.Addresses;
import io.github.pcapunit.core.packet.internal.IcmpNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Drop records derived from the wire analysis and from capture statistics. */
public final class WireDrops {

    /** Instants listed in a description before "and N more". */
    static final int LISTED = 5;

    private WireDrops() {
    }

    static Instant at(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }

    /** Beyond it (11.6 days) the fast path of {@link #relative} hands over to {@code String.format}. */
    private static final long EXACT_NANOS = 1_000_000_000_000_000L;

    /**
     * {@code +1.022 s} relative to {@code base}, {@code -0.004 s} before it: the sign, then what
     * {@code String.format(Locale.ROOT, "%.3f s", |nanos - base| / 1e9)} prints, without its cost
     * (a diagnosis prints thousands; a cold JVM paid ~10% of a {@code diagnose} for them). A time
     * before the base (a SYN TCP stamped a hair before the capture's earliest packet, when the
     * base is not that) reads {@code -0.000 s}, never {@code +-0.000 s}. {@code %.3f} rounds the
     * double's decimal digits half up; below {@link #EXACT_NANOS} those digits are the
     * difference's own nine decimals (or closer to them than a nanosecond), so rounding the
     * nanoseconds to milliseconds gives the same text. An exact tie (…500000 ns) and larger spans
     * still go through {@code String.format}.
     */
    public static String relative(long nanos, long base) {
        long d = nanos - base;
        boolean before = nanos < base;
        long abs = Math.abs(d);
        long rest = abs % 1_000_000;
        if (abs >= EXACT_NANOS || abs < 0 || rest == 500_000 || (d < 0) != before) {
            // the difference as a double; one that overflows a long is taken from the two doubles
            double seconds = ((d < 0) != before ? (double) nanos - (double) base : (double) d) / 1e9;
            return (before ? "-" : "+") + String.format(Locale.ROOT, "%.3f s", Math.abs(seconds));
        }
        long millis = abs / 1_000_000 + (rest > 500_000 ? 1 : 0);
        long fraction = millis % 1000;
        StringBuilder s = new StringBuilder(16).append(before ? '-' : '+').append(millis / 1000).append('.');
        if (fraction < 100) {
            s.append(fraction < 10 ? "00" : "0");
        }
        return s.append(fraction).append(" s").toString();
    }

    static String times(BoundedLongs l, long base) {
        StringBuilder s = new StringBuilder();
        int n = Math.min(l.size(), LISTED);
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ", ").append(relative(l.get(i), base));
        }
        if (l.total() > n) {
            s.append(" and ").append(l.total() - n).append(" more");
        }
        return s.toString();
    }

    private static List<Instant> instants(BoundedLongs l) {
        List<Instant> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            out.add(at(l.get(i)));
        }
        return out;
    }

    private static List<Long> frames(BoundedLongs l) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            out.add(l.get(i));
        }
        return out;
    }

    /** The origin check of {@code c}'s first reset against its claimed sender's ordinary TTLs. */
    public static Origins.Origin resetOrigin(TcpState c, Origins origins) {
        byte[] claimed = c.resetByServer ? c.server : c.client;
        TtlSet reference = new TtlSet();
        reference.addAll(c.resetByServer ? c.serverTtls : c.clientTtls);
        reference.addAll(origins.of(claimed));
        return Origins.compare(c.resetTtl, reference);
    }

    /** {@code sent by a device 1 hop closer than 10.200.3.20, not by 10.200.3.20}. */
    static String sentBy(Origins.Origin o, String claimed) {
        return switch (o.kind()) {
            case CLOSER -> "sent by a device " + o.hops() + (o.hops() == 1 ? " hop" : " hops") + " closer than "
                    + claimed + ", not by " + claimed;
            case FARTHER -> "sent from " + o.hops() + (o.hops() == 1 ? " hop" : " hops") + " farther than "
                    + claimed + ", not by " + claimed;
            default -> "sent by another device (TTL " + o.ttl() + " against " + o.reference() + "), not by " + claimed;
        };
    }

    /** CAPTURE_LOSS drops, one per interface with losses: {name, osDrop, ifDrop}. */
    static List<Drop> captureLoss(List<String[]> perInterface) {
        List<Drop> out = new ArrayList<>();
        for (String[] i : perInterface) {
            long os = Long.parseLong(i[1]);
            long ifd = Long.parseLong(i[2]);
            if (os == 0 && ifd == 0) {
                continue;
            }
            StringBuilder s = new StringBuilder("capture lost packets on ").append(i[0]).append(": ");
            if (os > 0) {
                s.append(os).append(" dropped by the kernel buffer");
            }
            if (ifd > 0) {
                s.append(os > 0 ? ", " : "").append(ifd).append(" dropped by the interface");
            }
            out.add(Drop.builder(DropKind.CAPTURE_LOSS, EvidenceSource.CAPTURE).count(os + ifd)
                    .reason(os > 0 ? "KERNEL_BUFFER_FULL" : "INTERFACE_DROP").component(i[0])
                    .description(s.toString()).build());
        }
        return out;
    }

    /** Drops the wire shows: unanswered/refused/reset/retransmitted TCP, ICMP unreachable, unanswered echoes. */
    public static List<Drop> derive(AnalysisResult r, long base) {
        return derive(r, base, r.origins());
    }

    /**
     * Drops the wire shows, with every reset checked against its claimed sender's TTLs: a reset
     * sent by the connection's own initiator is no drop; one sent by a device on the path is a
     * {@link DropKind#RESET_BY_PATH}.
     */
    public static List<Drop> derive(AnalysisResult r, long base, Origins origins) {
        List<Drop> out = new ArrayList<>();
        Set<Flow> reported = new HashSet<>();
        for (UnreachableGroup g : r.unreachable) {
            Flow flow = g.flow();
            reported.add(flow);
            String code = g.ipVersion == 6 && g.icmpType == 2 ? "PACKET_TOO_BIG"
                    : IcmpNames.unreachableCode(g.ipVersion, g.icmpCode);
            String proto = g.ipVersion == 6 ? "ICMPv6 " : "ICMP ";
            String desc = proto + code.toLowerCase(Locale.ROOT).replace('_', ' ') + " from "
                    + Addresses.text(g.reporter, g.reporter.length) + " for " + flow + " at " + times(g.nanos, base)
                    + (g.nanos.total() > 1 ? " (" + g.nanos.total() + "\u00d7)" : "");
            out.add(Drop.builder(DropKind.ICMP_UNREACHABLE, EvidenceSource.WIRE).flow(flow).reason(code)
                    .icmp(g.icmpType, g.icmpCode).frames(frames(g.frames)).times(instants(g.nanos)).count(g.nanos.total())
                    .description(desc).build());
        }
        for (TcpState c : r.tcp) {
            boolean unanswered = !c.midStream && !c.synAckSeen && !c.reset && c.synNanos.total() > 0;
            boolean retransmitted = c.synRetransmissions() > 0 || c.retransNanos.total() > 0 || c.synAckRetransmissions > 0;
            if (!c.refused && !unanswered && !c.reset && !retransmitted) {
                continue; // nothing to report: do not build addresses for healthy connections
            }
            Flow flow = c.flow();
            String client = Addresses.endpoint(c.client, c.client.length, c.clientPort);
            String server = Addresses.endpoint(c.server, c.server.length, c.serverPort);
            Origins.Origin origin = c.reset ? resetOrigin(c, origins) : null;
            boolean byPath = origin != null && origin.spoofedByPath();
            if (c.refused) {
                String desc = "SYN " + client + " \u2192 " + server + " at " + times(c.synNanos, base)
                        + " refused: RST from " + server + " at " + relative(c.resetNanos, base)
                        + (byPath ? ", " + sentBy(origin, Addresses.text(c.server, c.server.length)) : "");
                out.add(Drop.builder(byPath ? DropKind.RESET_BY_PATH : DropKind.REFUSED, EvidenceSource.WIRE).flow(flow)
                        .frames(frames(c.synFrames)).frame(c.resetFrame).times(instants(c.synNanos))
                        .description(desc).build());
                continue;
            }
            if (!c.midStream && !c.synAckSeen && !c.reset && c.synNanos.total() > 0) {
                if (reported.contains(flow)) {
                    continue; // the ICMP error already explains it
                }
                long n = c.synNanos.total();
                String desc = "SYN " + client + " \u2192 " + server + " sent " + n + "\u00d7 at "
                        + times(c.synNanos, base) + ", no SYN-ACK";
                out.add(Drop.builder(DropKind.UNANSWERED_CONNECTION_ATTEMPT, EvidenceSource.WIRE).flow(flow)
                        .frames(frames(c.synFrames)).times(instants(c.synNanos)).count(n).description(desc).build());
                continue;
            }
            if (c.reset && (c.resetByServer || byPath)) {
                // A reset by the initiator itself (a partial read, SO_LINGER 0) is no drop.
                String by = c.resetByServer ? server : client;
                String claimed = Addresses.text(c.resetByServer ? c.server : c.client, c.ipVersion == 6 ? 16 : 4);
                String desc = flow + " " + (c.established ? "established" : "half-open") + ", reset by " + by
                        + " at " + relative(c.resetNanos, base) + (byPath ? ", " + sentBy(origin, claimed) : "");
                out.add(Drop.builder(byPath ? DropKind.RESET_BY_PATH : DropKind.RESET_BY_PEER, EvidenceSource.WIRE)
                        .flow(flow).frame(c.resetFrame).time(at(c.resetNanos)).description(desc).build());
            }
            long synRetrans = c.synRetransmissions();
            long data = c.retransNanos.total();
            if (synRetrans > 0 || data > 0 || c.synAckRetransmissions > 0) {
                StringBuilder desc = new StringBuilder(flow.toString()).append(':');
                Drop.Builder b = Drop.builder(DropKind.RETRANSMITTED, EvidenceSource.WIRE).flow(flow);
                if (synRetrans > 0) {
                    desc.append(" SYN sent ").append(synRetrans + 1).append("\u00d7 at ").append(times(c.synNanos, base))
                            .append(" before the SYN-ACK;");
                    b.frames(frames(c.synFrames)).times(instants(c.synNanos));
                }
                if (c.synAckRetransmissions > 0) {
                    desc.append(" SYN-ACK sent ").append(c.synAckRetransmissions + 1).append("\u00d7;");
                }
                if (data > 0) {
                    desc.append(' ').append(data).append(data == 1 ? " data retransmission at " : " data retransmissions at ")
                            .append(times(c.retransNanos, base)).append(';');
                    b.frames(frames(c.retransFrames)).times(instants(c.retransNanos));
                }
                desc.setLength(desc.length() - 1);
                // the packets whose instants are listed, beyond the ones kept
                long listed = (synRetrans > 0 ? c.synNanos.total() : 0) + data;
                out.add(b.description(desc.toString()).count(Math.max(1, listed)).build());
            }
        }
        // Unanswered echoes, one record per (source, destination, identifier).
        Map<String, List<EchoRecord>> groups = new LinkedHashMap<>();
        for (EchoRecord e : r.echoes) {
            if (!e.answered()) {
                String key = Addresses.text(e.source, e.source.length) + ">" + Addresses.text(e.destination,
                        e.destination.length) + "#" + e.identifier;
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
            }
        }
        for (List<EchoRecord> g : groups.values()) {
            EchoRecord first = g.get(0);
            Drop.Builder b = Drop.builder(DropKind.ECHO_WITHOUT_REPLY, EvidenceSource.WIRE);
            BoundedLongs t = new BoundedLongs(TcpState.KEEP);
            StringBuilder seqs = new StringBuilder();
            for (int i = 0; i < g.size(); i++) {
                EchoRecord e = g.get(i);
                t.add(e.requestNanos);
                if (i < TcpState.KEEP) {
                    b.frame(e.requestFrame).time(at(e.requestNanos));
                }
                if (i < LISTED) {
                    seqs.append(i == 0 ? "" : ", ").append(e.sequence);
                }
            }
            if (g.size() > LISTED) {
                seqs.append(", \u2026");
            }
            String desc = (first.ipVersion == 6 ? "ICMPv6" : "ICMP") + " echo request "
                    + Addresses.text(first.source, first.source.length) + " \u2192 "
                    + Addresses.text(first.destination, first.destination.length) + " id=" + first.identifier
                    + " sent " + g.size() + "\u00d7 (seq " + seqs + ") at " + times(t, base) + ", no echo reply";
            out.add(b.description(desc).count(g.size()).build());
        }
        return out;
    }
}
