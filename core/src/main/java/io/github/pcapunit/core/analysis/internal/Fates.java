package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.analysis.Confidence;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.analysis.Fate;
import io.github.pcapunit.core.analysis.Verdict;
import io.github.pcapunit.core.packet.Endpoint;
import io.github.pcapunit.core.packet.Flow;
import io.github.pcapunit.core.packet.IpProtocol;
import io.github.pcapunit.core.packet.internal.Addresses;
import io.github.pcapunit.core.pcapng.Direction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One {@link Verdict} per flow — TCP connection, UDP exchange, ICMP echo (grouped by source,
 * target and identifier), and flows only kernel or firewall records show — from the wire state,
 * the drop records and the origin checks of resets and ICMP errors. Never guesses: where the
 * evidence does not say where a packet was lost, the verdict says so and is {@code INFERRED}
 * or names no place.
 *
 * <pre>{@code
 * List<Verdict> verdicts = Fates.verdicts(scan.wire, scan.drops, scan.baseNanos);
 * }</pre>
 */
public final class Fates {

    private final AnalysisResult r;
    private final Origins origins;
    private final long base;
    private final Map<Flow, List<Drop>> wireDrops = new HashMap<>();
    /** Kernel/firewall drops with a flow, until a verdict claims them. */
    private final List<Drop> recorded = new ArrayList<>();
    /** Kernel records without a flow (e.g. PKT_TOO_BIG of a forwarded packet). */
    private final List<Drop> flowless = new ArrayList<>();
    private final List<Drop> echoWithoutReply = new ArrayList<>();

    private Fates(AnalysisResult r, List<Drop> drops, long base) {
        this.r = r;
        this.origins = Origins.of(r);
        this.base = base;
        for (Drop d : drops) {
            if (d.kind() == DropKind.CAPTURE_LOSS) {
                continue;
            }
            if (d.kind() == DropKind.ECHO_WITHOUT_REPLY) {
                echoWithoutReply.add(d);
            } else if (d.flow().isEmpty()) {
                flowless.add(d);
            } else if (d.source() == EvidenceSource.WIRE) {
                wireDrops.computeIfAbsent(d.flow().get(), k -> new ArrayList<>()).add(d);
            } else {
                recorded.add(d);
            }
        }
    }

    /** The verdicts, and which belongs to which TCP or UDP state. */
    public record Result(List<Verdict> all, Map<Object, Verdict> byState) {
    }

    /** The verdicts, TCP connections first (in order of their first packet), then UDP, echoes, record-only flows. */
    public static Result verdicts(AnalysisResult r, List<Drop> drops, long base) {
        return verdicts(r, drops, base, List.of(""));
    }

    /**
     * The verdicts; {@code captureSites} are the captured interfaces' descriptions ("" for one in
     * the JVM's namespace, else text naming its namespace): a firewall drop in one of those
     * namespaces happened on this host.
     */
    public static Result verdicts(AnalysisResult r, List<Drop> drops, long base, List<String> captureSites) {
        Fates f = new Fates(r, drops, base);
        f.captureSites = captureSites;
        List<Verdict> all = f.all();
        return new Result(all, f.byState);
    }

    private final Map<Object, Verdict> byState = new java.util.IdentityHashMap<>();
    private List<String> captureSites = List.of("");

    /** Whether the capture ran in network namespace {@code ns} ({@code "(JVM)"}: the JVM's own). */
    private boolean captured(String ns) {
        if (ns.equals("(JVM)")) {
            return captureSites.isEmpty() || captureSites.contains("");
        }
        java.util.regex.Pattern word = java.util.regex.Pattern.compile("(^|[^\\w.-])"
                + java.util.regex.Pattern.quote(ns) + "($|[^\\w.-])");
        return captureSites.stream().anyMatch(d -> word.matcher(d).find());
    }

    private List<Verdict> all() {
        List<Verdict> out = new ArrayList<>();
        Map<Flow, UnreachableGroup> unreachable = new HashMap<>();
        for (UnreachableGroup g : r.unreachable) {
            unreachable.putIfAbsent(g.flow(), g);
        }
        for (TcpState c : r.tcp) {
            Flow flow = c.flow();
            Verdict v = tcp(c, flow, unreachable.get(flow));
            byState.put(c, v);
            out.add(v);
        }
        for (UdpState u : r.udp) {
            Flow flow = u.flow();
            Verdict v = udp(u, flow, unreachable.get(flow));
            byState.put(u, v);
            out.add(v);
        }
        out.addAll(echoes());
        out.addAll(leftovers());
        out.addAll(recordOnly());
        return List.copyOf(out);
    }

