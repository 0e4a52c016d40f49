package io.github.pcapunit.testing;

import io.github.pcapunit.core.capture.internal.PidNamespaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away network lab for tests: Linux network namespaces joined by veth pairs, with
 * addresses in 10.200.0.0/16, real listeners, nftables/iptables rules, all removed by
 * {@link #close()} (and, should the JVM die, by the next lab's start).
 *
 * <p>Two shapes:
 * <ul>
 * <li><b>JVM ↔ namespace</b> ({@link #linkToJvm(String)}): one veth end in the JVM's (root)
 * namespace on a uniquely named interface and a unique /30, the other in a namespace. The JVM can
 * capture on {@link JvmLink#interfaceName()} and connect with plain Java sockets to a listener in
 * the namespace. This is the shape for pcapunit capture tests.</li>
 * <li><b>namespace ↔ namespace</b> ({@link #host(String, String)} + {@link #link(Host, Host)}):
 * both ends in namespaces, fixed addresses such as 10.200.1.10 / 10.200.1.20 (no collisions: each
 * namespace has its own routing). The JVM's capture cannot see inside; kernel tracepoints can.
 * This is the shape for "a firewall on app's OUTPUT puts nothing on the wire".</li>
 * </ul>
 *
 * <pre>{@code
 * try (NetLab lab = NetLab.create()) {
 *     Host app = lab.host("app", "10.200.1.10");
 *     Host db = lab.host("db", "10.200.1.20");
 *     lab.link(app, db);
 *     db.tcpEchoServer(1433);
 *     app.firewall().dropOutput("tcp dport 1433");
 *     assertThat(app.connectTcp("10.200.1.20", 1433, Duration.ofSeconds(2)).outcome())
 *             .isEqualTo(ConnectResult.Outcome.TIMED_OUT);
 * }
 * }</pre>
 *
 * <p>Names carry this JVM's pid ({@code pcapunit-<pid>-<lab>-<role>}, with {@code -pidns<inode>}
 * outside the initial PID namespace: see {@link PidNamespaces}); {@link Leftovers} lists and
 * removes them. Needs root; tests call {@link #assumeAvailable()} first to skip otherwise.
 */
public final class NetLab implements AutoCloseable {

    private static final AtomicInteger LAB_SEQ = new AtomicInteger();
    private static final int SLOTS = 12_288;
    private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9]{0,9}");
    private static final Object STALE_LOCK = new Object();
    private static volatile boolean staleRemoved;

    private final long pid = ProcessHandle.current().pid();
    private final int labId = LAB_SEQ.incrementAndGet();
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final List<JvmLink> jvmLinks = new ArrayList<>();
    private final List<Listener> listeners = new ArrayList<>();
    private final List<Firewall> rootFirewalls = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::closeQuietly, "pcapunit-netlab-cleanup");
    private boolean closed;

    private NetLab() {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Creates an empty lab after removing what dead processes left behind.
     *
     * @throws IllegalStateException when not running as root (call {@link #assumeAvailable()} first)
     */
    public static NetLab create() {
        unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException("the network lab cannot run: " + reason);
        });
        synchronized (STALE_LOCK) {
            if (!staleRemoved) {
                Leftovers.removeStale();
                staleRemoved = true;
            }
        }
        return new NetLab();
    }

    /**
     * Says why the lab cannot run here, e.g. "not running as root (uid 1000): namespaces, veth and
     * nftables need CAP_NET_ADMIN and CAP_SYS_ADMIN", or empty when it can.
     */
    public static Optional<String> unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return Optional.of("network namespaces need Linux, this is " + System.getProperty("os.name"));
        }
        ExecResult id = Commands.exec(List.of("id", "-u"), null, Commands.DEFAULT_TIMEOUT);
        if (!id.succeeded() || !id.stdout().strip().equals("0")) {
            return Optional.of("not running as root (uid " + id.stdout().strip()
                    + "): namespaces, veth and nftables need CAP_NET_ADMIN and CAP_SYS_ADMIN; run the tests as root");
        }
        for (String tool : List.of("ip", "nft")) {
            if (!Commands.exec(List.of("sh", "-c", "command -v " + tool), null, Commands.DEFAULT_TIMEOUT).succeeded()) {
                return Optional.of("'" + tool + "' is not installed (.ci/run installs iproute2 and nftables)");
            }
        }
        return Optional.empty();
    }

    /** Skips the calling test (JUnit assumption) with the reason when the lab cannot run here. */
    public static void assumeAvailable() {
        Optional<String> reason = unavailableReason();
        Assumptions.assumeTrue(reason.isEmpty(), () -> "network lab unavailable: " + reason.orElse(""));
    }

    /**
     * Creates a namespace host with {@code address} (prefix /24 unless given, e.g. "10.200.1.10/24");
     * the address is put on the host's end of each {@link #link(Host, Host)}.
     *
     * @param role    short name, lower-case letters and digits, e.g. "app"
     * @param address an IPv4 address in 10.200.0.0/16
     * @throws IllegalArgumentException for a bad role or address, before anything is created
     */
    public synchronized Host host(String role, String address) {
        checkOpen();
        checkRole(role);
        String[] parts = address.split("/", 2);
        int prefix = parts.length == 2 ? parsePrefix(parts[1], address) : 24;
        checkLabAddress(parts[0], "host(\"" + role + "\", \"" + address + "\")");
        Host host = new Host(this, role, namespaceName(role), parts[0], prefix);
        createNamespace(host.namespace());
        hosts.put(role, host);
        return host;
    }

    /**
     * Joins two hosts with a veth pair created directly inside their namespaces (nothing in the
     * root namespace); each end is named {@code to-<peer role>} and carries its host's address.
     */
    public synchronized void link(Host a, Host b) {
        checkOpen();
        if (a.lab() != this || b.lab() != this || a == b) {
            throw new IllegalArgumentException("link(" + a.role() + ", " + b.role()
                    + ") needs two different hosts of this lab");
        }
        String aEnd = a.interfaceTo(b);
        String bEnd = b.interfaceTo(a);
        Commands.run("ip", "-n", a.namespace(), "link", "add", aEnd, "type", "veth",
                "peer", "name", bEnd, "netns", b.namespace());
        configure(a.namespace(), aEnd, a.address() + "/" + a.prefix());
        configure(b.namespace(), bEnd, b.address() + "/" + b.prefix());
        knowEachOther(a.namespace(), aEnd, a.address(), b.namespace(), bEnd, b.address());
    }

    /**
     * Creates a namespace host joined to the JVM's namespace by a veth on a fresh, unique /30 in
     * 10.200.64.0–10.200.255.255: the JVM side gets {@code .1} on interface {@code pcu<slot>},
     * the host {@code .2}. Unique across concurrently running labs in all processes.
     *
     * <pre>{@code
     * JvmLink link = lab.linkToJvm("db");
     * link.host().tcpEchoServer(1433);
     * try (Socket s = new Socket(link.host().address(), 1433)) { ... }
     * }</pre>
     */
    public synchronized JvmLink linkToJvm(String role) {
        checkOpen();
        checkRole(role);
        int slot = reserveSlot();
        try {
            int third = 64 + slot / 64;
            int fourth = (slot % 64) * 4;
            String jvmAddress = "10.200." + third + "." + (fourth + 1);
            String hostAddress = "10.200." + third + "." + (fourth + 2);
            Host host = new Host(this, role, namespaceName(role), hostAddress, 30);
            createNamespace(host.namespace());
            hosts.put(role, host);
            String rootEnd = "pcu" + slot;
            String hostEnd = "to-jvm";
            Commands.run("ip", "link", "add", rootEnd, "type", "veth", "peer", "name", hostEnd,
                    "netns", host.namespace());
            JvmLink link = new JvmLink(this, slot, rootEnd, jvmAddress, host);
            jvmLinks.add(link);
            // No IPv6 on the root end: router solicitations would add noise to captures.
            Commands.exec(List.of("sysctl", "-q", "-w", "net.ipv6.conf." + rootEnd + ".disable_ipv6=1"),
                    null, Commands.DEFAULT_TIMEOUT);
            Commands.run("ip", "addr", "add", jvmAddress + "/30", "dev", rootEnd);
            Commands.run("ip", "link", "set", rootEnd, "up");
            configure(host.namespace(), hostEnd, hostAddress + "/30");
            knowEachOther(null, rootEnd, jvmAddress, host.namespace(), hostEnd, hostAddress);
            return link;
        } catch (RuntimeException e) {
            releaseSlot(slot);
            throw e;
        }
    }

    /** Returns the host created with {@code role}. */
    public synchronized Host hostNamed(String role) {
        Host host = hosts.get(role);
        if (host == null) {
            throw new IllegalArgumentException("no host \"" + role + "\" in this lab; hosts: " + hosts.keySet());
        }
        return host;
    }

    /** Returns the name prefix of this lab's items, {@code pcapunit-<pid>-<lab>}; unique per run. */
    public String id() {
        return "pcapunit-" + pid + "-" + labId;
    }

    /**
     * Removes everything this lab created: listeners, root nftables tables, veths, namespaces.
     * Safe to call twice; also runs from a shutdown hook.
     */
    @Override
    public void close() {
        closeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or ran.
        }
    }

    private synchronized void closeQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        for (Listener listener : listeners) {
            runCollecting(listener::close, failures);
        }
        for (Firewall firewall : rootFirewalls) {
            runCollecting(firewall::remove, failures);
        }
        for (Host host : hosts.values()) {
            runCollecting(() -> Leftovers.removeNamespace(host.namespace()), failures);
        }
        for (JvmLink link : jvmLinks) {
            runCollecting(() -> {
                Commands.exec(List.of("ip", "link", "del", link.interfaceName()), null, Commands.DEFAULT_TIMEOUT);
                releaseSlot(link.slot());
            }, failures);
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("network lab " + id() + " cleanup failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    private static void runCollecting(Runnable action, List<RuntimeException> failures) {
        try {
            action.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    synchronized void register(Listener listener) {
        listeners.add(listener);
    }

    synchronized void registerRootFirewall(Firewall firewall) {
        rootFirewalls.add(firewall);
    }

    String nftTableName() {
        return "pcapunit_" + pid + "_" + labId + PidNamespaces.suffix("_");
    }

    private String namespaceName(String role) {
        if (hosts.containsKey(role)) {
            throw new IllegalArgumentException("this lab already has a host \"" + role + "\"; use another role name");
        }
        return id() + "-" + role + PidNamespaces.suffix("-");
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("network lab " + id() + " is closed; create a new one with NetLab.create()");
        }
    }

    private static void checkRole(String role) {
        if (role == null || !ROLE.matcher(role).matches()) {
            throw new IllegalArgumentException("host role \"" + role
                    + "\" is not valid: use 1-10 lower-case letters or digits starting with a letter, e.g. \"db\"");
        }
    }

    private static int parsePrefix(String text, String address) {
        try {
            int prefix = Integer.parseInt(text);
            if (prefix >= 8 && prefix <= 30) {
                return prefix;
            }
        } catch (NumberFormatException e) {
            // Reported below with the expected form.
        }
        throw new IllegalArgumentException("address \"" + address
                + "\" has a bad prefix length: use 8-30, e.g. \"10.200.1.10/24\"");
    }

    static void checkLabAddress(String address, String where) {
        String[] octets = address.split("\\.");
        boolean ok = octets.length == 4 && octets[0].equals("10") && octets[1].equals("200");
        for (int i = 2; ok && i < 4; i++) {
            ok = octets[i].matches("\\d{1,3}") && Integer.parseInt(octets[i]) <= 255;
        }
        if (!ok) {
            throw new IllegalArgumentException(where + ": \"" + address
                    + "\" is not a lab address; tests may only use 10.200.x.y, e.g. \"10.200.1.10\"");
        }
    }

    private static void createNamespace(String name) {
        Commands.run("ip", "netns", "add", name);
        Commands.run("ip", "-n", name, "link", "set", "lo", "up");
    }

    /**
     * Permanent neighbour entries on both ends of a link ({@code null} namespace: the JVM's), so a
     * test's first packet leaves at once instead of waiting for ARP: a packet sent later from the
     * ARP reply's softirq would not be tied to its connect by the kernel evidence (see
     * {@code KernelDrops}), and ARP is not what these tests are about.
     */
    private static void knowEachOther(String nsA, String devA, String addrA, String nsB, String devB, String addrB) {
        String macA = mac(nsA, devA);
        String macB = mac(nsB, devB);
        Commands.run(ip(nsA, "neigh", "replace", addrB, "lladdr", macB, "dev", devA, "nud", "permanent"));
        Commands.run(ip(nsB, "neigh", "replace", addrA, "lladdr", macA, "dev", devB, "nud", "permanent"));
    }

    private static String mac(String namespace, String device) {
        String out = Commands.run(ip(namespace, "-br", "link", "show", "dev", device)).stdout();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9a-f]{2}(:[0-9a-f]{2}){5})").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no MAC address for " + device + " in: " + out);
        }
        return m.group(1);
    }

    private static String[] ip(String namespace, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("ip"));
        if (namespace != null) {
            command.addAll(List.of("-n", namespace));
        }
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }

    private static void configure(String namespace, String device, String cidr) {
        Commands.exec(List.of("ip", "netns", "exec", namespace, "sysctl", "-q", "-w",
                "net.ipv6.conf.all.disable_ipv6=1"), null, Commands.DEFAULT_TIMEOUT);
        Commands.run("ip", "-n", namespace, "addr", "add", cidr, "dev", device);
        Commands.run("ip", "-n", namespace, "link", "set", device, "up");
    }

    private int reserveSlot() {
        try {
            Files.createDirectories(Leftovers.SLOT_DIR);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + Leftovers.SLOT_DIR, e);
        }
        int start = (int) ((pid * 131 + labId * 7L) % SLOTS);
        for (int i = 0; i < SLOTS; i++) {
            int slot = (start + i) % SLOTS;
            Path file = Leftovers.SLOT_DIR.resolve("slot-" + slot);
            try {
                Files.writeString(file, pid + PidNamespaces.suffix(" "), StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException taken) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot reserve " + file, e);
            }
            // A veth left by a killed process without its slot file would collide: skip that slot.
            if (Commands.exec(List.of("ip", "link", "show", "pcu" + slot), null, Commands.DEFAULT_TIMEOUT).succeeded()) {
                releaseSlot(slot);
                continue;
            }
            return slot;
        }
        throw new IllegalStateException("all " + SLOTS + " lab subnets in " + Leftovers.SLOT_DIR
                + " are taken; remove stale files there or close labs");
    }

    private static void releaseSlot(int slot) {
        try {
            Files.deleteIfExists(Leftovers.SLOT_DIR.resolve("slot-" + slot));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release lab slot " + slot, e);
        }
    }
}
