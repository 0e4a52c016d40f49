package io.github.pcapunit.maven;

import io.github.pcapunit.core.check.TrafficExpectations;
import io.github.pcapunit.maven.internal.Rules;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * Rule of {@code capture:verify}: no packet to this port (optionally on this host) was dropped —
 * no unanswered SYN, reset, ICMP unreachable or kernel/firewall drop. Same check and message as
 * the AssertJ assertion {@code hasNoDroppedPacketsTo(port)}.
 *
 * <pre>{@code
 * <noDropsTo>
 *   <port>1433</port>
 *   <host>10.0.1.20</host>   <!-- optional -->
 * </noDropsTo>
 * }</pre>
 *
 * @since 0.1.0
 */
public class NoDropsTo extends Destination {

    /** For Maven's configurator. */
    public NoDropsTo() {
    }

    /** A rule for {@code port} on any host, e.g. {@code new NoDropsTo(1433)}. */
    public NoDropsTo(int port) {
        this.port = port;
    }

    /** This rule for {@code capture:verify}; a missing port is refused with an example. */
    Rules.Configured configured() throws MojoExecutionException {
        String element = Rules.element("noDropsTo", Rules.optional("port", port),
                Rules.optional("host", host));
        if (port == null) {
            throw new MojoExecutionException(element + " needs a port: e.g."
                    + " <noDropsTo><port>1433</port></noDropsTo>");
        }
        return new Rules.Configured(toString(), element, () -> host == null
                ? TrafficExpectations.noDropsTo(port) : TrafficExpectations.noDropsTo(host, port));
    }

    /** {@code noDropsTo(port 1433)} or {@code noDropsTo(10.0.1.20:1433)}. */
    @Override
    public String toString() {
        return "noDropsTo(" + (host == null ? "port " + port : host + ":" + port) + ")";
    }
}
