package io.github.pcapunit.maven;

/**
 * The host and port a {@code capture:verify} rule is about, as nested elements
 * ({@code <host>10.0.1.20</host><port>1433</port>}); which of the two a rule requires, it says
 * itself ({@link NoDropsTo}: the port, {@link NoTrafficTo}: the host).
 *
 * <pre>{@code
 * NoDropsTo rule = new NoDropsTo(1433);
 * rule.setHost("10.0.1.20");
 * }</pre>
 */
abstract class Destination {

    /** A TCP/UDP port 0-65535, or {@code null} when not configured. */
    Integer port;

    /** A numeric address (or, where the rule allows, a CIDR network), or {@code null}. */
    String host;

    /** The destination port, or {@code null} when not configured. */
    public Integer getPort() {
        return port;
    }

    /** Sets the destination port, e.g. {@code setPort(1433)}. */
    public void setPort(Integer port) {
        this.port = port;
    }

    /** The destination host or network, or {@code null} when not configured. */
    public String getHost() {
        return host;
    }

    /** Sets the destination host or network, e.g. {@code setHost("10.0.1.20")}. */
    public void setHost(String host) {
        this.host = host;
    }
}
