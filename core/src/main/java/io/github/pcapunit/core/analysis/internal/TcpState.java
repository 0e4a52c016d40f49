package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.packet.internal.PacketFields;

/** Compact per-connection TCP state, updated packet by packet. */
public final class TcpState extends EndpointPair {

    /** How many instants/frames each list keeps. */
    static final int KEEP = 32;

    /** Position in {@link AnalysisResult#tcp} (verdicts are kept by it). */
    int index = -1;
    public final boolean midStream;
    public long firstNanos;
    public long lastNanos;
    public long packets;
    public long clientPackets;
    public long serverPackets;
    public long payloadBytes;

    public long clientIsn = -1;
    public final BoundedLongs synNanos = new BoundedLongs(KEEP);
    public final BoundedLongs synFrames = new BoundedLongs(KEEP);
    public boolean synAckSeen;
    public long synAckNanos = -1;
    public int synAckRetransmissions;
    public boolean established;

    /** Retransmission instants and frames: allocated on the first retransmission. */
    public BoundedLongs retransNanos = NONE;
    public BoundedLongs retransFrames = NONE;
    private static final BoundedLongs NONE = new BoundedLongs(0);

    public boolean reset;
    public boolean resetByServer;
    public long resetNanos = -1;
    public long resetFrame = -1;
    public boolean refused;

    /** TTL / hop limit of the first reset. */
    public int resetTtl = -1;
    /** TTLs of the client's and the server's packets, resets excluded. */
    public final TtlSet clientTtls = new TtlSet();
    public final TtlSet serverTtls = new TtlSet();
    /** Direction of the first SYN as captured (INBOUND, OUTBOUND or UNKNOWN). */
    public io.github.pcapunit.core.pcapng.Direction synDirection;

    // Per side as fields, not arrays: six objects fewer per connection (the flow table's size
    // and the young collections copying it are what a large capture pays for).
    private long retransClient;
    private long retransServer;
    private int maxRetransPayloadClient;
    private int maxRetransPayloadServer;
    private int maxAckedPayloadClient;
    private int maxAckedPayloadServer;
    private long lastSegEndClient = -1;
    private long lastSegEndServer = -1;
    private int lastSegPayloadClient;
    private int lastSegPayloadServer;
    private long highestAckClient = -1;
    private long highestAckServer = -1;

    public boolean finClient;
    public boolean finServer;
    public long finNanos = -1;
    public boolean closedByServerFirst;

    private long nextClient = -1;
    private long nextServer = -1;

    public TcpState(PacketFields f, boolean senderIsClient) {
        super(f.ipVersion, 6, senderIsClient ? f.src : f.dst, senderIsClient ? f.srcPort : f.dstPort,
                senderIsClient ? f.dst : f.src, senderIsClient ? f.dstPort : f.srcPort);
        this.midStream = !f.has(PacketFields.SYN);
        this.established = midStream;
        this.firstNanos = f.epochNanos;
    }

    /** Whether a new SYN on this 4-tuple starts a new connection rather than retrying this one. */
    public boolean isOverBy(PacketFields f) {
        if (!f.has(PacketFields.SYN) || f.has(PacketFields.ACK)) {
            return false;
        }
        return reset || (finClient && finServer) || (clientIsn >= 0 && f.seq != clientIsn) || midStream;
    }

    /** 32-bit sequence comparison: a before b. */
    private static boolean before(long a, long b) {
        return (int) (a - b) < 0;
    }

