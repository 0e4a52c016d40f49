package io.github.pcapunit.core.capture.internal.netns;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.CaptureNotPermittedException;
import io.github.pcapunit.core.InvalidCaptureSpecException;
import io.github.pcapunit.core.UnknownInterfaceException;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.internal.docker.DockerContainer;
import io.github.pcapunit.core.capture.internal.docker.DockerEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Resolves capture points to network namespaces and checks them before anything is opened: the
 * namespace or container exists (otherwise the message lists what does), the JVM may join it
 * ({@code CAP_SYS_ADMIN}), each named interface exists inside it, and no two points share a label.
 *
 * <pre>{@code
 * List<NetNamespace> points = Namespaces.check(spec);   // throws before any side effect
 * }</pre>
 */
public final class Namespaces {

    /** Where {@code ip netns} keeps named namespaces. */
    static final Path NETNS_DIR = Path.of("/run/netns");
    /** The fix for a missing CAP_SYS_ADMIN, part of every such message. */
    public static final String SYS_ADMIN_FIX = "joining another network namespace (setns) needs CAP_SYS_ADMIN:"
            + " run as root, or grant the java binary that capability besides the capture ones: sudo setcap"
            + " cap_net_raw,cap_net_admin,cap_sys_admin=eip \"$(readlink -f \"$(command -v java)\")\"";
    private static final int CAP_SYS_ADMIN = 21;

    private Namespaces() {
    }

    /**
     * Every point of {@code spec} resolved and checked (existence, permission, interfaces, labels);
     * empty when the spec has none. Joins each namespace once on a short-lived thread to list its
     * interfaces; creates nothing.
     *
     * @throws InvalidCaptureSpecException for a namespace or container that does not exist, or two
     *     points with one label
     * @throws CaptureNotPermittedException without {@code CAP_SYS_ADMIN}
     * @throws UnknownInterfaceException for an interface the point's namespace lacks
     */
    public static List<NetNamespace> check(CaptureSpec spec) {
        List<NetNamespace> resolved = new ArrayList<>();
        Map<String, CapturePoint> labels = new HashMap<>();
        for (CapturePoint p : spec.points()) {
            NetNamespace ns = resolve(p);
            CapturePoint other = labels.putIfAbsent(ns.label(), p);
            if (other != null) {
                throw new InvalidCaptureSpecException(option(p), p.target(), other.describe() + " and "
                        + p.describe() + " would both be named \"" + ns.label() + "\" in the capture file: give"
                        + " one a label of its own, e.g. CapturePoint...named(\"" + ns.label() + "2\")");
            }
            resolved.add(ns);
        }
        if (!resolved.isEmpty()) {
            requireSysAdmin(resolved.get(0));
        }
        for (NetNamespace ns : resolved) {
            List<String> wanted = ns.point().interfaces();
            if (wanted.isEmpty()) {
                continue;
            }
            List<String> available = NetnsThreads.call(ns, Namespaces::currentInterfaces);
            for (String name : wanted) {
                if (!available.contains(name)) {
                    throw new UnknownInterfaceException(name, available, "interface \"" + name + "\" does not exist in "
                            + ns.description() + ": available there are " + available + ". Use one of them, or"
                            + " name none to capture all of its interfaces");
                }
            }
        }
        return resolved;
    }

    /**
     * The namespace of one point, without joining it.
     *
     * @throws InvalidCaptureSpecException when it does not exist (listing what exists)
     */
    public static NetNamespace resolve(CapturePoint p) {
        if (p.kind() == CapturePoint.Kind.CONTAINER) {
            return container(p);
        }
        String target = p.target();
        if (target.startsWith("/")) {
            Path nsfs = Path.of(target);
            if (!Files.exists(nsfs)) {
                throw new InvalidCaptureSpecException("namespaces", target, "network namespace file " + target
                        + " does not exist: give an nsfs path such as /proc/<pid>/ns/net of a running process, or"
                        + " /run/netns/<name>; named namespaces here: " + named());
            }
            String label = p.label().orElseGet(() -> defaultLabel(nsfs));
            return new NetNamespace(p, nsfs, label, "network namespace " + target);
        }
        Path nsfs = NETNS_DIR.resolve(target);
        if (!Files.exists(nsfs)) {
            throw new InvalidCaptureSpecException("namespaces", target, "network namespace \"" + target
                    + "\" does not exist (no " + nsfs + "): existing are " + named() + " ('ip netns list');"
                    + " create it with 'ip netns add " + target + "' or name one of those");
        }
        return new NetNamespace(p, nsfs, p.label().orElse(target), "network namespace " + target + " (ip netns)");
    }

