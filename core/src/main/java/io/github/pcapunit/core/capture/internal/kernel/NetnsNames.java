package io.github.pcapunit.core.capture.internal.kernel;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.internal.docker.DockerEngine;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names a network namespace by its inode number (what the kernel's {@code ns.inum} and
 * {@code /proc/PID/ns/net} show): {@code (JVM)} for the JVM's own, its {@code ip netns} name when a
 * file in {@code /run/netns} is bound to it, {@code container db} when it is a running Docker
 * container's (asked of the local engine when its socket exists, at most once per
 * {@link #DOCKER_RESCAN_NANOS}), else {@code net:[4026532177]} as {@code /proc} writes it. Names
 * are looked up when a drop is read (a namespace the test deletes after stop() is still named)
 * and remembered while the file that showed them still shows that inode.
 *
 * <pre>{@code
 * NetnsNames names = NetnsNames.system();
 * names.name(4026532177L);   // "pcapunit-4242-1-client"
 * names.name(4026532301L);   // "container db"
 * }</pre>
 */
final class NetnsNames {

    /** The name of the JVM's own namespace, as firewall explain records name it. */
    static final String JVM = "(JVM)";

    /** The least time between two lookups at the Docker engine (a flood of unnamed namespaces' drops asks once). */
    static final long DOCKER_RESCAN_NANOS = 1_000_000_000L;
    /** What a container's namespace is called: {@code "container " + name}. */
    static final String CONTAINER = "container ";

    private final Path runNetns;
    private final long own;
    private final Supplier<Map<Long, Named>> containers;
    private final Map<Long, Named> known = new ConcurrentHashMap<>();
    private volatile long lastDockerScan = Long.MIN_VALUE;

    NetnsNames(Path runNetns, long ownInode) {
        this(runNetns, ownInode, Map::of);
    }

    /**
     * A name and the nsfs file that showed it ({@code /run/netns/x}, {@code /proc/<pid>/ns/net}),
     * checked again before the name is reused: the kernel reuses a deleted namespace's inode, and
     * one JVM's bpftrace outlives the namespaces of many tests. {@code nsfs} null: not checked.
     */
    record Named(String name, Path nsfs) {
    }

    /** With {@code containers}: the running containers' namespaces, inode to container name. */
    NetnsNames(Path runNetns, long ownInode, Supplier<Map<Long, Named>> containers) {
        this.runNetns = runNetns;
        this.own = ownInode;
        this.containers = containers;
    }

    /** Names from {@code /run/netns}, the local Docker engine and the JVM's {@code /proc/self/ns/net}. */
    static NetnsNames system() {
        return new NetnsNames(Path.of("/run/netns"), inode(Path.of("/proc/self/ns/net")), NetnsNames::dockerContainers);
    }

    /**
     * The namespaces of the local engine's running containers (inode to name); empty when there is
     * no engine socket, or the engine does not answer.
     */
    static Map<Long, Named> dockerContainers() {
        try {
            DockerEngine engine = DockerEngine.local();
            if (!Files.exists(engine.socket())) {
                return Map.of();
            }
            Map<Long, Named> out = new HashMap<>();
            for (String name : engine.runningNames()) {
                engine.inspect(name).filter(c -> c.pid() > 0).ifPresent(c -> {
                    Path nsfs = Path.of("/proc", Long.toString(c.pid()), "ns", "net");
                    long ino = inode(nsfs);
                    if (ino > 0) {
                        out.put(ino, new Named(c.name(), nsfs));
                    }
                });
            }
            return out;
        } catch (CaptureException e) {
            return Map.of(); // no engine to ask (DOCKER_HOST elsewhere, not answering): the inode stays
        }
    }

    /** The inode of an nsfs file, -1 when it cannot be read. */
    static long inode(Path nsfs) {
        try {
            Object ino = Files.getAttribute(nsfs, "unix:ino");
            return ino instanceof Number ? ((Number) ino).longValue() : -1;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return -1;
        }
    }

    /** The name of namespace {@code inode}; "" for 0 (the kernel did not say). */
    String name(long inode) {
        if (inode <= 0) {
            return "";
        }
        if (inode == own) {
            return JVM;
        }
        Named named = known.get(inode);
        if (named != null && named.nsfs() != null && inode(named.nsfs()) != inode) {
            known.remove(inode, named); // that namespace is gone; the kernel reused its inode
            named = null;
        }
        if (named == null) {
            rescan();
            if (!known.containsKey(inode)) {
                rescanContainers();
            }
            named = known.get(inode);
            if (named == null) {
                return "net:[" + inode + "]"; // not remembered: the namespace may get a name later
            }
        }
        return named.name();
    }

    /** Asks the Docker engine for its containers' namespaces, unless it was asked less than a second ago. */
    private void rescanContainers() {
        long now = System.nanoTime();
        long last = lastDockerScan;
        if (last != Long.MIN_VALUE && now - last < DOCKER_RESCAN_NANOS) {
            return;
        }
        lastDockerScan = now;
        containers.get().forEach((ino, c) -> known.putIfAbsent(ino, new Named(CONTAINER + c.name(), c.nsfs())));
    }

    /** Reads {@code /run/netns} again (a test creates namespaces while the capture runs). */
    void rescan() {
        if (!Files.isDirectory(runNetns)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(runNetns)) {
            for (Path f : files) {
                long ino = inode(f);
                if (ino > 0) {
                    known.put(ino, new Named(f.getFileName().toString(), f));
                }
            }
        } catch (IOException e) {
            // An unreadable directory names nothing; drops keep their inode.
        }
    }
}
