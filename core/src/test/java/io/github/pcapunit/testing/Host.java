package io.github.pcapunit.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One network namespace of a {@link NetLab}: run commands in it, start listeners, set firewall
 * rules, connect and ping from it.
 *
 * <pre>{@code
 * Host db = lab.host("db", "10.200.1.20");
 * Listener server = db.tcpEchoServer(1433);
 * db.firewall().dropInput("tcp dport 1433");
 * }</pre>
 */
public final class Host {

    private final NetLab lab;
    private final String role;
    private final String namespace;
    private final String address;
    private final int prefix;
    private Firewall firewall;

    Host(NetLab lab, String role, String namespace, String address, int prefix) {
        this.lab = lab;
        this.role = role;
        this.namespace = namespace;
        this.address = address;
        this.prefix = prefix;
    }

    /** The role given at creation, e.g. "db". */
    public String role() {
        return role;
    }

    /** The namespace name, e.g. "pcapunit-4242-1-db" (for {@code ip netns exec}). */
    public String namespace() {
        return namespace;
    }

    /** The host's IPv4 address, e.g. "10.200.1.20". */
    public String address() {
        return address;
    }

    /** The prefix length of the host's address, e.g. 24. */
    public int prefix() {
        return prefix;
    }

    /**
     * Runs a command inside this namespace and returns its result (non-zero exits do not throw).
     * Example: {@code db.exec("ip", "-br", "addr").stdout()}.
     */
    public ExecResult exec(String... command) {
        return Commands.exec(inNamespace(List.of(command)), null, Commands.DEFAULT_TIMEOUT);
    }

    /**
     * Runs a command inside this namespace and throws {@link IllegalStateException} with its
     * stderr when it fails. Example: {@code app.run("ip", "route", "add", "default", "dev", "to-db")}.
     */
    public ExecResult run(String... command) {
        ExecResult result = exec(command);
        if (!result.succeeded()) {
            throw new IllegalStateException(result.describeFailure());
        }
        return result;
    }

    /**
     * Runs {@code iptables} with {@code args} inside this namespace, throwing on failure.
     * Example: {@code db.iptables("-A", "INPUT", "-p", "tcp", "--dport", "1433", "-j", "DROP")}.
     */
    public ExecResult iptables(String... args) {
        List<String> command = new ArrayList<>();
        command.add("iptables");
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    /**
     * The nftables firewall of this namespace: one table of this lab with input and output chains
     * (created on first use, removed with the namespace).
     */
    public synchronized Firewall firewall() {
        if (firewall == null) {
            firewall = new Firewall(namespace, lab.nftTableName(), "");
            firewall.create();
        }
        return firewall;
    }

    /**
     * Starts a TCP server on {@code port} of this host that echoes what it receives, one thread
     * per connection; returns once it listens. Stopped by {@link Listener#close()} or the lab.
     */
    public Listener tcpEchoServer(int port) {
        return startListener("tcp", port);
    }

    /** Starts a UDP server on {@code port} of this host that echoes each datagram back to its sender. */
    public Listener udpEchoServer(int port) {
        return startListener("udp", port);
    }

    /**
     * Opens a TCP connection from this namespace to {@code address:port}, sends a line and reads
     * the echo, giving up after {@code timeout}.
     *
     * <pre>{@code
     * ConnectResult r = app.connectTcp("10.200.1.20", 1433, Duration.ofSeconds(2));
     * assertThat(r.outcome()).isEqualTo(ConnectResult.Outcome.CONNECTED);
     * }</pre>
     */
    public ConnectResult connectTcp(String address, int port, Duration timeout) {
        NetLab.checkLabAddress(address, "connectTcp(\"" + address + "\", " + port + ")");
        checkPort(port);
        double seconds = timeout.toMillis() / 1000.0;
        ExecResult result = Commands.exec(inNamespace(List.of(Scripts.python(), "-c", Scripts.TCP_CLIENT,
                address, Integer.toString(port), Double.toString(seconds))), null, timeout.plusSeconds(10));
        return ConnectResult.parse(result);
    }

    /**
     * Sends {@code count} ICMP echo requests to {@code address} (one per 200 ms) and returns true
     * when at least one reply came within {@code timeout}.
     */
    public boolean ping(String address, int count, Duration timeout) {
        NetLab.checkLabAddress(address, "ping(\"" + address + "\")");
        long seconds = Math.max(1, timeout.toSeconds());
        ExecResult result = Commands.exec(inNamespace(List.of("ping", "-n", "-q", "-c", Integer.toString(count),
                "-i", "0.2", "-w", Long.toString(seconds), address)), null, timeout.plusSeconds(10));
        return result.succeeded();
    }

    NetLab lab() {
        return lab;
    }

    String interfaceTo(Host peer) {
        String name = "to-" + peer.role;
        return name.length() > 15 ? name.substring(0, 15) : name;
    }

    private Listener startListener(String protocol, int port) {
        checkPort(port);
        String script = protocol.equals("tcp") ? Scripts.TCP_ECHO : Scripts.UDP_ECHO;
        Listener listener = Listener.start(inNamespace(List.of(Scripts.python(), "-c", script, address,
                Integer.toString(port))), protocol + " echo on " + role + " " + address + ":" + port, address, port);
        lab.register(listener);
        return listener;
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range: use 1-65535, e.g. 1433");
        }
    }

    private List<String> inNamespace(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        return full;
    }

    @Override
    public String toString() {
        return role + " (" + address + "/" + prefix + ", netns " + namespace + ")";
    }
}