    // ---- TCP ---------------------------------------------------------------------------------

    private Verdict tcp(TcpState c, Flow flow, UnreachableGroup icmp) {
        List<Drop> drops = new ArrayList<>(wireDrops.getOrDefault(flow, List.of()));
        wireDrops.remove(flow);
        List<Drop> kernel = claim(flow);
        drops.addAll(kernel);
        String client = text(c.client);
        String server = text(c.server);
        if (c.reset) {
            Origins.Origin o = WireDrops.resetOrigin(c, origins);
            String claimed = c.resetByServer ? server : client;
            String originLine = o.line("RST", claimed, c.ipVersion);
            String at = " at " + WireDrops.relative(c.resetNanos, base) + " (frame " + c.resetFrame + ")";
            if (o.spoofedByPath()) {
                String where = WireDrops.sentBy(o, claimed).replace(", not by " + claimed, "")
                        .replace("sent by a device ", "").replace("sent from ", "").replace("sent by ", "");
                return Verdict.builder(flow, Fate.RESET_BY_PATH, Confidence.INFERRED).time(start(c))
                        .sentence(flow + " was reset by a device on the path, not by " + claimed + ": the RST"
                                + " that claims to come from " + claimed + " was " + WireDrops.sentBy(o, claimed)
                                .replace(", not by " + claimed, "") + (c.ipVersion == 6 ? " (its hop limit gives it away)"
                                : " (its TTL gives it away)"))
                        .evidence(dropLine(drops, "RST from " + claimed + at)).evidence(originLine)
                        .where(where).drops(drops).build();
            }
            Confidence conf = o.kind() == Origins.Kind.MATCH && !c.midStream ? Confidence.OBSERVED : Confidence.INFERRED;
            if (!c.resetByServer) {
                return Verdict.builder(flow, Fate.CLOSED_BY_INITIATOR, conf).time(start(c))
                        .sentence(flow + " was reset by its own initiator " + client + at + " after "
                                + c.packets + " packets (a client closing early, e.g. with unread data or"
                                + " SO_LINGER 0): not a failure")
                        .evidence(originLine).drops(drops).build();
            }
            if (c.refused) {
                return Verdict.builder(flow, Fate.REFUSED, conf).time(start(c))
                        .sentence(flow + " was refused by the server " + server + ": it answered the SYN with a reset")
                        .evidence(dropLine(drops, "RST from " + server + at)).evidence(originLine)
                        .where(server).drops(drops).build();
            }
            return Verdict.builder(flow, Fate.RESET_BY_PEER, conf).time(start(c))
                    .sentence(flow + " was reset by the server " + server + at + " after "
                            + (c.established ? "the handshake" : "its SYN-ACK"))
                    .evidence(dropLine(drops, "RST from " + server + at)).evidence(originLine)
                    .where(server).drops(drops).build();
        }
        if (icmp != null && !icmp.tooBig()) {
            return unreachable(flow, icmp, c.server, drops);
        }
        boolean unanswered = !c.midStream && !c.synAckSeen && c.synNanos.total() > 0;
        boolean halfOpen = !c.midStream && c.synAckSeen && !c.established;
        if (unanswered || halfOpen) {
            String what = unanswered
                    ? "SYN sent " + c.synNanos.total() + "\u00d7 at " + WireDrops.times(c.synNanos, base)
                    : "SYN-ACK from " + server + " never acknowledged";
            if (!kernel.isEmpty()) {
                return dropped(flow, kernel, drops, c.synDirection, what);
            }
            return Verdict.builder(flow, Fate.UNANSWERED, Confidence.OBSERVED).time(start(c))
                    .sentence(flow + " was not answered: " + what + (unanswered
                            ? ", and no SYN-ACK, reset or ICMP error came back" : "")
                            + "; where it was lost is not recorded")
                    .evidence(dropLine(drops, what)).drops(drops).build();
        }
        for (int side = 0; side < 2; side++) {
            Verdict stall = stalled(c, flow, side, icmp, drops);
            if (stall != null) {
                return stall;
            }
        }
        Verdict.Builder b = Verdict.builder(flow, Fate.COMPLETED, Confidence.OBSERVED).time(start(c))
                .sentence(c::summary).drops(drops);
        drops.forEach(d -> b.evidence(d.description()));
        return b.build();
    }

