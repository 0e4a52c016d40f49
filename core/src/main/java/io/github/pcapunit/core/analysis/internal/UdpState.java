package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.packet.internal.PacketFields;

/** Per-flow UDP counters: the first sender is the client, its packets are requests. */
public final class UdpState extends EndpointPair {

    public long firstRequestNanos;
    public long firstResponseNanos = -1;
    public long lastNanos;
    public long requests;
    public long responses;
    public long firstFrame;
    public long unreachable;
    /** TTLs of the client's and the server's datagrams. */
    public final TtlSet clientTtls = new TtlSet();
    public final TtlSet serverTtls = new TtlSet();
    public final BoundedLongs requestFrames = new BoundedLongs(TcpState.KEEP);
    /** Position in {@link AnalysisResult#udp} (verdicts are kept by it). */
    int index = -1;

    public UdpState(PacketFields f) {
        super(f.ipVersion, 17, f.src, f.srcPort, f.dst, f.dstPort);
        firstRequestNanos = f.epochNanos;
        firstFrame = f.frameNumber;
    }

    public void accept(PacketFields f) {
        lastNanos = f.epochNanos;
        if (fromClient(f.src, f.srcPort)) {
            requests++;
            clientTtls.add(f.ttl);
            requestFrames.add(f.frameNumber);
        } else {
            responses++;
            serverTtls.add(f.ttl);
            if (firstResponseNanos < 0) {
                firstResponseNanos = f.epochNanos;
            }
        }
    }
}
