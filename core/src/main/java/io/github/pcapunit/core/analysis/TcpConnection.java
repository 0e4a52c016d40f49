package io.github.pcapunit.core.analysis;

import io.github.pcapunit.core.packet.Endpoint;
import io.github.pcapunit.core.packet.Flow;

import io.github.pcapunit.core.analysis.internal.BoundedLongs;
import io.github.pcapunit.core.analysis.internal.TcpState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One TCP connection seen in a capture, keyed by its 4-tuple: how far the handshake got, SYN
 * and data retransmissions, a reset and who sent it, FIN close. The client is the side that
 * sent the SYN (for a connection already running when the capture started, the side with the
 * higher port). Immutable.
 *
 * <p>Instant and frame lists keep the first 32 entries; the counts are exact.
 *
 * <pre>{@code
 * for (TcpConnection c : traffic.connections()) {
 *     if (c.flow().destination().port() == 1433 && !c.isEstablished()) {
 *         System.out.println(c.summary());
 *         // TCP 10.0.1.10:50122 → 10.0.1.20:1433 SYN sent 3×, no answer
 *     }
 * }
 * }</pre>
 */
public final class TcpConnection {

    /** How far the connection's handshake got, as captured. */
    public enum Handshake {
        /** Only the client's SYN(s) were seen. */
        SYN_SENT,
        /** The server answered with SYN-ACK but the client's ACK was not seen. */
        SYN_RECEIVED,
        /** The three-way handshake completed. */
        ESTABLISHED,
        /** The capture started after the handshake; the connection was already running. */
        MID_STREAM
    }

    private final TcpState s;
    private Flow flow;

    TcpConnection(TcpState state) {
        this.s = state;
    }

    /** Client → server. */
    public synchronized Flow flow() {
        if (flow == null) {
            flow = s.flow();
        }
        return flow;
    }

    /** How far the handshake got. */
    public Handshake handshake() {
        if (s.midStream) {
            return Handshake.MID_STREAM;
        }
        if (s.established) {
            return Handshake.ESTABLISHED;
        }
        return s.synAckSeen ? Handshake.SYN_RECEIVED : Handshake.SYN_SENT;
    }

    /** Whether the handshake completed (or the connection was already running). */
    public boolean isEstablished() {
        return s.established;
    }

    /** Each SYN the client sent, first transmission first. */
    public List<Instant> synTimes() {
        return instants(s.synNanos);
    }

    /** SYNs sent beyond the first. */
    public long synRetransmissions() {
        return s.synRetransmissions();
    }

    /** Whether the server answered a SYN with SYN-ACK. */
    public boolean isSynAcknowledged() {
        return s.synAckSeen;
    }

    /** Data (and FIN) segments sent again after the handshake. */
    public long dataRetransmissions() {
        return s.retransNanos.total();
    }

    /** When data was retransmitted. */
    public List<Instant> retransmissionTimes() {
        return instants(s.retransNanos);
    }

    /** Retransmissions as Wireshark's {@code tcp.analysis.retransmission} counts them: SYN, SYN-ACK and data. */
    public long retransmissions() {
        return s.allRetransmissions();
    }

    /** Whether either side sent a reset. */
    public boolean isReset() {
        return s.reset;
    }

    /** Who sent the (first) reset. */
    public Optional<Endpoint> resetBy() {
        if (!s.reset) {
            return Optional.empty();
        }
        return Optional.of(s.resetByServer ? flow().destination() : flow().source());
    }

    /** When the (first) reset was sent. */
    public Optional<Instant> resetTime() {
        return s.reset ? Optional.of(at(s.resetNanos)) : Optional.empty();
    }

    /** The server answered the connection attempt with a reset: refused (closed port, reject). */
    public boolean isRefused() {
        return s.refused;
    }

    /** Whether both sides sent FIN (orderly close). */
    public boolean isClosed() {
        return s.finClient && s.finServer;
    }

    /** Who sent the first FIN. */
    public Optional<Endpoint> closedBy() {
        if (!s.finClient && !s.finServer) {
            return Optional.empty();
        }
        return Optional.of(s.closedByServerFirst ? flow().destination() : flow().source());
    }

    /** First packet of the connection. */
    public Instant firstSeen() {
        return at(s.firstNanos);
    }

    /** Last packet of the connection. */
    public Instant lastSeen() {
        return at(s.lastNanos);
    }

    /** Packets in both directions. */
    public long packets() {
        return s.packets;
    }

    /** Packets from the client. */
    public long clientPackets() {
        return s.clientPackets;
    }

    /** Packets from the server. */
    public long serverPackets() {
        return s.serverPackets;
    }

    /** TCP payload bytes in both directions (retransmissions included). */
    public long payloadBytes() {
        return s.payloadBytes;
    }

    /** Frame numbers of the client's SYNs. */
    public List<Long> synFrames() {
        return frames(s.synFrames);
    }

    /** Frame numbers of retransmitted data segments. */
    public List<Long> retransmissionFrames() {
        return frames(s.retransFrames);
    }

    /** Frame number of the reset, if any. */
    public Optional<Long> resetFrame() {
        return s.reset ? Optional.of(s.resetFrame) : Optional.empty();
    }

    /**
     * One line: {@code TCP 10.0.1.10:50122 → 10.0.1.20:1433 established, 12 packets, closed by
     * 10.0.1.10:50122}, {@code ... SYN sent 3×, no answer}, {@code ... refused (RST from ...)}.
     */
    public String summary() {
        return s.summary();
    }

    /** The analysis state behind this view (its identity keys the verdict). */
    Object state() {
        return s;
    }

    @Override
    public String toString() {
        return summary();
    }

    static Instant at(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos);
    }

    static List<Instant> instants(BoundedLongs l) {
        List<Instant> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            out.add(at(l.get(i)));
        }
        return Collections.unmodifiableList(out);
    }

    static List<Long> frames(BoundedLongs l) {
        List<Long> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            out.add(l.get(i));
        }
        return Collections.unmodifiableList(out);
    }
}
