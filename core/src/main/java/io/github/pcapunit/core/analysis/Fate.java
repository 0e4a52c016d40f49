package io.github.pcapunit.core.analysis;

/**
 * What happened to one flow — a TCP connection, a UDP exchange or an ICMP echo — as a
 * {@link Verdict} states it with its evidence and {@link Confidence}. Only some fates are
 * failures: a client that reads part of an answer and resets its own connection
 * ({@link #CLOSED_BY_INITIATOR}) is healthy.
 *
 * <pre>{@code
 * traffic.verdicts().stream()
 *        .filter(v -> v.fate() == Fate.RESET_BY_PATH)
 *        .forEach(v -> System.out.println(v.sentence()));
 * // TCP 10.200.1.10:50122 → 10.200.3.20:1433 was reset by a device on the path: the RST claiming to come
 * // from 10.200.3.20 arrived with TTL 64, 1 hop closer than 10.200.3.20's own packets (TTL 63)
 * }</pre>
 */
public enum Fate {
    /** The exchange worked: handshake done (closed by FIN or still open), datagram or echo answered. */
    COMPLETED(false, "completed"),
    /** The side that opened the flow closed or reset it itself (e.g. read part of an answer, {@code SO_LINGER 0}). */
    CLOSED_BY_INITIATOR(false, "closed by its own initiator"),
    /** The server answered the connection attempt with a reset: nothing listens, or it rejects. */
    REFUSED(true, "refused by the server"),
    /** The server reset an established connection. */
    RESET_BY_PEER(true, "reset by the server"),
    /** A reset came from a device between the two ends (its TTL/hop limit gives it away), not from the peer. */
    RESET_BY_PATH(true, "reset by a device on the path"),
    /**
     * The kernel of the capturing host (or namespace) dropped its packets. When the capture ran in
     * several namespaces and an eBPF record names the hook, "this host" is the flow's initiator's:
     * its OUTPUT, or its INPUT for the answers.
     */
    DROPPED_ON_THIS_HOST(true, "dropped on this host"),
    /**
     * Another host or network namespace dropped its packets (a router, the server); the verdict
     * names it when the evidence does, e.g. {@code "namespace router (FORWARD)"}.
     */
    DROPPED_ELSEWHERE(true, "dropped on another host"),
    /** The kernel dropped its packets, and the record does not say where. */
    DROPPED(true, "dropped"),
    /** An ICMP/ICMPv6 destination-unreachable came back. */
    UNREACHABLE(true, "unreachable"),
    /** Full-size packets never got through while smaller ones did: a path-MTU black hole. */
    PMTU_BLACK_HOLE(true, "lost in a path-MTU black hole"),
    /** Nothing came back: no answer, no reset, no ICMP error; where it was lost is not recorded. */
    UNANSWERED(true, "unanswered");

    private final boolean failure;
    private final String text;

    Fate(boolean failure, String text) {
        this.failure = failure;
        this.text = text;
    }

    /**
     * Whether this fate means the flow failed. {@link #COMPLETED} and {@link #CLOSED_BY_INITIATOR}
     * do not; an unanswered UDP datagram is judged by {@link Verdict#isFailure()} (UDP needs no answer).
     */
    public boolean isFailure() {
        return failure;
    }

    /** A few words for sentences, e.g. {@code "reset by a device on the path"}. */
    public String text() {
        return text;
    }
}
