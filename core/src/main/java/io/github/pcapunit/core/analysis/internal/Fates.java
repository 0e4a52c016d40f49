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
import java.net.InetAddress;
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
    /** In order of each flow's first wire drop: {@link #leftovers} lists them in that order. */
    private final Map<Flow, List<Drop>> wireDrops = new LinkedHashMap<>();
    /** Kernel/firewall drops with a flow, until a verdict claims them. */
    private final List<Drop> recorded = new ArrayList<>();
    /** Kernel records without a flow (e.g. PKT_TOO_BIG of a forwarded packet). */
    private final List<Drop> flowless = new ArrayList<>();
    private final List<Drop> echoWithoutReply = new ArrayList<>();

    /**
     * Keys (protocol left out, direction-independent) of every flow a wire drop or an ICMP error
     * names: a flow whose key is here is never {@link #untouched}.
     */
    private final Set<FlowKey> named = new HashSet<>();
    /** Addresses of the kernel/firewall records with a flow. */
    private final Set<FlowKey> recordedAddresses = new HashSet<>();
    private final FlowKey probe = new FlowKey();

    private Fates(AnalysisResult r, List<Drop> drops, long base) {
        this.r = r;
        this.origins = r.origins();
        this.base = base;
        for (UnreachableGroup g : r.unreachable) {
            named.add(key(g.ipVersion, g.client, g.clientPort, g.server, g.serverPort));
        }
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
                named.add(key(d.flow().get()));
            } else {
                recorded.add(d);
                Flow f = d.flow().get();
                recordedAddresses.add(address(f.source().address().getAddress()));
                recordedAddresses.add(address(f.destination().address().getAddress()));
            }
        }
    }

    private static FlowKey key(int version, byte[] a, int aPort, byte[] b, int bPort) {
        FlowKey k = new FlowKey();
        k.set(version, 0, a, aPort, b, bPort);
        return k;
    }

    private static FlowKey key(Flow f) {
        byte[] a = f.source().address().getAddress();
        return key(a.length == 4 ? 4 : 6, a, f.source().port(), f.destination().address().getAddress(),
                f.destination().port());
    }

    private static FlowKey address(byte[] a) {
        return key(a.length == 4 ? 4 : 6, a, 0, a, 0);
    }

    /**
     * Whether no wire drop, ICMP error or kernel/firewall record can concern {@code p}: its
     * verdict then follows from its own state alone and is built when first asked for. A
     * conservative test: flows it cannot clear take the full path.
     */
    private boolean untouched(EndpointPair p) {
        if (!named.isEmpty()) {
            probe.set(p.ipVersion, 0, p.client, p.clientPort, p.server, p.serverPort);
            if (named.contains(probe)) {
                return false;
            }
        }
        if (!recordedAddresses.isEmpty()) {
            probe.set(p.ipVersion, 0, p.client, 0, p.client, 0);
            if (recordedAddresses.contains(probe)) {
                return false;
            }
            probe.set(p.ipVersion, 0, p.server, 0, p.server, 0);
            return !recordedAddresses.contains(probe);
        }
        return true;
    }

    /**
     * A connection that completed with nothing lost: no reset, a full handshake (or picked up
     * mid-stream), no retransmission, nothing else names it. Its verdict is {@link #completed}.
     */
    private boolean quiet(TcpState c) {
        return !c.reset && (c.midStream || (c.synAckSeen && c.established)) && c.allRetransmissions() == 0
                && c.sideRetrans(0) == 0 && c.sideRetrans(1) == 0 && untouched(c);
    }

    /**
     * The verdicts, and which belongs to which TCP or UDP state. The verdicts of flows that
     * completed with nothing lost, and that no drop record names (most flows of a large capture),
     * are built on first use: a check that looks only at failed flows does not pay for them.
     */
    public static final class Result {
        private final AnalysisResult r;
        /** By state index; null until built for a quiet flow. */
        private final Verdict[] tcp;
        private final Verdict[] udp;
        /** Echoes, wire drops no flow claimed, flows only kernel records show. */
        private final List<Verdict> rest;
        private final List<Verdict> lossy;
        private List<Verdict> all;

        private Result(AnalysisResult r, Verdict[] tcp, Verdict[] udp, List<Verdict> rest) {
            this.r = r;
            this.tcp = tcp;
            this.udp = udp;
            this.rest = rest;
            List<Verdict> l = new ArrayList<>();
            for (Verdict[] a : List.of(tcp, udp)) {
                for (Verdict v : a) {
                    if (v != null && v.hasLoss()) {
                        l.add(v);
                    }
                }
            }
            rest.stream().filter(Verdict::hasLoss).forEach(l::add);
            this.lossy = List.copyOf(l);
        }

        /** Every verdict: TCP connections in order of their first packet, then UDP, echoes, record-only flows. */
        public synchronized List<Verdict> all() {
            if (all == null) {
                List<Verdict> out = new ArrayList<>(tcp.length + udp.length + rest.size());
                for (int i = 0; i < tcp.length; i++) {
                    out.add(tcp(i));
                }
                for (int i = 0; i < udp.length; i++) {
                    out.add(udp(i));
                }
                out.addAll(rest);
                all = List.copyOf(out);
            }
            return all;
        }

        /** The verdicts with {@link Verdict#hasLoss()}, in the order of {@link #all()}. */
        public List<Verdict> lossy() {
            return lossy;
        }

        /**
         * How many of {@link #all()} met each fate, in {@link Fate}'s order, fates no flow met
         * left out: what counting {@code all()} gives, without building the verdicts of quiet
         * flows (a quiet TCP connection {@link Fate#COMPLETED}; a quiet UDP exchange by
         * {@code quietUdpFate}).
         */
        public Map<Fate, Long> fates() {
            long[] n = new long[Fate.values().length];
            for (int i = 0; i < tcp.length; i++) {
                Verdict v = tcp[i];
                n[(v != null ? v.fate() : Fate.COMPLETED).ordinal()]++;
            }
            for (int i = 0; i < udp.length; i++) {
                Verdict v = udp[i];
                n[(v != null ? v.fate() : quietUdpFate(r.udp.get(i))).ordinal()]++;
            }
            for (Verdict v : rest) {
                n[v.fate().ordinal()]++;
            }
            Map<Fate, Long> counts = new java.util.EnumMap<>(Fate.class);
            for (Fate f : Fate.values()) {
                if (n[f.ordinal()] > 0) {
                    counts.put(f, n[f.ordinal()]);
                }
            }
            return java.util.Collections.unmodifiableMap(counts);
        }

        /** Receives the flows of {@link Result#all()}, see {@link Result#eachFlow}. */
        public interface FlowVisitor {
            /**
             * One flow: its verdict, or null for a TCP connection or UDP exchange whose verdict is
             * not built (it completed with nothing lost, or is an unanswered UDP exchange: never a
             * failure, no drops), then with {@code quietDestination} its destination endpoint.
             */
            void flow(Verdict verdict, Endpoint quietDestination);
        }

        /**
         * Every flow of {@link #all()} in its order, without building the verdicts of quiet flows
         * (those are passed as null with their destination, the endpoint their verdict's flow would
         * have): what {@code CapturedTraffic.diagnoses()} needs to count a destination's flows.
         */
        public synchronized void eachFlow(FlowVisitor visitor) {
            // most quiet flows go to the server of the one before: its endpoint, without hashing
            byte[] lastRaw = null;
            int lastPort = -2;
            Endpoint last = null;
            for (int i = 0; i < tcp.length; i++) {
                Verdict v = tcp[i];
                if (v != null) {
                    visitor.flow(v, null);
                } else {
                    TcpState c = r.tcp.get(i);
                    if (c.serverPort != lastPort || !java.util.Arrays.equals(c.server, lastRaw)) {
                        lastRaw = c.server;
                        lastPort = c.serverPort;
                        last = endpoint(c.server, c.serverPort);
                    }
                    visitor.flow(null, last);
                }
            }
            for (int i = 0; i < udp.length; i++) {
                Verdict v = udp[i];
                if (v != null) {
                    visitor.flow(v, null);
                } else {
                    UdpState u = r.udp.get(i);
                    if (u.serverPort != lastPort || !java.util.Arrays.equals(u.server, lastRaw)) {
                        lastRaw = u.server;
                        lastPort = u.serverPort;
                        last = endpoint(u.server, u.serverPort);
                    }
                    visitor.flow(null, last);
                }
            }
            for (Verdict v : rest) {
                visitor.flow(v, null);
            }
        }

        /** The verdict of a TCP or UDP state of this analysis, or null for another object. */
        public Verdict of(Object state) {
            if (state instanceof TcpState c && c.index >= 0 && c.index < tcp.length && r.tcp.get(c.index) == c) {
                return tcp(c.index);
            }
            if (state instanceof UdpState u && u.index >= 0 && u.index < udp.length && r.udp.get(u.index) == u) {
                return udp(u.index);
            }
            return null;
        }

        private synchronized Verdict tcp(int i) {
            Verdict v = tcp[i];
            if (v == null) {
                TcpState c = r.tcp.get(i);
                v = completed(c, flow(c), List.of());
                tcp[i] = v;
            }
            return v;
        }

        private synchronized Verdict udp(int i) {
            Verdict v = udp[i];
            if (v == null) {
                UdpState u = r.udp.get(i);
                v = udpWithoutDrops(u, flow(u), List.of());
                udp[i] = v;
            }
            return v;
        }

        /** Recently built endpoints and addresses by a hash of address and port: see {@link #flow}. */
        private final byte[][] rawKeys = new byte[CACHE][];
        private final int[] portKeys = new int[CACHE];
        private final Endpoint[] endpoints = new Endpoint[CACHE];
        private final byte[][] addressKeys = new byte[CACHE][];
        private final InetAddress[] addresses = new InetAddress[CACHE];

        /**
         * {@link EndpointPair#flow()}, its endpoints and addresses shared with the quiet flows built
         * before (both are immutable): a large capture has tens of thousands of quiet flows between
         * a few hosts, mostly to one server port, and each would otherwise bring two addresses and
         * two endpoints of its own. Only under this object's lock.
         */
        private Flow flow(EndpointPair p) {
            return Flow.of(IpProtocol.ofNumber(p.protocol), endpoint(p.client, p.clientPort),
                    endpoint(p.server, p.serverPort));
        }

        private Endpoint endpoint(byte[] raw, int port) {
            int slot = ((java.util.Arrays.hashCode(raw) * 31 + port) & 0x7fffffff) % CACHE;
            if (endpoints[slot] != null && portKeys[slot] == port && java.util.Arrays.equals(rawKeys[slot], raw)) {
                return endpoints[slot];
            }
            Endpoint e = Endpoint.of(address(raw), port);
            rawKeys[slot] = raw;
            portKeys[slot] = port;
            endpoints[slot] = e;
            return e;
        }

        private InetAddress address(byte[] raw) {
            int slot = (java.util.Arrays.hashCode(raw) & 0x7fffffff) % CACHE;
            if (addresses[slot] != null && java.util.Arrays.equals(addressKeys[slot], raw)) {
                return addresses[slot];
            }
            InetAddress a = Addresses.of(raw, raw.length);
            addressKeys[slot] = raw;
            addresses[slot] = a;
            return a;
        }
    }

    /** Slots of {@link Result}'s endpoint and address caches. */
    private static final int CACHE = 61;

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
        return f.result();
    }

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

    /**
     * Every flow in order; a quiet one (see {@link #quiet}, {@link #untouched}) is left for
     * {@link Result} to build on demand — it claims no record, so the order in which the others
     * claim theirs is unchanged.
     */
    private Result result() {
        Map<Flow, UnreachableGroup> unreachable = new HashMap<>();
        for (UnreachableGroup g : r.unreachable) {
            unreachable.putIfAbsent(g.flow(), g);
        }
        Verdict[] tcp = new Verdict[r.tcp.size()];
        for (int i = 0; i < tcp.length; i++) {
            TcpState c = r.tcp.get(i);
            if (!quiet(c)) {
                Flow flow = c.flow();
                tcp[i] = tcp(c, flow, unreachable.get(flow));
            }
        }
        Verdict[] udp = new Verdict[r.udp.size()];
        for (int i = 0; i < udp.length; i++) {
            UdpState u = r.udp.get(i);
            if (!untouched(u)) {
                Flow flow = u.flow();
                udp[i] = udp(u, flow, unreachable.get(flow));
            }
        }
        List<Verdict> rest = new ArrayList<>(echoes());
        rest.addAll(leftovers());
        rest.addAll(recordOnly());
        return new Result(r, tcp, udp, List.copyOf(rest));
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
                return dropped(flow, kernel, drops, c.synDirection, what + packets(kernel));
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
        return completed(c, flow, drops);
    }

    /** A connection that completed; {@code drops} (a retransmitted SYN, say) are its evidence. */
    private static Verdict completed(TcpState c, Flow flow, List<Drop> drops) {
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
        if (c.sideRetrans(side) < 2 || !c.unacknowledged(side)) {
            return null;
        }
        String sender = text(side == 0 ? c.client : c.server);
        int big = c.maxRetransPayload(side);
        int acked = c.maxAckedPayload(side);
        String retrans = c.sideRetrans(side) + " retransmissions by " + sender + " of segments up to " + big
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
        if (u.responses == 0 && !kernel.isEmpty()) {
            return dropped(flow, kernel, drops, null, counts(u) + packets(kernel));
        }
        return udpWithoutDrops(u, flow, drops);
    }

    /** The fate of a UDP exchange no kernel record or ICMP error explains: answered or not. */
    private static Fate quietUdpFate(UdpState u) {
        return u.responses > 0 ? Fate.COMPLETED : Fate.UNANSWERED;
    }

    private static String counts(UdpState u) {
        return u.requests + (u.requests == 1 ? " datagram" : " datagrams") + " to " + text(u.server)
                + ", " + u.responses + (u.responses == 1 ? " answer" : " answers");
    }

    /**
     * A UDP exchange no kernel record explains: answered ({@code drops} its evidence), or
     * unanswered — no failure for UDP by itself.
     */
    private static Verdict udpWithoutDrops(UdpState u, Flow flow, List<Drop> drops) {
        if (quietUdpFate(u) == Fate.COMPLETED) {
            Verdict.Builder b = Verdict.builder(flow, Fate.COMPLETED, Confidence.OBSERVED)
                    .time(WireDrops.at(u.firstRequestNanos)).sentence(() -> flow + " answered: " + counts(u)).drops(drops);
            drops.forEach(d -> b.evidence(d.description()));
            return b.build();
        }
        return Verdict.builder(flow, Fate.UNANSWERED, Confidence.OBSERVED).time(WireDrops.at(u.firstRequestNanos))
                .sentence(() -> flow + " got no answer (" + counts(u) + "): not a failure for UDP by itself").build();
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
            List<String> notes = pingReplyNotes(g);
            if (answered == g.size()) {
                Verdict.Builder b = Verdict.builder(flow, Fate.COMPLETED, Confidence.OBSERVED)
                        .time(WireDrops.at(first.requestNanos)).sentence(what + " answered: " + counts);
                notes.forEach(b::evidence);
                out.add(b.build());
                continue;
            }
            // the kernel's and the firewall's records of this exchange, beside the verdicts stored with its frames
            List<Drop> records = echoRecords(flow, g);
            drops.addAll(records);
            UnreachableGroup icmp = icmpErrors.get(text(first.source) + ">" + text(first.destination));
            if (icmp != null) {
                out.add(unreachable(flow, icmp, first.destination, drops));
                continue;
            }
            List<Drop> kernel = new ArrayList<>(drops.stream()
                    .filter(d -> d.source() == EvidenceSource.PACKET_VERDICT).toList());
            kernel.addAll(records);
            if (!kernel.isEmpty()) {
                // one count over every source, a packet two of them saw counted once (dropped(), sameSkb())
                String tie = records.isEmpty() ? "" : "; the " + recordWord(records) + " "
                        + (records.size() == 1 ? "record is" : "records are") + " tied to this exchange by addresses"
                        + " and time (inferred: " + (recordWord(records).contains(" and ") ? recordWord(records)
                                + " records carry" : "a " + recordWord(records) + " record carries")
                        + " no echo identifier)";
                out.add(dropped(flow, kernel, drops, null, counts + tie + packets(kernel)));
                continue;
            }
            Verdict.Builder b = Verdict.builder(flow, Fate.UNANSWERED, Confidence.OBSERVED)
                    .time(WireDrops.at(first.requestNanos))
                    .sentence(what + " was not answered: " + counts + "; where it was lost is not recorded")
                    .drops(drops);
            drops.forEach(d -> b.evidence(d.description()));
            notes.forEach(b::evidence);
            out.add(b.build());
        }
        return out;
    }

    /**
     * The kernel and firewall records of an echo exchange not all of whose requests were answered,
     * claimed from the pool: of its addresses in either direction (a record names no echo
     * identifier, so this is inferred), every instant between {@link #SKEW_NANOS} before its first
     * request and {@link #ECHO_FREE_NANOS} after its last. A record of a reply no ping socket
     * wanted ({@link Drop#isNote()}) is no drop of it, and a record with an instant outside that
     * span stays in the pool (it may hold another exchange's packets too).
     *
     * <pre>{@code
     * List<Drop> records = echoRecords(flow, group); // e.g. eBPF's NETFILTER_DROP of 3 requests at the server's INPUT
     * }</pre>
     */
    private List<Drop> echoRecords(Flow flow, List<EchoRecord> group) {
        if (recorded.isEmpty() || group.stream().allMatch(EchoRecord::answered)) {
            return List.of();
        }
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (EchoRecord e : group) {
            from = Math.min(from, e.requestNanos - SKEW_NANOS);
            to = Math.max(to, e.requestNanos + ECHO_FREE_NANOS);
        }
        List<Drop> out = new ArrayList<>();
        for (java.util.Iterator<Drop> it = recorded.iterator(); it.hasNext();) {
            Drop d = it.next();
            Flow f = d.flow().orElseThrow();
            if (d.source() == EvidenceSource.PACKET_VERDICT || d.isNote() || d.times().isEmpty()
                    || !(same(f, flow) || same(f, flow.reversed()))) {
                continue;
            }
            boolean within = true;
            for (java.time.Instant t : d.times()) {
                long n = nanos(t);
                within &= n >= from && n <= to;
            }
            if (within) {
                out.add(d);
                it.remove();
            }
        }
        return out;
    }

    /** {@code "kernel"}, {@code "firewall"} or {@code "kernel and firewall"}: what recorded {@code records}. */
    private static String recordWord(List<Drop> records) {
        boolean kernel = records.stream().anyMatch(d -> d.source() == EvidenceSource.KERNEL);
        boolean firewall = records.stream().anyMatch(d -> d.source() == EvidenceSource.FIREWALL);
        return kernel && firewall ? "kernel and firewall" : firewall ? "firewall" : "kernel";
    }

    /**
     * Longest time from an echo request's capture to the kernel freeing it or its reply: the request
     * is freed within microseconds where a rule drops it, the reply within the peer's answer time.
     */
    private static final long ECHO_FREE_NANOS = 1_000_000_000L;

    /** Longest time from a reply's capture to the kernel freeing it: microseconds in practice. */
    private static final long REPLY_TO_FREE_NANOS = 1_000_000_000L;
    /** Clock skew allowed between the capture's timestamps and the kernel trace's. */
    private static final long SKEW_NANOS = 50_000_000L;

    /**
     * Kernel records of this group's echo replies that no ping socket wanted, claimed from the
     * pool as notes, never as drops. {@code ping_rcv} is the kernel's handler of ICMP(v6) echo
     * replies, and it frees a reply with {@code NO_SOCKET} when no ping socket (an unprivileged
     * ICMP socket) waits for it: a root {@code ping} listens on a raw socket, which got its own copy
     * before. Such a record is this exchange's only when every instant of it follows the capture
     * of one of the group's replies (within a second) and, when the record names addresses, they
     * are that reply's; anything else stays a drop record as before.
     */
    private List<String> pingReplyNotes(List<EchoRecord> group) {
        List<String> out = new ArrayList<>();
        for (List<Drop> pool : List.of(recorded, flowless)) {
            for (java.util.Iterator<Drop> it = pool.iterator(); it.hasNext();) {
                Drop d = it.next();
                if (!d.isNote() || d.times().isEmpty()) {
                    continue;
                }
                List<EchoRecord> replies = new ArrayList<>();
                for (java.time.Instant t : d.times()) {
                    EchoRecord reply = replyBefore(group, d, t.getEpochSecond() * 1_000_000_000L + t.getNano());
                    if (reply == null) {
                        replies.clear();
                        break;
                    }
                    replies.add(reply);
                }
                if (!replies.isEmpty()) {
                    it.remove();
                    EchoRecord first = replies.get(0);
                    EchoRecord last = replies.get(replies.size() - 1);
                    String when = first == last ? "captured at " + WireDrops.relative(first.replyNanos, base)
                            : "captured from " + WireDrops.relative(first.replyNanos, base) + " to "
                                    + WireDrops.relative(last.replyNanos, base);
                    out.add("kernel note (not a drop of this exchange, inferred): "
                            + (d.count() == 1 ? "the echo reply " : d.count() + " echo replies ") + text(first.destination)
                            + " \u2192 " + text(first.source) + " " + when + (d.count() == 1 ? " was" : " were")
                            + " freed at ping_rcv with NO_SOCKET: no ping socket wanted it, as when a root ping listens"
                            + " on a raw socket, which gets its own copy first (" + d.description() + ")");
                }
            }
        }
        return out;
    }

    /**
     * The answered echo of {@code group} whose reply {@code d} freed at {@code nanos} is: the last
     * reply captured before it (with the record's addresses, when it names them), or null.
     */
    private static EchoRecord replyBefore(List<EchoRecord> group, Drop d, long nanos) {
        EchoRecord best = null;
        for (EchoRecord e : group) {
            if (!e.answered() || e.replyNanos > nanos + SKEW_NANOS || nanos - e.replyNanos > REPLY_TO_FREE_NANOS
                    || (best != null && best.replyNanos >= e.replyNanos)) {
                continue;
            }
            Flow f = d.flow().orElse(null);
            if (f == null || (java.util.Arrays.equals(f.source().address().getAddress(), e.destination)
                    && java.util.Arrays.equals(f.destination().address().getAddress(), e.source))) {
                best = e;
            }
        }
        return best;
    }

    /**
     * Echo drop records carry no flow: they are matched by the request frames they list, as are
     * verdicts stored with a request that dropped it (claimed from the pool).
     */
    private List<Drop> echoDrops(List<EchoRecord> group) {
        Set<Long> frames = new HashSet<>();
        group.forEach(e -> frames.add(e.requestFrame));
        List<Drop> out = new ArrayList<>();
        for (Drop d : echoWithoutReply) {
            if (d.frames().stream().anyMatch(frames::contains)) {
                out.add(d);
            }
        }
        for (java.util.Iterator<Drop> it = recorded.iterator(); it.hasNext();) {
            Drop d = it.next();
            if (d.source() == EvidenceSource.PACKET_VERDICT && d.frames().stream().anyMatch(frames::contains)) {
                out.add(d);
                it.remove();
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
     * ({@code OBSERVED}); so does an eBPF record, with the netfilter hook ({@link #placed(Flow, List,
     * List, List, String)}, {@code OBSERVED}); a tracefs record names none, so the place comes from where the capture
     * saw the packets ({@code INFERRED}): never seen → dropped on this host before leaving;
     * captured leaving (Tx) → dropped after it, on another host; captured arriving (Rx) → dropped
     * by this host's INPUT/FORWARD; otherwise the place is not known.
     */
    private Verdict dropped(Flow flow, List<Drop> kernel, List<Drop> drops, Direction captured, String what) {
        Drop firewall = kernel.stream().filter(d -> d.source() == EvidenceSource.FIREWALL
                && d.namespace().isPresent()).findFirst().orElse(null);
        Drop stored = kernel.stream().filter(d -> d.source() == EvidenceSource.PACKET_VERDICT).findFirst().orElse(null);
        List<Drop> observed = kernel.stream().filter(Fates::placed).toList();
        if (firewall == null && !observed.isEmpty()) {
            List<Drop> inferred = kernel.stream()
                    .filter(d -> d.source() == EvidenceSource.KERNEL && !placed(d)).toList();
            List<Drop> verdicts = kernel.stream().filter(d -> d.source() == EvidenceSource.PACKET_VERDICT).toList();
            Map<Drop, Drop> twins = sameSkb(verdicts, kernel);
            // with tracefs records or stored verdicts beside eBPF's (bpftrace attached mid-flow; a file
            // whose packets carry their verdicts) the lead gives the one count, split by source: the
            // callers' "the records count N" would only repeat it (and count a packet two sources saw twice)
            String suffix = packets(kernel);
            String rest = (!inferred.isEmpty() || !verdicts.isEmpty()) && what.endsWith(suffix)
                    ? what.substring(0, what.length() - suffix.length()) : what;
            return placed(flow, observed, inferred, verdicts, twins, drops, rest);
        }
        Fate fate;
        Confidence conf;
        String where;
        String how;
        if (firewall == null && stored != null) {
            // The tool that wrote the file saw the packet at this interface and stored its drop verdict with it.
            fate = Fate.DROPPED_ON_THIS_HOST;
            conf = Confidence.OBSERVED;
            where = "this host, " + stored.location().orElse("a captured interface");
            how = "on this host by an " + stored.component().orElse("eBPF verdict") + " ("
                    + stored.reason().orElse("?") + ") at " + stored.location().orElse("a captured interface")
                    + ", as the verdict stored with frame " + stored.frames().get(0) + " says";
            List<Drop> verdicts = kernel.stream().filter(d -> d.source() == EvidenceSource.PACKET_VERDICT).toList();
            List<Drop> others = kernel.stream().filter(d -> d.source() != EvidenceSource.PACKET_VERDICT).toList();
            if (!others.isEmpty()) {
                // kernel records beside the stored verdicts (none placed: those go to placed()): one
                // count split by source, a record of a stored packet counted once (sameSkb)
                Map<Drop, Drop> twins = sameSkb(verdicts, kernel);
                List<Drop> counted = others.stream().filter(d -> !twins.containsKey(d)).toList();
                long m = counted.stream().mapToLong(Drop::count).sum();
                long total = m + verdicts.stream().mapToLong(Drop::count).sum();
                List<String> parts = new ArrayList<>(storedParts(verdicts, twins));
                if (m > 0) {
                    boolean observedAll = counted.stream().allMatch(d -> d.confidence().orElse(null) == Confidence.OBSERVED);
                    parts.add(m + " recorded by the kernel trace (" + reasons(counted) + "), "
                            + (observedAll ? "read from the packets (observed), naming no place"
                                    : "tied to this flow by time (inferred: " + (m == 1 ? "its record names"
                                            : "their records name") + " no place)"));
                }
                how += ": " + total + (total == 1 ? " packet: " : " packets: ") + joinAnd(parts);
                String suffix = packets(kernel);
                if (what.endsWith(suffix)) {
                    what = what.substring(0, what.length() - suffix.length());
                }
            }
        } else if (firewall != null) {
            String ns = firewall.namespace().get();
            boolean here = captured(ns);
            fate = here ? Fate.DROPPED_ON_THIS_HOST : Fate.DROPPED_ELSEWHERE;
            conf = Confidence.OBSERVED;
            where = (here ? "this host, " : "") + (ns.equals("(JVM)") ? "the JVM's network namespace" : "namespace " + ns);
            how = "by nftables " + firewall.firewallRule().map(Object::toString).orElse("(rule not traced)")
                    + " in " + where + observed.stream().filter(d -> d.namespace().get().equals(ns)
                            && d.hook().isPresent()).findFirst().map(d -> " (hook " + d.hook().get() + ")").orElse("");
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

    /**
     * Whether {@code d} says where it happened: a kernel record eBPF read from the dropped packet
     * itself ({@link Confidence#OBSERVED}), naming the network namespace (and, for netfilter, the
     * hook). A tracefs record is tied to a flow by time and CPU and names no place.
     */
    private static boolean placed(Drop d) {
        return d.source() == EvidenceSource.KERNEL && d.confidence().orElse(null) == Confidence.OBSERVED
                && d.namespace().isPresent();
    }

    /** The kernel drop reasons a packet a TC program shot is freed with ({@code NOT_SPECIFIED} before Linux 5.19). */
    private static boolean tcFreeReason(String reason) {
        return reason.startsWith("TC_") || reason.equals("NOT_SPECIFIED");
    }

    /**
     * The kernel records that are the packet of a stored verdict, each mapped to that verdict: one
     * packet two sources saw, to be counted once. A TC program that shot a packet
     * ({@code TC_ACT_SHOT}) has the kernel free it, which a kfree_skb record shows; a record is
     * taken for the stored packet when it stands for one packet, of the same flow in the same
     * direction, in a namespace the capture ran in (or names none), freed within
     * {@link #SKEW_NANOS} of the frame's capture, with a reason a TC drop frees with
     * ({@link #tcFreeReason}). An XDP verdict drops before a socket buffer exists, so no kfree_skb
     * record is its packet; a record with another reason (netfilter, no socket) is another packet.
     * Each verdict takes at most one record, the nearest in time. The match is inferred: the record
     * does not carry the frame.
     */
    private Map<Drop, Drop> sameSkb(List<Drop> verdicts, List<Drop> kernel) {
        Map<Drop, Drop> twins = new LinkedHashMap<>();
        for (Drop v : verdicts) {
            if (!"TC_ACT_SHOT".equals(v.reason().orElse("")) || v.flow().isEmpty() || v.time().isEmpty()) {
                continue;
            }
            long at = nanos(v.time().get());
            Drop best = null;
            long bestGap = Long.MAX_VALUE;
            for (Drop d : kernel) {
                if (d.source() != EvidenceSource.KERNEL || twins.containsKey(d) || d.count() != 1
                        || d.time().isEmpty() || d.flow().isEmpty() || !tcFreeReason(d.reason().orElse("?"))
                        || !same(d.flow().get(), v.flow().get())
                        || d.namespace().isPresent() && !captured(d.namespace().get())) {
                    continue;
                }
                long gap = Math.abs(nanos(d.time().get()) - at);
                if (gap <= SKEW_NANOS && gap < bestGap) {
                    best = d;
                    bestGap = gap;
                }
            }
            if (best != null) {
                twins.put(best, v);
            }
        }
        return twins;
    }

    private static long nanos(java.time.Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /**
     * The verdict of a flow whose drops eBPF recorded with their place ({@code inferred}: the
     * flow's tracefs records from the time bpftrace was not recording; {@code verdicts}: drop
     * verdicts stored with its packets in the file, on a captured interface of this host; each
     * counted in the lead with its own confidence, a record in {@code twins} not counted again
     * beside the verdict whose packet it is): on this host when a
     * namespace it happened in is one the capture ran in ({@link #captured}), else on another host
     * or namespace, which it names with the hook, e.g. {@code "TCP 10.200.61.10:39462 → 10.200.62.20:1102
     * was dropped in namespace router (FORWARD), not on this host: 3 packets dropped there by netfilter
     * (nftables) (NETFILTER_DROP at nft_do_chain), as eBPF saw at kfree_skb; SYN sent 1× ..."}.
     */
    private Verdict placed(Flow flow, List<Drop> observed, List<Drop> inferred, List<Drop> verdicts,
            Map<Drop, Drop> twins, List<Drop> drops, String what) {
        Map<String, List<Drop>> byPlace = new LinkedHashMap<>();
        Set<String> roles = new java.util.LinkedHashSet<>();
        boolean here = !verdicts.isEmpty();   // stored with a packet captured on this host's interface
        boolean several = namespaces() > 1;
        for (Drop d : observed) {
            byPlace.computeIfAbsent(place(d), k -> new ArrayList<>()).add(d);
            String role = role(d, flow);
            roles.add(role == null ? "" : role);
            // several captured namespaces: "this host" is the initiator's, which the hook tells
            here |= several && role != null ? role.equals(CLIENT_SIDE) : captured(d.namespace().get());
        }
        String places = String.join(" and ", byPlace.keySet())
                + (roles.size() == 1 && !roles.contains("") ? ", " + roles.iterator().next() : "");
        List<Drop> ebpfCounted = observed.stream().filter(d -> !twins.containsKey(d)).toList();
        List<Drop> tracefsCounted = inferred.stream().filter(d -> !twins.containsKey(d)).toList();
        long n = ebpfCounted.stream().mapToLong(Drop::count).sum();
        long m = tracefsCounted.stream().mapToLong(Drop::count).sum();
        long s = verdicts.stream().mapToLong(Drop::count).sum();
        Set<String> components = new java.util.LinkedHashSet<>();
        observed.forEach(d -> components.add(d.component().orElse("the kernel")));
        String how;
        if (inferred.isEmpty() && verdicts.isEmpty()) {
            how = (here ? "on this host, in " + places : "in " + places + ", not on this host") + ": " + n
                    + (n == 1 ? " packet" : " packets") + " dropped there by " + String.join(", ", components) + " ("
                    + reasons(observed) + "), as eBPF saw at kfree_skb";
        } else {
            List<Drop> all = new ArrayList<>(observed);
            all.addAll(inferred);
            all.addAll(verdicts);
            verdicts.forEach(d -> components.add(d.component().orElse("a stored verdict")));
            List<String> parts = new ArrayList<>();
            if (n > 0) {
                parts.add(n + " there as eBPF saw at kfree_skb (observed)");
            }
            if (m > 0) {
                parts.add(m + " recorded by tracefs while eBPF was not recording, tied to this flow by time (inferred: "
                        + (m == 1 ? "its record names" : "their records name") + " no place)");
            }
            parts.addAll(storedParts(verdicts, twins));
            long total = n + m + s;
            how = (here ? "on this host, in " + places : "in " + places + ", not on this host") + ": " + total
                    + (total == 1 ? " packet" : " packets") + " dropped by " + String.join(", ", components) + " ("
                    + reasons(all) + "): " + joinAnd(parts);
        }
        List<String> wherePlaces = new ArrayList<>(byPlace.keySet());
        verdicts.forEach(d -> {
            String at = d.location().orElse("a captured interface");
            if (!wherePlaces.contains(at)) {
                wherePlaces.add(at);
            }
        });
        Verdict.Builder b = Verdict.builder(flow, here ? Fate.DROPPED_ON_THIS_HOST : Fate.DROPPED_ELSEWHERE,
                        Confidence.OBSERVED)
                .sentence(flow + " was dropped " + how + "; " + what)
                .where((here ? "this host, " : "") + String.join(" and ", wherePlaces)).drops(drops);
        observed.get(0).time().ifPresent(b::time);
        for (Map.Entry<String, List<Drop>> e : byPlace.entrySet()) {
            long c = e.getValue().stream().mapToLong(Drop::count).sum();
            Set<Integer> ttls = new java.util.TreeSet<>();
            e.getValue().forEach(d -> d.ttl().ifPresent(ttls::add));
            b.evidence("eBPF kfree_skb: " + c + (c == 1 ? " packet" : " packets") + " of this flow freed in "
                    + e.getKey() + " (" + reasons(e.getValue()) + (ttls.isEmpty() ? "" : ", TTL "
                    + ttls.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining("/")))
                    + "), read from the dropped packets themselves (observed)");
        }
        drops.forEach(d -> b.evidence(d.description()));
        return b.build();
    }

    /**
     * The lead's part for each group of stored verdicts (same place, program and reason), e.g.
     * {@code "1 at eth0 by an eBPF TC verdict (TC_ACT_SHOT), as the verdict stored with frame 1 says
     * (observed)"}, saying which kernel records were the same packets and how that was decided.
     */
    private List<String> storedParts(List<Drop> verdicts, Map<Drop, Drop> twins) {
        Map<String, List<Drop>> groups = new LinkedHashMap<>();
        for (Drop d : verdicts) {
            String key = d.location().orElse("a captured interface") + " by an " + d.component().orElse("eBPF verdict")
                    + " (" + d.reason().orElse("?") + ")";
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(d);
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<Drop>> g : groups.entrySet()) {
            long c = g.getValue().stream().mapToLong(Drop::count).sum();
            List<Long> frames = new ArrayList<>();
            g.getValue().forEach(d -> frames.addAll(d.frames()));
            String text = c + " at " + g.getKey() + ", as the " + (frames.size() == 1 ? "verdict" : "verdicts")
                    + " stored with " + (frames.size() == 1 ? "frame " : "frames ")
                    + frames.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                    + (frames.size() == 1 ? " says" : " say") + " (observed)";
            List<Map.Entry<Drop, Drop>> same = twins.entrySet().stream()
                    .filter(t -> g.getValue().contains(t.getValue())).toList();
            if (same.size() == 1) {
                Drop k = same.get(0).getKey();
                long gap = nanos(k.time().get()) - nanos(same.get(0).getValue().time().get());
                text += ", and " + (placed(k) ? "eBPF" : "tracefs") + " saw the same packet freed (" + reasons(List.of(k))
                        + ") " + String.format(Locale.ROOT, "%.3f ms %s", Math.abs(gap) / 1e6, gap >= 0 ? "later" : "before")
                        + ": one packet, matched by flow, direction, time and reason (inferred)";
            } else if (!same.isEmpty()) {
                List<Drop> records = same.stream().map(Map.Entry::getKey).toList();
                text += ", and the kernel records of " + same.size() + " of them (" + reasons(records) + ") are the"
                        + " same packets freed, each within " + SKEW_NANOS / 1_000_000 + " ms of its frame: counted"
                        + " once, matched by flow, direction, time and reason (inferred)";
            }
            out.add(text);
        }
        return out;
    }

    /** {@code "a"}, {@code "a and b"}, {@code "a, b and c"}. */
    private static String joinAnd(List<String> parts) {
        if (parts.size() <= 1) {
            return String.join("", parts);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }

    private static final String CLIENT_SIDE = "at the client";

    /**
     * Which end dropped it, from the hook and the packet's direction: OUTPUT is the sender's,
     * INPUT the receiver's, FORWARD a device on the path; null for other hooks or none.
     */
    private static String role(Drop d, Flow flow) {
        String hook = d.hook().orElse("");
        if (hook.equals("FORWARD")) {
            return "a device on the path";
        }
        if (!hook.equals("OUTPUT") && !hook.equals("INPUT") || d.flow().isEmpty()) {
            return null;
        }
        boolean forward = d.flow().get().source().address().equals(flow.source().address());
        return forward == hook.equals("OUTPUT") ? CLIENT_SIDE : "at the server";
    }

    /** How many network namespaces the capture ran in ("" and the JVM's count as one). */
    private long namespaces() {
        return captureSites.stream().map(d -> d.indexOf(" in ") >= 0 ? d.substring(d.indexOf(" in ") + 4) : d)
                .distinct().count();
    }

    /** {@code "namespace router (FORWARD)"}, {@code "the JVM's network namespace (OUTPUT)"}; the code location when no hook. */
    private static String place(Drop d) {
        String ns = d.namespace().get();
        String at = d.hook().map(h -> " (" + h + ")").orElse(d.location().map(l -> " (at " + l + ")").orElse(""));
        // "container db": the recorder named a Docker container's namespace by the container
        return (ns.equals("(JVM)") ? "the JVM's network namespace"
                : ns.startsWith("container ") ? "the network namespace of " + ns : "namespace " + ns) + at;
    }

    /** {@code "; the records count 3 dropped packets"}: what the kernel, firewall or stored records add up to. */
    private static String packets(List<Drop> records) {
        long n = records.stream().mapToLong(Drop::count).sum();
        return "; the records count " + n + (n == 1 ? " dropped packet" : " dropped packets");
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
            long packets = kernel.stream().mapToLong(Drop::count).sum(); // a summary stands for all it folded
            Drop firewall = kernel.stream().filter(d -> d.source() == EvidenceSource.FIREWALL
                    && d.namespace().isPresent()).findFirst().orElse(null);
            if (firewall != null) {
                out.add(dropped(e.getKey(), kernel, kernel, null, packets + " dropped"));
                continue;
            }
            if (kernel.stream().anyMatch(Fates::placed)) {
                out.add(dropped(e.getKey(), kernel, kernel, null, "none of its packets reached a captured interface"
                        + packets(kernel)));
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
