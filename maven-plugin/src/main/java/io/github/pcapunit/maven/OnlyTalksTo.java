package io.github.pcapunit.maven;

import java.util.ArrayList;
import java.util.List;

/**
 * Rule of {@code capture:verify}: every packet captured goes to or comes from one of these
 * addresses (or {@code address:port} endpoints). Same check and message as the AssertJ
 * assertion {@code onlyTalksTo(...)}.
 *
 * <pre>{@code
 * <onlyTalksTo>
 *   <endpoints>
 *     <endpoint>127.0.0.1</endpoint>
 *     <endpoint>10.0.1.20:1433</endpoint>
 *   </endpoints>
 * </onlyTalksTo>
 * }</pre>
 *
 * @since 0.1.0
 */
public class OnlyTalksTo {

    /** Allowed peers: numeric addresses, or {@code address:port} ({@code [v6]:port}). */
    private List<String> endpoints = new ArrayList<>();

    /** For Maven's configurator. */
    public OnlyTalksTo() {
    }

    /** The allowed peers as configured. */
    public List<String> getEndpoints() {
        return endpoints;
    }

    /** Sets the allowed peers, e.g. {@code setEndpoints(List.of("127.0.0.1"))}. */
    public void setEndpoints(List<String> endpoints) {
        this.endpoints = endpoints == null ? new ArrayList<>() : new ArrayList<>(endpoints);
    }

    /** {@code onlyTalksTo[127.0.0.1, 10.0.1.20:1433]}. */
    @Override
    public String toString() {
        return "onlyTalksTo" + endpoints;
    }
}