    private static java.time.Instant start(TcpState c) {
        return WireDrops.at(c.firstNanos);
    }

    /**
     * Data of {@code side} retransmitted twice or more and never acknowledged: a path-MTU black
     * hole when the retransmitted segments are larger than any the peer acknowledged, else a stall.
     */
    private Verdict stalled(TcpState c, Flow flow, int side, UnreachableGroup icmp, List<Drop> drops) {
        if (c.sideRetrans[side] < 2 || !c.unacknowledged(side)) {
            return null;
        }
        String sender = text(side == 0 ? c.client : c.server);
        int big = c.maxRetransPayload[side];
        int acked = c.maxAckedPayload[side];
        String retrans = c.sideRetrans[side] + " retransmissions by " + sender + " of segments up to " + big
                + " bytes, never acknowledged";
        List<String> evidence = new ArrayList<>();
        evidence.add(retrans);
        if (icmp != null) {
            evidence.add((icmp.ipVersion == 6 ? "ICMPv6 packet too big" : "ICMP fragmentation needed") + " from "
                    + text(icmp.reporter) + " captured at " + WireDrops.times(icmp.nanos, base)
                    + ", yet the segments were sent again at the same size: the error did not reach the sender's"
                    + " TCP (dropped after the capture point)");
        }
        for (Drop d : flowless) {
            if (d.reason().map(x -> x.equals("PKT_TOO_BIG") || x.equals("FRAG_NEEDED")).orElse(false)
                    && d.time().map(t -> !t.isBefore(WireDrops.at(c.firstNanos))
                    && !t.isAfter(WireDrops.at(c.lastNanos).plusSeconds(1))).orElse(false)) {
                evidence.add("kernel: " + d.description());
            }
        }
        if (big > acked && acked > 0) {
            Verdict.Builder b = Verdict.builder(flow, Fate.PMTU_BLACK_HOLE, Confidence.INFERRED)
                    .time(WireDrops.at(c.firstNanos))
                    .sentence(flow + " stalled in a path-MTU black hole: " + sender + "'s segments of " + big
                            + " bytes never got through while segments of up to " + acked + " bytes were"
                            + " acknowledged, and no working \"packet too big\" signal came back")
                    .evidence("segments of up to " + acked + " bytes from " + sender + " were acknowledged")
                    .drops(drops);
            evidence.forEach(b::evidence);
            return b.build();
        }
        Verdict.Builder b = Verdict.builder(flow, Fate.UNANSWERED, Confidence.OBSERVED)
                .time(WireDrops.at(c.firstNanos))
                .sentence(flow + " stalled: " + retrans + "; where they were lost is not recorded").drops(drops);
        evidence.subList(1, evidence.size()).forEach(b::evidence);
        drops.forEach(d -> b.evidence(d.description()));
        return b.build();
    }

    // ---- UDP, ICMP ---------------------------------------------------------------------------

    private Verdict udp(UdpState u, Flow flow, UnreachableGroup icmp) {
        List<Drop> drops = new ArrayList<>(wireDrops.getOrDefault(flow, List.of()));
        wireDrops.remove(flow);
        List<Drop> kernel = claim(flow);
        drops.addAll(kernel);
        if (icmp != null && !icmp.tooBig()) {
            return unreachable(flow, icmp, u.server, drops);
        }
        java.util.function.Supplier<String> counts = () -> u.requests + (u.requests == 1 ? " datagram" : " datagrams") + " to " + text(u.server)
                + ", " + u.responses + (u.responses == 1 ? " answer" : " answers");
        if (u.responses > 0) {
            Verdict.Builder b = Verdict.builder(flow, Fate.COMPLETED, Confidence.OBSERVED)
                    .time(WireDrops.at(u.firstRequestNanos)).sentence(() -> flow + " answered: " + counts.get()).drops(drops);
            drops.forEach(d -> b.evidence(d.description()));
            return b.build();
        }
        if (!kernel.isEmpty()) {
            return dropped(flow, kernel, drops, null, counts.get());
        }
        return Verdict.builder(flow, Fate.UNANSWERED, Confidence.OBSERVED).time(WireDrops.at(u.firstRequestNanos))
                .sentence(() -> flow + " got no answer (" + counts.get() + "): not a failure for UDP by itself").build();
    }