    private static NetNamespace container(CapturePoint p) {
        DockerEngine docker = DockerEngine.local();
        DockerContainer c = docker.inspect(p.target()).orElseThrow(() -> new InvalidCaptureSpecException(
                "containers", p.target(), "container \"" + p.target() + "\" does not exist at the Docker engine of "
                        + docker.socket() + ": running are " + docker.runningNames()
                        + " ('docker ps'); start it first or name one of those"));
        if (!c.running() || c.pid() <= 0) {
            throw new InvalidCaptureSpecException("containers", p.target(), "container \"" + c.name()
                    + "\" is not running, so it has no network namespace: start it before the capture");
        }
        if (c.networkMode().equals("none")) {
            throw new InvalidCaptureSpecException("containers", p.target(), "container \"" + c.name()
                    + "\" runs with --network none: it has only a loopback interface of its own; capture"
                    + " \"" + p.target() + "/lo\" or give the container a network");
        }
        if (c.networkMode().equals("host")) {
            throw new InvalidCaptureSpecException("containers", p.target(), "container \"" + c.name()
                    + "\" runs with --network host, in the JVM's own namespace: capture there with"
                    + " interfaces(...) instead of containers(...)");
        }
        Path nsfs = Path.of("/proc", Long.toString(c.pid()), "ns", "net");
        if (!Files.exists(nsfs)) {
            String why = docker.isRootless()
                    ? "the engine is rootless: its containers' processes belong to another user and their"
                            + " namespaces are owned by that user's user namespace, which this JVM cannot join;"
                            + " run the test as that user under 'nsenter -U' or use a rootful engine"
                    : "the container's process is not visible from here (another PID namespace?): run the JVM on"
                            + " the Docker host itself";
            throw new CaptureException("container \"" + c.name() + "\" has process " + c.pid() + " but " + nsfs
                    + " does not exist: " + why);
        }
        return new NetNamespace(p, nsfs, p.label().orElse(c.name()), "Docker container " + c.name() + " (id "
                + c.shortId() + ", pid " + c.pid() + ")");
    }

    /** Throws unless the effective capabilities include CAP_SYS_ADMIN. */
    static void requireSysAdmin(NetNamespace first) {
        if (!hasSysAdmin()) {
            throw new CaptureNotPermittedException("capturing in " + first.description() + " is not permitted: "
                    + SYS_ADMIN_FIX);
        }
    }

    /** Whether this process's effective capabilities include CAP_SYS_ADMIN (false when unknown). */
    public static boolean hasSysAdmin() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("CapEff:")).findFirst()
                    .map(l -> (Long.parseUnsignedLong(l.substring(7).strip(), 16) >>> CAP_SYS_ADMIN & 1) == 1)
                    .orElse(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The interfaces of the calling thread's network namespace, from {@code /proc/thread-self/net/dev}. */
    public static List<String> currentInterfaces() {
        try {
            List<String> names = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/net/dev"))) {
                int colon = line.indexOf(':');
                if (colon > 0 && !line.contains("|")) {
                    names.add(line.substring(0, colon).strip());
                }
            }
            names.add(CaptureSpec.ANY_INTERFACE);
            return names;
        } catch (IOException e) {
            throw new CaptureException("cannot list the interfaces of a network namespace: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the calling thread is in the JVM's own network namespace, the one its main thread
     * (the process) is in; false for a thread that joined another one with {@code setns(2)}, and
     * when {@code /proc} cannot tell. A socket the thread opens lives in its namespace, so a
     * handle on {@code lo} opened by such a thread captures that namespace's loopback.
     */
    public static boolean callerInJvmNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net"))
                    .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * How the capture file describes the network namespace {@code id} ({@code net:[4026532281]})
     * that a thread had joined when it started a capture of its "own" interfaces, as it describes a
     * capture point's: {@code network namespace db (ip netns)} when {@code /run/netns} names it,
     * else {@code network namespace net:[4026532281] (joined by the thread that started the capture)}.
     */
    static String describeJoined(String id) {
        long inode;
        try {
            inode = Long.parseLong(id.replaceAll("[^0-9]", ""));
        } catch (NumberFormatException e) {
            inode = -1;
        }
        for (String name : named()) {
            try {
                Object ino = Files.getAttribute(NETNS_DIR.resolve(name), "unix:ino");
                if (ino instanceof Number n && n.longValue() == inode) {
                    return "network namespace " + name + " (ip netns)";
                }
            } catch (IOException | RuntimeException e) {
                // removed meanwhile, or not an nsfs file: not this one
            }
        }
        return "network namespace " + id + " (joined by the thread that started the capture)";
    }

    /** Names {@code ip netns list} shows. */
    static List<String> named() {
        if (!Files.isDirectory(NETNS_DIR)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(NETNS_DIR)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String defaultLabel(Path nsfs) {
        Path parent = nsfs.getParent();
        if (parent != null && parent.equals(NETNS_DIR)) {
            return nsfs.getFileName().toString();
        }
        // /proc/<pid>/ns/net
        if (nsfs.getNameCount() == 4 && nsfs.getName(0).toString().equals("proc")
                && nsfs.getName(2).toString().equals("ns")) {
            return "pid" + nsfs.getName(1);
        }
        try {
            String link = Files.readSymbolicLink(nsfs).toString(); // "net:[4026532281]"
            return "ns" + link.replaceAll("[^0-9]", "");
        } catch (IOException | UnsupportedOperationException e) {
            return nsfs.getFileName().toString().replaceAll("[^A-Za-z0-9_.-]", "_");
        }
    }

    private static String option(CapturePoint p) {
        return p.kind() == CapturePoint.Kind.NAMESPACE ? "namespaces" : "containers";
    }
}
