package io.github.pcapunit.core.analysis.internal;

import java.util.List;

/** Everything one walk over a capture found. Immutable once built (lists are not copied). */
public final class AnalysisResult {

    public final long packets;
    public final long truncated;
    public final long malformed;
    public final long firstNanos;
    public final long lastNanos;
    public final List<TcpState> tcp;
    public final List<UdpState> udp;
    public final List<EchoRecord> echoes;
    public final long echoRequests;
    public final long echoReplies;
    public final long unansweredEchoesNotKept;
    public final List<UnreachableGroup> unreachable;
    public final DestinationCounts destinations;
    private Origins origins;

    AnalysisResult(long packets, long truncated, long malformed, long firstNanos, long lastNanos,
            List<TcpState> tcp, List<UdpState> udp, List<EchoRecord> echoes, long echoRequests, long echoReplies,
            long unansweredEchoesNotKept, List<UnreachableGroup> unreachable, DestinationCounts destinations) {
        this.packets = packets;
        this.truncated = truncated;
        this.malformed = malformed;
        this.firstNanos = firstNanos;
        this.lastNanos = lastNanos;
        this.tcp = tcp;
        this.udp = udp;
        this.echoes = echoes;
        this.echoRequests = echoRequests;
        this.echoReplies = echoReplies;
        this.unansweredEchoesNotKept = unansweredEchoesNotKept;
        this.unreachable = unreachable;
        this.destinations = destinations;
    }

    /** The origin checks of this analysis, built once (on the first question) and shared. */
    public synchronized Origins origins() {
        if (origins == null) {
            origins = Origins.of(this);
        }
        return origins;
    }
}
