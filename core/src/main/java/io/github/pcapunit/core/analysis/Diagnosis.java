package io.github.pcapunit.core.analysis;

import io.github.pcapunit.core.packet.Endpoint;
import io.github.pcapunit.core.packet.IpProtocol;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a capture says about one destination {@code host:port}, in the spirit of pktmon's answer:
 * whether the host answers ICMP echo (the network path works), what happened to the flows to the
 * port, and where the cause lies. Built from the {@link Verdict}s; immutable.
 *
 * <pre>{@code
 * Diagnosis d = traffic.diagnosis("10.0.1.20", 1433);
 * System.out.println(d.sentence());
 * // 10.0.1.20: ICMP echo answered (the network path works); port 1433: TCP 10.0.1.10:50122 → 10.0.1.20:1433
 * // was dropped on this host (...) — the cause is on this host, not the server
 * if (!d.isReachable()) { d.failures().forEach(v -> System.out.println(v.evidence())); }
 * }</pre>
 */
public final class Diagnosis {

    private final Endpoint destination;
    private final List<Verdict> echoes;
    /** The flows' verdicts, or null until {@code flows()} asks {@code allFlows} for them. */
    private volatile List<Verdict> flows;
    /** Builds {@code flows} on first use (null when they were given). */
    private final Supplier<List<Verdict>> allFlows;
    private final int flowCount;
    private final List<Verdict> failures;

    /**
     * The diagnosis of {@code destination} from the verdicts of its ICMP echoes and of its flows.
     *
     * @param destination the host and port (port -1: the host only)
     * @param echoes the verdicts of ICMP echoes to the host
     * @param flows the verdicts of TCP/UDP flows to the port (all flows to the host when port is -1)
     */
    public Diagnosis(Endpoint destination, List<Verdict> echoes, List<Verdict> flows) {
        this.destination = Objects.requireNonNull(destination, "destination");
        this.echoes = List.copyOf(echoes);
        this.flows = List.copyOf(flows);
        this.allFlows = null;
        this.flowCount = this.flows.size();
        this.failures = this.flows.stream().filter(Verdict::isFailure).toList();
    }

    /**
     * A diagnosis that knows how many flows went to the destination and which of them failed, and
     * builds the list of all their verdicts only when {@link #flows()} is asked for: most flows of a
     * large capture are healthy, and a sentence needs only their number.
     *
     * @param flowCount how many flows {@code flows} will return
     * @param failures the verdicts of {@code flows} that are {@link Verdict#isFailure() failures}, in order
     * @param flows the verdicts of the flows to the port, built when first asked for
     */
    Diagnosis(Endpoint destination, List<Verdict> echoes, int flowCount, List<Verdict> failures,
            Supplier<List<Verdict>> flows) {
        this.destination = Objects.requireNonNull(destination, "destination");
        this.echoes = List.copyOf(echoes);
        this.flowCount = flowCount;
        this.failures = List.copyOf(failures);
        this.allFlows = Objects.requireNonNull(flows, "flows");
    }

    /** The host and port diagnosed (port -1: the host only). */
    public Endpoint destination() {
        return destination;
    }

    /** Verdicts of the ICMP echoes to the host. */
    public List<Verdict> echoes() {
        return echoes;
    }

    /** Verdicts of the flows to the port. */
    public List<Verdict> flows() {
        List<Verdict> f = flows;
        if (f == null) {
            f = List.copyOf(allFlows.get());
            flows = f;
        }
        return f;
    }

    /** The flows to the port that failed. */
    public List<Verdict> failures() {
        return failures;
    }

    /** Whether ICMP echo to the host was answered (empty when no echo was sent). */
    public Optional<Boolean> answersEcho() {
        if (echoes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(echoes.stream().noneMatch(Verdict::isFailure));
    }

    /**
     * Whether at least one flow to the port was seen, and none failed; for a host that was only
     * pinged (port -1, no flow), whether it answered ICMP echo.
     */
    public boolean isReachable() {
        if (flowCount == 0 && destination.port() < 0) {
            return answersEcho().orElse(false);
        }
        return flowCount > 0 && failures.isEmpty();
    }

    /**
     * One sentence: the host's echo, the port's flows, the cause.
     */
    public String sentence() {
        InetAddress host = destination.address();
        byte[] raw = host.getAddress();
        StringBuilder s = new StringBuilder(io.github.pcapunit.core.packet.internal.Addresses.text(raw, raw.length))
                .append(": ");
        Optional<Boolean> echo = answersEcho();
        s.append(echo.isEmpty() ? "no ICMP echo was sent"
                : echo.get() ? "ICMP echo answered (the network path works)" : "ICMP echo not answered");
        if (flowCount == 0 && destination.port() < 0) {
            return s.toString();
        }
        s.append("; ").append(destination.port() < 0 ? "its flows" : "port " + destination.port()).append(": ");
        if (flowCount == 0) {
            return s.append("no flow to it was seen").toString();
        }
        List<Verdict> failed = failures;
        if (failed.isEmpty()) {
            long n = flowCount;
            return s.append(n).append(n == 1 ? " flow" : " flows").append(", none failed").toString();
        }
        Verdict first = failed.get(0);
        s.append(first.sentence());
        if (failed.size() > 1) {
            s.append(" (and ").append(failed.size() - 1).append(" more failed)");
        }
        String cause = cause(first.fate(), echo.orElse(false));
        return cause.isEmpty() ? s.toString() : s.append(" \u2014 ").append(cause).toString();
    }

    private static String cause(Fate fate, boolean echoAnswered) {
        return switch (fate) {
            case DROPPED_ON_THIS_HOST -> "the cause is on this host, not the server";
            case DROPPED_ELSEWHERE -> "the cause is on another host on the path or at the server, not here";
            case REFUSED -> "the server refuses the port (nothing listens, or a rule rejects it)";
            case RESET_BY_PATH -> "a device on the path resets it, not the server";
            case PMTU_BLACK_HOLE -> "large packets are lost on the path while small ones pass";
            case UNANSWERED, DROPPED -> echoAnswered
                    ? "ICMP gets through but this traffic does not: a port-specific filter on the path or at the"
                            + " server (kernel evidence would say where)"
                    : "";
            default -> "";
        };
    }

    /** Whether a flow belongs to {@code destination} (host, and port unless -1). */
    static boolean to(Verdict v, Endpoint destination) {
        Endpoint d = v.flow().destination();
        IpProtocol p = v.flow().protocol();
        boolean transport = p == IpProtocol.TCP || p == IpProtocol.UDP;
        return transport && d.address().equals(destination.address())
                && (destination.port() < 0 || d.port() == destination.port());
    }

    /** The sentence. */
    @Override
    public String toString() {
        return sentence();
    }
}
