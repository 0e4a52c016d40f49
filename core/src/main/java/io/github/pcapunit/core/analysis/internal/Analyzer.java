package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.packet.internal.PacketFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks decoded packets once and keeps compact per-flow state: TCP connections, UDP flows,
 * ICMP echo pairs, ICMP unreachable groups and per-destination packet counts. Packets
 * themselves are not kept, so memory grows with the number of flows, not of packets.
 */
public final class Analyzer {

    /** Echo requests kept individually; counts stay exact beyond it. */
    static final int MAX_ECHOES = 100_000;

    private final FlowKey probe = new FlowKey();
    private TcpState lastTcp;
    private final Map<FlowKey, TcpState> tcp;
    private final List<TcpState> tcpDone = new ArrayList<>();
    private final List<TcpState> tcpOrder = new ArrayList<>();
    private final Map<FlowKey, UdpState> udp = new HashMap<>();
    private final List<UdpState> udpOrder = new ArrayList<>();
    private final Map<EchoKey, EchoRecord> pendingEchoes = new HashMap<>();
    private final EchoKey echoProbe = new EchoKey();
    private final List<EchoRecord> echoes = new ArrayList<>();
    private long echoRequests;
    private long echoReplies;
    private long unansweredBeyondKept;
    private final Map<FlowKey, List<UnreachableGroup>> unreachable = new HashMap<>();
    private final List<UnreachableGroup> unreachableOrder = new ArrayList<>();
    private final DestinationCounts destinations = new DestinationCounts();
    private long packets;
    private long truncated;
    private long malformed;
    private long firstNanos = Long.MIN_VALUE;
    private long lastNanos = Long.MIN_VALUE;

    public Analyzer() {
        this(1 << 14);
    }

    /**
     * An analyzer whose TCP flow table is sized for {@code expectedTcpFlows} connections: a large
     * capture then does not grow (rehash) it several times.
     */
    public Analyzer(int expectedTcpFlows) {
        tcp = new HashMap<>(Math.max(16, (int) Math.min(1 << 30, expectedTcpFlows * 4L / 3 + 1)));
    }

    /** Folds one decoded packet into the state. */
    public void accept(PacketFields f) {
        packets++;
        if (firstNanos == Long.MIN_VALUE) {
            firstNanos = f.epochNanos;
        }
        lastNanos = f.epochNanos;
        if (f.truncated) {
            truncated++;
        }
        if (f.malformed) {
            malformed++;
        }
        if (f.ipVersion == 0) {
            return;
        }
        // TCP and UDP packets are counted per flow; the rest per destination address.
        if (f.protocol == 6 && f.srcPort >= 0 && f.tcpFlags >= 0 && f.window >= 0) {
            tcp(f);
        } else if (f.protocol == 17 && f.srcPort >= 0) {
            udp(f);
        } else {
            destinations.count(f);
            if ((f.protocol == 1 || f.protocol == 58) && f.icmpType >= 0) {
                icmp(f);
            }
        }
    }

    private void tcp(PacketFields f) {
        // Packets of one flow come in bursts: try the last flow before hashing a key for the map.
        TcpState s = lastTcp != null && lastTcp.sameFlow(f) ? lastTcp : null;
        boolean probed = s == null;
        boolean forward = probed && probe.set(f);
        if (probed) {
            s = tcp.get(probe);
        }
        if (s != null && s.isOverBy(f)) {
            tcpDone.add(s);
            s = null;
        }
        if (s == null) {
            if (!probed) {
                forward = probe.set(f);
            }
            boolean senderIsClient;
            if (f.has(PacketFields.SYN)) {
                senderIsClient = !f.has(PacketFields.ACK);
            } else {
                // Mid-stream: the lower port is usually the service.
                senderIsClient = f.srcPort > f.dstPort || (f.srcPort == f.dstPort && forward);
            }
            s = new TcpState(f, senderIsClient);
            tcp.put(probe.copy(), s);
            s.index = tcpOrder.size();
            tcpOrder.add(s);
        }
        lastTcp = s;
        s.accept(f);
    }

    private void udp(PacketFields f) {
        probe.set(f);
        UdpState s = udp.get(probe);
        if (s == null) {
            s = new UdpState(f);
            udp.put(probe.copy(), s);
            s.index = udpOrder.size();
            udpOrder.add(s);
        }
        s.accept(f);
    }