    private List<Verdict> echoes() {
        Map<String, List<EchoRecord>> groups = new LinkedHashMap<>();
        for (EchoRecord e : r.echoes) {
            String key = text(e.source) + ">" + text(e.destination) + "#" + e.identifier;
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        }
        Map<String, UnreachableGroup> icmpErrors = new HashMap<>();
        for (UnreachableGroup g : r.unreachable) {
            if (g.protocol == 1 || g.protocol == 58) {
                icmpErrors.putIfAbsent(text(g.client) + ">" + text(g.server), g);
            }
        }
        List<Verdict> out = new ArrayList<>();
        for (List<EchoRecord> g : groups.values()) {
            EchoRecord first = g.get(0);
            IpProtocol p = first.ipVersion == 6 ? IpProtocol.ICMPV6 : IpProtocol.ICMP;
            Flow flow = Flow.of(p, Endpoint.of(Addresses.of(first.source, first.source.length), -1),
                    Endpoint.of(Addresses.of(first.destination, first.destination.length), -1));
            long answered = g.stream().filter(EchoRecord::answered).count();
            String what = (p == IpProtocol.ICMPV6 ? "ICMPv6" : "ICMP") + " echo " + text(first.source) + " \u2192 "
                    + text(first.destination) + " id=" + first.identifier;
            String counts = g.size() + (g.size() == 1 ? " request, " : " requests, ") + answered + " answered";
            List<Drop> drops = new ArrayList<>(wireDrops.getOrDefault(flow, List.of()));
        wireDrops.remove(flow);
            drops.addAll(echoDrops(g));
            if (answered == g.size()) {
                out.add(Verdict.builder(flow, Fate.COMPLETED, Confidence.OBSERVED)
                        .time(WireDrops.at(first.requestNanos)).sentence(what + " answered: " + counts).build());
                continue;
            }
            UnreachableGroup icmp = icmpErrors.get(text(first.source) + ">" + text(first.destination));
            if (icmp != null) {
                out.add(unreachable(flow, icmp, first.destination, drops));
                continue;
            }
            Verdict.Builder b = Verdict.builder(flow, Fate.UNANSWERED, Confidence.OBSERVED)
                    .time(WireDrops.at(first.requestNanos))
                    .sentence(what + " was not answered: " + counts + "; where it was lost is not recorded")
                    .drops(drops);
            drops.forEach(d -> b.evidence(d.description()));
            out.add(b.build());
        }
        return out;
    }

    /** Echo drop records carry no flow: they are matched by the request frames they list. */
    private List<Drop> echoDrops(List<EchoRecord> group) {
        Set<Long> frames = new HashSet<>();
        group.forEach(e -> frames.add(e.requestFrame));
        List<Drop> out = new ArrayList<>();
        for (Drop d : echoWithoutReply) {
            if (d.frames().stream().anyMatch(frames::contains)) {
                out.add(d);
            }
        }
        return out;
    }