    public void accept(PacketFields f) {
        boolean fromClient = fromClient(f.src, f.srcPort);
        lastNanos = f.epochNanos;
        packets++;
        if (fromClient) {
            clientPackets++;
        } else {
            serverPackets++;
        }
        int payload = Math.max(0, f.payloadLength);
        payloadBytes += payload;
        boolean syn = f.has(PacketFields.SYN);
        boolean ack = f.has(PacketFields.ACK);
        boolean fin = f.has(PacketFields.FIN);
        boolean rst = f.has(PacketFields.RST);

        if (rst) {
            if (!reset) {
                reset = true;
                resetTtl = f.ttl;
                resetByServer = !fromClient;
                resetNanos = f.epochNanos;
                resetFrame = f.frameNumber;
                refused = !fromClient && !established;
            }
            return;
        }
        (fromClient ? clientTtls : serverTtls).add(f.ttl);
        if (ack && f.ack >= 0) {
            long highest = fromClient ? highestAckClient : highestAckServer;
            if (highest < 0 || before(highest, f.ack)) {
                if (fromClient) {
                    highestAckClient = f.ack;
                } else {
                    highestAckServer = f.ack;
                }
            }
            long otherEnd = fromClient ? lastSegEndServer : lastSegEndClient;
            if (otherEnd >= 0 && !before(f.ack, otherEnd)) {
                if (fromClient) {
                    maxAckedPayloadServer = Math.max(maxAckedPayloadServer, lastSegPayloadServer);
                } else {
                    maxAckedPayloadClient = Math.max(maxAckedPayloadClient, lastSegPayloadClient);
                }
            }
        }
        boolean retransmitted = false;
        int segLen = payload + (syn ? 1 : 0) + (fin ? 1 : 0);
        if (segLen > 0 && f.seq >= 0) {
            long next = fromClient ? nextClient : nextServer;
            long end = (f.seq + segLen) & 0xffffffffL;
            boolean keepAlive = !syn && !fin && payload <= 1 && next >= 0
                    && ((f.seq + 1) & 0xffffffffL) == next;
            if (next >= 0 && before(f.seq, next) && !keepAlive) {
                retransmitted = true;
            }
            if (next < 0 || before(next, end)) {
                if (fromClient) {
                    nextClient = end;
                } else {
                    nextServer = end;
                }
            }
        }
        if (payload > 0 && f.seq >= 0) {
            if (!retransmitted) {
                if (fromClient) {
                    lastSegEndClient = (f.seq + payload) & 0xffffffffL;
                    lastSegPayloadClient = payload;
                } else {
                    lastSegEndServer = (f.seq + payload) & 0xffffffffL;
                    lastSegPayloadServer = payload;
                }
            } else {
                if (fromClient) {
                    retransClient++;
                    maxRetransPayloadClient = Math.max(maxRetransPayloadClient, payload);
                } else {
                    retransServer++;
                    maxRetransPayloadServer = Math.max(maxRetransPayloadServer, payload);
                }
            }
        }
        if (syn && !ack && fromClient) {
            if (synDirection == null) {
                synDirection = f.direction;
            }
            if (clientIsn < 0) {
                clientIsn = f.seq;
            }
            synNanos.add(f.epochNanos);
            synFrames.add(f.frameNumber);
            return;
        }
        if (syn && ack && !fromClient) {
            if (synAckSeen) {
                synAckRetransmissions++;
            } else {
                synAckSeen = true;
                synAckNanos = f.epochNanos;
            }
            return;
        }
        if (fromClient && ack && synAckSeen) {
            established = true;
        }
        if (retransmitted) {
            if (retransNanos == NONE) {
                retransNanos = new BoundedLongs(KEEP);
                retransFrames = new BoundedLongs(KEEP);
            }
            retransNanos.add(f.epochNanos);
            retransFrames.add(f.frameNumber);
        }
        if (fin) {
            if (!finClient && !finServer) {
                finNanos = f.epochNanos;
                closedByServerFirst = !fromClient;
            }
            if (fromClient) {
                finClient = true;
            } else {
                finServer = true;
            }
        }
    }

    /** {@code side}'s (0 client, 1 server) data retransmissions. */
    public long sideRetrans(int side) {
        return side == 0 ? retransClient : retransServer;
    }

    /** The largest payload {@code side} (0 client, 1 server) retransmitted. */
    public int maxRetransPayload(int side) {
        return side == 0 ? maxRetransPayloadClient : maxRetransPayloadServer;
    }

    /** The largest payload of {@code side} (0 client, 1 server) the peer acknowledged. */
    public int maxAckedPayload(int side) {
        return side == 0 ? maxAckedPayloadClient : maxAckedPayloadServer;
    }

    /** Whether {@code side}'s (0 client, 1 server) last data was never acknowledged by the peer. */
    public boolean unacknowledged(int side) {
        long end = side == 0 ? nextClient : nextServer;
        long ack = side == 0 ? highestAckServer : highestAckClient;
        return end >= 0 && (ack < 0 || before(ack, end));
    }

    /**
     * One line: {@code TCP 10.0.1.10:50122 → 10.0.1.20:1433 established, 12 packets, closed by
     * 10.0.1.10:50122}, {@code ... SYN sent 3×, no answer}, {@code ... refused (RST from ...)}.
     */
    public String summary() {
        io.github.pcapunit.core.packet.Flow flow = flow();
        StringBuilder b = new StringBuilder(flow.toString()).append(' ');
        if (refused) {
            b.append("refused (RST from ").append(flow.destination()).append(")");
        } else if (!established && !synAckSeen && !reset) {
            b.append("SYN sent ").append(synNanos.total()).append("\u00d7, no answer");
        } else {
            String handshake = midStream ? "mid stream" : established ? "established"
                    : synAckSeen ? "syn received" : "syn sent";
            b.append(handshake).append(", ").append(packets).append(" packets");
            if (reset) {
                b.append(", reset by ").append(resetByServer ? flow.destination() : flow.source());
            } else if (finClient || finServer) {
                b.append(", closed by ").append(closedByServerFirst ? flow.destination() : flow.source());
            }
            if (allRetransmissions() > 0) {
                b.append(", ").append(allRetransmissions()).append(" retransmissions");
            }
        }
        return b.toString();
    }

    /** SYN transmissions by the client beyond the first. */
    public long synRetransmissions() {
        return Math.max(0, synNanos.total() - 1);
    }

    /** All retransmissions as Wireshark counts them: SYN, SYN-ACK and data. */
    public long allRetransmissions() {
        return synRetransmissions() + synAckRetransmissions + retransNanos.total();
    }
}
