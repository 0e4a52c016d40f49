package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.packet.internal.PacketFields;

/** Compact per-connection TCP state, updated packet by packet. */
public final class TcpState extends EndpointPair {

    /** How many instants/frames each list keeps. */
    static final int KEEP = 32;

    /** The map key of this connection (for the analyzer's last-flow shortcut). */
    FlowKey key;
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
                resetByServer = !fromClient;
                resetNanos = f.epochNanos;
                resetFrame = f.frameNumber;
                refused = !fromClient && !established;
            }
            return;
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
        if (syn && !ack && fromClient) {
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

    /** SYN transmissions by the client beyond the first. */
    public long synRetransmissions() {
        return Math.max(0, synNanos.total() - 1);
    }

    /** All retransmissions as Wireshark counts them: SYN, SYN-ACK and data. */
    public long allRetransmissions() {
        return synRetransmissions() + synAckRetransmissions + retransNanos.total();
    }
}
