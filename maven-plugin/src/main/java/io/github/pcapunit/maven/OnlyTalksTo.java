package io.github.pcapunit.maven;

import java.util.ArrayList;
import java.util.List;

/**
 * Rule of {@code capture:verify}: every IP packet captured has its source or destination in one
 * of these hosts or networks (numeric addresses or CIDR, no DNS) — e.g. "the integration tests
 * made no calls outside localhost". Same check and message as the AssertJ assertion
 * {@code onlyTalksTo(...)}.
 *
 * <pre>{@code
 * <onlyTalksTo>
 *   <hosts>
 *     <host>127.0.0.0/8</host>
 *     <host>::1</host>
 *   </hosts>
 * </onlyTalksTo>
 * }</pre>
 *
 * @since 0.1.0
 */
public class OnlyTalksTo {

    /** Allowed peers: numeric addresses or networks in CIDR form. */
    private List<String> hosts = new ArrayList<>();

    /** For Maven's configurator. */
    public OnlyTalksTo() {
    }

    /** The allowed hosts and networks as configured. */
    public List<String> getHosts() {
        return hosts;
    }

    /** Sets the allowed hosts and networks, e.g. {@code setHosts(List.of("127.0.0.0/8"))}. */
    public void setHosts(List<String> hosts) {
        this.hosts = hosts == null ? new ArrayList<>() : new ArrayList<>(hosts);
    }
}
