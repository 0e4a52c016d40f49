package io.github.pcapunit.maven;

/**
 * Rule of {@code capture:verify}: no IP packet goes to this host or network (and port, if
 * given) — e.g. "nothing was sent to the production database". Same check and message as the
 * AssertJ assertion {@code hasNoTrafficTo(...)}.
 *
 * <pre>{@code
 * <noTrafficTo>
 *   <host>10.0.0.0/8</host>
 *   <port>5432</port>        <!-- optional -->
 * </noTrafficTo>
 * }</pre>
 *
 * @since 0.1.0
 */
public class NoTrafficTo extends Destination {

    /** For Maven's configurator. */
    public NoTrafficTo() {
    }
}
