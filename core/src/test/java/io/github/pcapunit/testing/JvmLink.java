package io.github.pcapunit.testing;

/**
 * A veth between the JVM's own (root) namespace and a lab namespace host, on a /30 unique to
 * this lab: capture on {@link #interfaceName()}, connect with Java sockets to
 * {@code host().address()}.
 *
 * <pre>{@code
 * JvmLink link = lab.linkToJvm("db");
 * link.host().tcpEchoServer(1433);
 * Capture capture = Capture.start(CaptureSpec.builder().networkInterface(link.interfaceName()).build());
 * try (Socket s = new Socket(link.host().address(), 1433)) { ... }
 * }</pre>
 */
public final class JvmLink {

    private final NetLab lab;
    private final int slot;
    private final String interfaceName;
    private final String jvmAddress;
    private final Host host;
    private Firewall firewall;

    JvmLink(NetLab lab, int slot, String interfaceName, String jvmAddress, Host host) {
        this.lab = lab;
        this.slot = slot;
        this.interfaceName = interfaceName;
        this.jvmAddress = jvmAddress;
        this.host = host;
    }

    /** The JVM-side interface, e.g. "pcu4711" — the one to capture on. */
    public String interfaceName() {
        return interfaceName;
    }

    /** The JVM side's address, e.g. "10.200.137.189"; the source of the JVM's connections. */
    public String jvmAddress() {
        return jvmAddress;
    }

    /** The namespace host at the other end (address {@code jvmAddress + 1}). */
    public Host host() {
        return host;
    }

    /**
     * A firewall in the JVM's namespace whose rules only match this link's interface
     * ({@code oifname}/{@code iifname}); removed when the lab closes.
     * Example: {@code link.firewall().dropOutput("tcp dport 1433")}.
     */
    public synchronized Firewall firewall() {
        if (firewall == null) {
            Firewall created = new Firewall("", lab.nftTableName(), interfaceName);
            lab.registerRootFirewall(created);
            created.create();
            firewall = created;
        }
        return firewall;
    }

    int slot() {
        return slot;
    }

    @Override
    public String toString() {
        return "JVM " + jvmAddress + " on " + interfaceName + " <-> " + host;
    }
}
