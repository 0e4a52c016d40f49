package io.github.pcapunit.testing;

/**
 * What happened to a TCP connect made from a lab namespace by {@link Host#connectTcp}.
 *
 * <pre>{@code
 * ConnectResult r = app.connectTcp("10.200.1.20", 1433, Duration.ofSeconds(2));
 * if (r.outcome() == ConnectResult.Outcome.TIMED_OUT) { ... r.localPort() ... }
 * }</pre>
 *
 * @param outcome   how the attempt ended
 * @param localPort the client's source port (for matching kernel events and packets), 0 if unknown
 * @param detail    the echo received or the error text
 */
public record ConnectResult(Outcome outcome, int localPort, String detail) {

    /** How a connect attempt ended. */
    public enum Outcome {
        /** Handshake done and the echo came back. */
        CONNECTED,
        /** A TCP reset or ICMP port-unreachable answered (ECONNREFUSED). */
        REFUSED,
        /** ICMP host/net unreachable or admin-prohibited answered (EHOSTUNREACH). */
        UNREACHABLE,
        /** Nothing answered in time: the typical silent DROP. */
        TIMED_OUT,
        /** Anything else; see {@link ConnectResult#detail()}. */
        ERROR
    }

    static ConnectResult parse(ExecResult result) {
        String line = result.stdout().strip();
        String[] parts = line.split(" ", 3);
        try {
            Outcome outcome = Outcome.valueOf(parts[0]);
            return new ConnectResult(outcome, Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "");
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return new ConnectResult(Outcome.ERROR, 0, result.describeFailure() + " " + line);
        }
    }
}
