package io.github.pcapunit.maven;

import io.github.pcapunit.core.check.TrafficExpectations;
import io.github.pcapunit.maven.internal.Rules;
import org.apache.maven.plugin.MojoExecutionException;

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

    /** This rule for {@code capture:verify}; a missing host is refused with an example. */
    Rules.Configured configured() throws MojoExecutionException {
        String element = Rules.element("noTrafficTo", Rules.optional("host", host),
                Rules.optional("port", port));
        if (host == null) {
            throw new MojoExecutionException(element + " needs a host or network: e.g."
                    + " <noTrafficTo><host>10.0.0.0/8</host></noTrafficTo>");
        }
        return new Rules.Configured(toString(), element, () -> port == null
                ? TrafficExpectations.noTrafficTo(host)
                : TrafficExpectations.noTrafficTo(host, port));
    }

    /** {@code noTrafficTo(10.0.0.0/8)} or {@code noTrafficTo(10.0.0.0/8 port 5432)}. */
    @Override
    public String toString() {
        return "noTrafficTo(" + host + (port == null ? "" : " port " + port) + ")";
    }
}