    private Verdict unreachable(Flow flow, UnreachableGroup g, byte[] destination, List<Drop> drops) {
        String reporter = text(g.reporter);
        String dest = text(destination);
        String code = g.ipVersion == 6 && g.icmpType == 2 ? "PACKET_TOO_BIG"
                : io.github.pcapunit.core.packet.internal.IcmpNames.unreachableCode(g.ipVersion, g.icmpCode);
        String kind = (g.ipVersion == 6 ? "ICMPv6 " : "ICMP ") + code.toLowerCase(Locale.ROOT).replace('_', ' ')
                + " (type " + g.icmpType + " code " + g.icmpCode + ")";
        Origins.Origin own = origins.check(g.reporter, g.ttl);
        String who;
        String where;
        Confidence conf;
        List<String> lines = new ArrayList<>();
        if (reporter.equals(dest)) {
            Origins.Origin o = Origins.compare(g.ttl, origins.of(destination));
            lines.add(o.line(kind, dest, g.ipVersion));
            if (o.spoofedByPath()) {
                who = WireDrops.sentBy(o, dest);
                where = who.replace("sent by a device ", "").replace(", not by " + dest, "");
                conf = Confidence.INFERRED;
            } else if (o.kind() == Origins.Kind.MATCH) {
                who = "sent by " + dest + " itself";
                where = dest;
                conf = Confidence.OBSERVED;
            } else {
                who = "from " + dest + " (origin unverified)";
                where = dest;
                conf = Confidence.INFERRED;
            }
        } else {
            // A router reports it: how far it sits from the destination, if the destination sent anything.
            Origins.Origin vsDest = Origins.compare(g.ttl, origins.of(destination));
            who = "sent by " + reporter;
            where = reporter;
            conf = Confidence.OBSERVED;
            if (vsDest.kind() == Origins.Kind.CLOSER) {
                who += ", " + vsDest.hops() + (vsDest.hops() == 1 ? " hop" : " hops") + " closer than " + dest;
            }
            lines.add(own.line(kind, reporter, g.ipVersion));
        }
        Verdict.Builder b = Verdict.builder(flow, Fate.UNREACHABLE, conf).time(WireDrops.at(g.nanos.get(0)))
                .sentence(flow + " is unreachable: " + kind + " " + who)
                .where(where).drops(drops);
        drops.forEach(d -> b.evidence(d.description()));
        lines.forEach(b::evidence);
        return b.build();
    }

    /** Wire drops no flow state claimed (an ICMP error about a flow the filter left out). */
    private List<Verdict> leftovers() {
        List<Verdict> out = new ArrayList<>();
        for (Map.Entry<Flow, List<Drop>> e : wireDrops.entrySet()) {
            Drop first = e.getValue().get(0);
            Fate fate = switch (first.kind()) {
                case ICMP_UNREACHABLE -> Fate.UNREACHABLE;
                case REFUSED -> Fate.REFUSED;
                case RESET_BY_PATH -> Fate.RESET_BY_PATH;
                case RESET_BY_PEER -> Fate.RESET_BY_PEER;
                default -> Fate.UNANSWERED;
            };
            Verdict.Builder b = Verdict.builder(e.getKey(), fate, Confidence.OBSERVED)
                    .sentence(e.getKey() + " " + fate.text() + ": " + first.description()).drops(e.getValue());
            first.time().ifPresent(b::time);
            e.getValue().forEach(d -> b.evidence(d.description()));
            out.add(b.build());
        }
        wireDrops.clear();
        return out;
    }

    // ---- kernel and firewall records ---------------------------------------------------------

    /** The kernel/firewall drops of {@code flow} (either direction; unknown ports as 0), removed from the pool. */
    private List<Drop> claim(Flow flow) {
        if (recorded.isEmpty()) {
            return List.of();
        }
        List<Drop> out = new ArrayList<>();
        for (java.util.Iterator<Drop> it = recorded.iterator(); it.hasNext();) {
            Drop d = it.next();
            Flow f = d.flow().orElseThrow();
            if (same(f, flow) || same(f, flow.reversed())) {
                out.add(d);
                it.remove();
            }
        }
        return out;
    }

    private static boolean same(Flow record, Flow flow) {
        return (record.protocol() == flow.protocol() || record.protocol() == IpProtocol.OTHER)
                && record.source().address().equals(flow.source().address())
                && record.destination().address().equals(flow.destination().address())
                && port(record.source().port(), flow.source().port())
                && port(record.destination().port(), flow.destination().port());
    }

    private static boolean port(int record, int flow) {
        return record == flow || record <= 0;
    }

