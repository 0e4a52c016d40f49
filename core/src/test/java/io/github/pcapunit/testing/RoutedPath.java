package io.github.pcapunit.testing;

import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A routed path of three namespaces, for tests of where on a path a packet was dropped:
 * client — router — server on two /24s, {@code 10.200.N.0/24} (client {@code .10}, router
 * {@code .1}) and {@code 10.200.N+1.0/24} (router {@code .1}, server {@code .20}), the router
 * forwarding between them. {@link #dualStack} adds IPv6 with the same host numbers
 * ({@code fd00:200:N::10}, {@code fd00:200:N::1}, {@code fd00:200:N+1::1}, {@code fd00:200:N+1::20}).
 * When {@link #create} returns, a ping from client to server has crossed the router (per family),
 * so routes and forwarding work and every neighbour on the path is resolved: a test's first
 * packet leaves at once rather than from an ARP reply's softirq.
 *
 * <pre>{@code
 * try (RoutedPath path = RoutedPath.create(61)) {          // 10.200.61.0/24 and 10.200.62.0/24
 *     path.client().firewall().dropOutput("tcp dport 1101"); // the client's OUTPUT
 *     path.forward("tcp dport 1102 counter drop");            // the router's FORWARD
 *     path.server().firewall().dropInput("tcp dport 1103");   // the server's INPUT
 *     ... connect from path.client() to path.server().address() ...
 *     int n = RoutedPath.counter(path.router(), "tcp dport 1102"); // packets that rule dropped
 * }
 * }</pre>
 *
 * <p>Everything lives in the three namespaces of the path's own {@link NetLab} — veths, routes,
 * nft tables, listeners — so {@link #close()} removes it all; should building the path or the
 * test's own setup fail half way, {@link #create} closes the lab before it throws, and a dead
 * JVM's namespaces are removed by the next lab ({@link Leftovers}). Needs root: call
 * {@link NetLab#assumeAvailable()} first.
 */
public final class RoutedPath implements AutoCloseable {

    /** The router's nft table holding the {@code forward} chain of {@link #forward(String)}. */
    public static final String ROUTER_TABLE = "pcapunit_path";

    private final NetLab lab;
    private final Host client;
    private final Host router;
    private final Host server;
    private boolean forwardChain;

    private RoutedPath(NetLab lab, Host client, Host router, Host server) {
        this.lab = lab;
        this.client = client;
        this.router = router;
        this.server = server;
    }

    /**
     * An IPv4 path on 10.200.{@code net}.0/24 and 10.200.{@code net+1}.0/24; IPv6 stays off in
     * the three namespaces (no router solicitations in captures).
     *
     * @param net 1-254, the client's subnet (inside the path's own namespaces, so it never
     *            collides with another path or with {@link NetLab#linkToJvm} subnets)
     * @throws IllegalArgumentException for a bad {@code net}, before anything is created
     */
    public static RoutedPath create(int net) {
        return build(net, false, path -> { });
    }

    /**
     * As {@link #create(int)}, then {@code setup} (sysctls, listeners, rules): should it throw,
     * the path is closed before the exception propagates, e.g.
     * {@code RoutedPath.create(61, p -> p.server().tcpEchoServer(1101))}.
     */
    public static RoutedPath create(int net, Consumer<RoutedPath> setup) {
        return build(net, false, setup);
    }

    /** As {@link #create(int)}, with IPv6 on both links and forwarded by the router. */
    public static RoutedPath dualStack(int net) {
        return build(net, true, path -> { });
    }

    /** As {@link #create(int, Consumer)}, with IPv6 on both links and forwarded by the router. */
    public static RoutedPath dualStack(int net, Consumer<RoutedPath> setup) {
        return build(net, true, setup);
    }

    private static RoutedPath build(int net, boolean ipv6, Consumer<RoutedPath> setup) {
        if (net < 1 || net > 254) {
            throw new IllegalArgumentException("RoutedPath net " + net + " is out of range: use 1-254 for "
                    + "10.200.<net>.0/24 and 10.200.<net+1>.0/24, e.g. RoutedPath.create(61)");
        }
        NetLab lab = NetLab.create();
        try {
            String clientNet = "10.200." + net + ".";
            String serverNet = "10.200." + (net + 1) + ".";
            Host client = lab.host("client", clientNet + "10");
            Host router = lab.host("router", clientNet + "1");
            Host server = lab.host("server", serverNet + "20");
            lab.link(client, router);
            router.run("ip", "link", "add", "to-server", "type", "veth", "peer", "name", "to-router", "netns",
                    server.namespace());
            for (Host h : List.of(router, server)) {
                h.run("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
            }
            router.run("ip", "addr", "add", serverNet + "1/24", "dev", "to-server");
            router.run("ip", "link", "set", "to-server", "up");
            router.run("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            server.run("ip", "addr", "add", serverNet + "20/24", "dev", "to-router");
            server.run("ip", "link", "set", "to-router", "up");
            client.run("ip", "route", "add", serverNet + "0/24", "via", clientNet + "1");
            server.run("ip", "route", "add", clientNet + "0/24", "via", serverNet + "1");
            if (ipv6) {
                ipv6(client, router, server, net);
            }
            RoutedPath path = new RoutedPath(lab, client, router, server);
            path.ping(server.address());
            if (ipv6) {
                path.ping(path.server6());
            }
            setup.accept(path);
            return path;
        } catch (RuntimeException | Error e) {
            try {
                lab.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static void ipv6(Host client, Host router, Host server, int net) {
        // the lab turns IPv6 off in its namespaces (router solicitations are noise): on for this path
        for (Host h : List.of(client, router, server)) {
            h.run("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=0");
        }
        client.run("sysctl", "-q", "-w", "net.ipv6.conf.to-router.disable_ipv6=0");
        router.run("sysctl", "-q", "-w", "net.ipv6.conf.to-client.disable_ipv6=0");
        router.run("sysctl", "-q", "-w", "net.ipv6.conf.to-server.disable_ipv6=0");
        server.run("sysctl", "-q", "-w", "net.ipv6.conf.to-router.disable_ipv6=0");
        router.run("sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1");
        String c = "fd00:200:" + net + "::";
        String s = "fd00:200:" + (net + 1) + "::";
        client.run("ip", "-6", "addr", "add", c + "10/64", "dev", "to-router", "nodad");
        router.run("ip", "-6", "addr", "add", c + "1/64", "dev", "to-client", "nodad");
        router.run("ip", "-6", "addr", "add", s + "1/64", "dev", "to-server", "nodad");
        server.run("ip", "-6", "addr", "add", s + "20/64", "dev", "to-router", "nodad");
        client.run("ip", "-6", "route", "add", s + "/64", "via", c + "1");
        server.run("ip", "-6", "route", "add", c + "/64", "via", s + "1");
    }

    private void ping(String address) {
        ExecResult r = client.exec("ping", "-c", "1", "-W", "3", address);
        if (!r.succeeded()) {
            throw new IllegalStateException("RoutedPath " + client.address() + " \u2192 " + address
                    + ": the path does not forward (" + r.describeFailure() + ")");
        }
    }

    /** The client, 10.200.N.10 on {@code to-router}. */
    public Host client() {
        return client;
    }

    /** The router, 10.200.N.1 on {@code to-client} and 10.200.N+1.1 on {@code to-server}. */
    public Host router() {
        return router;
    }

    /** The server, 10.200.N+1.20 on {@code to-router}. */
    public Host server() {
        return server;
    }

    /** The server's IPv6 address, {@code fd00:200:N+1::20} (a {@link #dualStack} path only). */
    public String server6() {
        String[] octets = server.address().split("\\.");
        return "fd00:200:" + octets[2] + "::20";
    }

    /** The lab the path lives in, e.g. for more hosts. */
    public NetLab lab() {
        return lab;
    }

    /**
     * Appends {@code rule} to the router's forward chain (table {@value #ROUTER_TABLE}, family inet,
     * policy accept; created on first use), e.g. {@code "tcp dport 1102 counter drop"} or
     * {@code "tcp dport 1434 counter reject with tcp reset"}.
     */
    public synchronized RoutedPath forward(String rule) {
        if (!forwardChain) {
            router.run("nft", "add table inet " + ROUTER_TABLE);
            router.run("nft", "add chain inet " + ROUTER_TABLE
                    + " forward { type filter hook forward priority 0; policy accept; }");
            forwardChain = true;
        }
        router.run("nft", "add rule inet " + ROUTER_TABLE + " forward " + rule);
        return this;
    }

    /**
     * The packet count of the rule in {@code host}'s ruleset that starts with {@code match} and
     * counts, e.g. {@code counter(path.router(), "tcp dport 1102")} for a rule added as
     * {@code "tcp dport 1102 counter drop"}.
     *
     * @throws IllegalStateException when no such rule counts (shows the ruleset)
     */
    public static int counter(Host host, String match) {
        String rules = host.run("nft", "list", "ruleset").stdout();
        Matcher m = Pattern.compile(Pattern.quote(match) + " counter packets (\\d+)").matcher(rules);
        if (!m.find()) {
            throw new IllegalStateException("no counting rule \"" + match + "\" in " + host.namespace() + ": " + rules);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Removes the three namespaces and everything in them (the lab); safe to call twice. */
    @Override
    public void close() {
        lab.close();
    }
}