    private void icmp(PacketFields f) {
        if (f.icmpId >= 0) {
            boolean request = f.protocol == 58 ? f.icmpType == 128 : f.icmpType == 8;
            boolean reply = f.protocol == 58 ? f.icmpType == 129 : f.icmpType == 0;
            if (request) {
                echoRequests++;
                echoProbe.set(f.ipVersion, f.src, f.dst, f.icmpId, f.icmpSeq);
                EchoRecord r = pendingEchoes.get(echoProbe);
                if (r != null) {
                    r.requestCount++;
                    return;
                }
                if (echoes.size() >= MAX_ECHOES) {
                    unansweredBeyondKept++;
                    return;
                }
                r = new EchoRecord(f.ipVersion, f.src, f.dst, f.icmpId, f.icmpSeq, f.epochNanos, f.frameNumber);
                r.requestTtl = f.ttl;
                echoes.add(r);
                pendingEchoes.put(echoProbe.copy(), r);
            } else if (reply) {
                echoReplies++;
                echoProbe.set(f.ipVersion, f.dst, f.src, f.icmpId, f.icmpSeq);
                EchoRecord r = pendingEchoes.remove(echoProbe);
                if (r != null) {
                    r.replyNanos = f.epochNanos;
                    r.replyFrame = f.frameNumber;
                    r.replyTtl = f.ttl;
                } else if (unansweredBeyondKept > 0) {
                    unansweredBeyondKept--;
                }
            }
            return;
        }
        if (f.hasInner && f.inner != null && (f.icmpType == (f.protocol == 58 ? 1 : 3)
                || (f.protocol == 58 && f.icmpType == 2))) {
            PacketFields in = f.inner;
            FlowKey key = new FlowKey();
            key.set(in.ipVersion, in.protocol, in.src, in.srcPort, in.dst, in.dstPort);
            List<UnreachableGroup> groups = unreachable.computeIfAbsent(key, k -> new ArrayList<>(1));
            UnreachableGroup g = null;
            for (UnreachableGroup candidate : groups) {
                if (candidate.icmpType == f.icmpType && candidate.icmpCode == f.icmpCode && candidate.fromClient(in.src, Math.max(-1, in.srcPort))) {
                    g = candidate;
                }
            }
            if (g == null) {
                g = new UnreachableGroup(f, in);
                groups.add(g);
                unreachableOrder.add(g);
            }
            g.nanos.add(f.epochNanos);
            g.frames.add(f.frameNumber);
            if (in.protocol == 17) {
                probe.set(in.ipVersion, 17, in.src, in.srcPort, in.dst, in.dstPort);
                UdpState u = udp.get(probe);
                if (u != null) {
                    u.unreachable++;
                }
            }
        }
    }

    /** The result; the analyzer must not be used afterwards. */
    public AnalysisResult finish() {
        // tcpOrder is in order of first packet already (states are appended when created).
        List<TcpState> all = tcpOrder;
        destinations.flows(all, udpOrder);
        return new AnalysisResult(packets, truncated, malformed,
                firstNanos == Long.MIN_VALUE ? -1 : firstNanos, lastNanos == Long.MIN_VALUE ? -1 : lastNanos,
                all, udpOrder, echoes, echoRequests, echoReplies, unansweredBeyondKept, unreachableOrder,
                destinations);
    }

    /** Key of an echo request: version, source, destination, id, sequence. */
    private static final class EchoKey {
        int version;
        long sHi;
        long sLo;
        long dHi;
        long dLo;
        int id;
        int seq;

        void set(int version, byte[] src, byte[] dst, int id, int seq) {
            int len = version == 4 ? 4 : 16;
            this.version = version;
            sHi = FlowKey.hi(src, len);
            sLo = FlowKey.lo(src, len);
            dHi = FlowKey.hi(dst, len);
            dLo = FlowKey.lo(dst, len);
            this.id = id;
            this.seq = seq;
        }

        EchoKey copy() {
            EchoKey k = new EchoKey();
            k.version = version;
            k.sHi = sHi;
            k.sLo = sLo;
            k.dHi = dHi;
            k.dLo = dLo;
            k.id = id;
            k.seq = seq;
            return k;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof EchoKey)) {
                return false;
            }
            EchoKey k = (EchoKey) o;
            return version == k.version && sHi == k.sHi && sLo == k.sLo && dHi == k.dHi && dLo == k.dLo
                    && id == k.id && seq == k.seq;
        }

        @Override
        public int hashCode() {
            long h = ((sHi * 31 + sLo) * 31 + dHi) * 31 + dLo;
            h = h * 31 + ((long) id << 16 | seq);
            return (int) (h ^ (h >>> 32));
        }
    }
}
