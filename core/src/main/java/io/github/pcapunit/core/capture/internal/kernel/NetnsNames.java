package io.github.pcapunit.core.capture.internal.kernel;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names a network namespace by its inode number (what the kernel's {@code ns.inum} and
 * {@code /proc/PID/ns/net} show): {@code (JVM)} for the JVM's own, its {@code ip netns} name when a
 * file in {@code /run/netns} is bound to it, else {@code net:[4026532177]} as {@code /proc} writes
 * it. Names are looked up when a drop is read (a namespace the test deletes after stop() is still
 * named) and remembered.
 *
 * <pre>{@code
 * NetnsNames names = NetnsNames.system();
 * names.name(4026532177L);   // "pcapunit-4242-1-client"
 * }</pre>
 */
final class NetnsNames {

    /** The name of the JVM's own namespace, as firewall explain records name it. */
    static final String JVM = "(JVM)";

    private final Path runNetns;
    private final long own;
    private final Map<Long, String> known = new ConcurrentHashMap<>();

    NetnsNames(Path runNetns, long ownInode) {
        this.runNetns = runNetns;
        this.own = ownInode;
    }

    /** Names from {@code /run/netns} and the JVM's {@code /proc/self/ns/net}. */
    static NetnsNames system() {
        return new NetnsNames(Path.of("/run/netns"), inode(Path.of("/proc/self/ns/net")));
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
        String name = known.get(inode);
        if (name == null) {
            rescan();
            name = known.getOrDefault(inode, "net:[" + inode + "]");
            if (name.startsWith("net:[")) {
                return name; // not remembered: the namespace may get a name later
            }
        }
        return name;
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
                    known.put(ino, f.getFileName().toString());
                }
            }
        } catch (IOException e) {
            // An unreadable directory names nothing; drops keep their inode.
        }
    }
}