    /**
     * Kernel or firewall drops decide the place. A firewall record names its namespace
     * ({@code OBSERVED}); a tracefs record names none, so the place comes from where the capture
     * saw the packets ({@code INFERRED}): never seen → dropped on this host before leaving;
     * captured leaving (Tx) → dropped after it, on another host; captured arriving (Rx) → dropped
     * by this host's INPUT/FORWARD; otherwise the place is not known.
     */
    private Verdict dropped(Flow flow, List<Drop> kernel, List<Drop> drops, Direction captured, String what) {
        Drop firewall = kernel.stream().filter(d -> d.source() == EvidenceSource.FIREWALL
                && d.namespace().isPresent()).findFirst().orElse(null);
        Fate fate;
        Confidence conf;
        String where;
        String how;
        if (firewall != null) {
            String ns = firewall.namespace().get();
            boolean here = captured(ns);
            fate = here ? Fate.DROPPED_ON_THIS_HOST : Fate.DROPPED_ELSEWHERE;
            conf = Confidence.OBSERVED;
            where = (here ? "this host, " : "") + (ns.equals("(JVM)") ? "the JVM's network namespace" : "namespace " + ns);
            how = "by nftables " + firewall.firewallRule().map(Object::toString).orElse("(rule not traced)")
                    + " in " + where;
        } else if (captured == null) {
            fate = Fate.DROPPED;
            conf = Confidence.INFERRED;
            where = null;
            how = "by the kernel (" + reasons(kernel) + "); the record names no namespace";
        } else if (captured == Direction.OUTBOUND) {
            fate = Fate.DROPPED_ELSEWHERE;
            conf = Confidence.INFERRED;
            where = "another host or namespace";
            how = "after it was captured leaving this host, so on another host or namespace on the path ("
                    + reasons(kernel) + "; the kernel record names no namespace)";
        } else if (captured == Direction.INBOUND) {
            fate = Fate.DROPPED_ON_THIS_HOST;
            conf = Confidence.INFERRED;
            where = "this host (INPUT or FORWARD)";
            how = "after it was captured arriving, so by this host's INPUT or FORWARD path (" + reasons(kernel)
                    + "; the kernel record names no namespace)";
        } else {
            fate = Fate.DROPPED;
            conf = Confidence.INFERRED;
            where = null;
            how = "by the kernel (" + reasons(kernel) + "); the capture does not say in which direction it"
                    + " passed, and the record names no namespace, so where is not known";
        }
        Verdict.Builder b = Verdict.builder(flow, fate, conf)
                .sentence(flow + " was dropped " + how + ": " + what).where(where).drops(drops);
        kernel.get(0).time().ifPresent(b::time);
        drops.forEach(d -> b.evidence(d.description()));
        return b.build();
    }

    private static String reasons(List<Drop> kernel) {
        Set<String> r = new java.util.LinkedHashSet<>();
        for (Drop d : kernel) {
            r.add(d.reason().orElse("?") + d.location().map(l -> " at " + l).orElse(""));
        }
        return String.join(", ", r);
    }

    /** Flows only kernel or firewall records show: nothing of them reached a captured interface. */
    private List<Verdict> recordOnly() {
        Map<Flow, List<Drop>> byFlow = new LinkedHashMap<>();
        for (Drop d : recorded) {
            Flow f = d.flow().orElseThrow();
            Flow key = null;
            for (Flow k : byFlow.keySet()) {
                if (same(f, k) || same(k, f)) {
                    key = k;
                }
            }
            byFlow.computeIfAbsent(key != null ? key : f, k -> new ArrayList<>()).add(d);
        }
        List<Verdict> out = new ArrayList<>();
        for (Map.Entry<Flow, List<Drop>> e : byFlow.entrySet()) {
            List<Drop> kernel = e.getValue();
            long packets = kernel.stream().mapToLong(d -> Math.max(1, d.times().size())).sum();
            Drop firewall = kernel.stream().filter(d -> d.source() == EvidenceSource.FIREWALL
                    && d.namespace().isPresent()).findFirst().orElse(null);
            if (firewall != null) {
                out.add(dropped(e.getKey(), kernel, kernel, null, packets + " dropped"));
                continue;
            }
            Verdict.Builder b = Verdict.builder(e.getKey(), Fate.DROPPED_ON_THIS_HOST, Confidence.INFERRED)
                    .sentence(e.getKey() + " was dropped on this host: the kernel dropped " + packets
                            + (packets == 1 ? " packet" : " packets") + " of it (" + reasons(kernel)
                            + ") and none reached a captured interface")
                    .where("this host").drops(kernel);
            kernel.get(0).time().ifPresent(b::time);
            kernel.forEach(d -> b.evidence(d.description()));
            out.add(b.build());
        }
        recorded.clear();
        return out;
    }

    // ---- text ----------------------------------------------------------------------------------

    private static String dropLine(List<Drop> drops, String fallback) {
        return drops.isEmpty() ? fallback : drops.get(0).description();
    }

    static String text(byte[] address) {
        return Addresses.text(address, address.length);
    }
}
