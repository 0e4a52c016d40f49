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
    public final BoundedLongs requestFrames = new BoundedLongs(TcpState.KEEP);

    public UdpState(PacketFields f) {
        super(f.ipVersion, 17, f.src, f.srcPort, f.dst, f.dstPort);
        firstRequestNanos = f.epochNanos;
        firstFrame = f.frameNumber;
    }

    public void accept(PacketFields f) {
        lastNanos = f.epochNanos;
        if (fromClient(f.src, f.srcPort)) {
            requests++;
            requestFrames.add(f.frameNumber);
        } else {
            responses++;
            if (firstResponseNanos < 0) {
                firstResponseNanos = f.epochNanos;
            }
        }
    }
}
