package io.github.pcapunit.core.analysis.internal;

import java.util.Arrays;

/** One ICMP echo request and, once seen, its reply. */
public final class EchoRecord {

    public final int ipVersion;
    public final byte[] source;
    public final byte[] destination;
    public final int identifier;
    public final int sequence;
    public final long requestNanos;
    public final long requestFrame;
    public int requestCount = 1;
    public long replyNanos = -1;
    public long replyFrame = -1;
    /** TTL / hop limit of the request and of the reply (-1 until seen). */
    public int requestTtl = -1;
    public int replyTtl = -1;

    public EchoRecord(int ipVersion, byte[] source, byte[] destination, int identifier, int sequence,
            long requestNanos, long requestFrame) {
        int len = ipVersion == 4 ? 4 : 16;
        this.ipVersion = ipVersion;
        this.source = Arrays.copyOf(source, len);
        this.destination = Arrays.copyOf(destination, len);
        this.identifier = identifier;
        this.sequence = sequence;
        this.requestNanos = requestNanos;
        this.requestFrame = requestFrame;
    }

    public boolean answered() {
        return replyFrame >= 0;
    }
}
