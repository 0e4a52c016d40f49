package io.github.pcapunit.core.capture.internal.netns;

import com.sun.jna.Native;
import io.github.pcapunit.core.CaptureException;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The network namespace a capture's own handles were opened in, held by an open nsfs file
 * descriptor so later work (the conversion's ifindex lookups) runs there whichever thread asks:
 * the JVM's namespace, or the one a user's thread had joined with {@code setns(2)} when it
 * started the capture. A thread's namespace has no path that outlives the thread
 * ({@code /proc/<tid>/ns/net}), hence the descriptor, which also keeps the namespace alive (after
 * {@code ip netns del}): its owner closes it ({@link #close()}) once the last lookup is done, and a
 * Cleaner closes it when an unclosed one becomes unreachable. The JVM's own instance ({@link #jvm()})
 * is shared and never closed.
 *
 * <pre>{@code
 * PinnedNamespace here = PinnedNamespace.ofCallingThread();      // at start, on the user's thread
 * String name = here.call(() -> InterfaceIndexes.nameOf(2));   // later, from any thread
 * here.close();                                                // after the last lookup
 * }</pre>
 */
public final class PinnedNamespace implements AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create();
    private static volatile PinnedNamespace jvm;

    private final int fd;
    /** {@code net:[4026531840]}: what {@code /proc/thread-self/ns/net} reads in this namespace. */
    private final String id;
    private final boolean jvmNamespace;
    /** What the capture file says the namespace is (see {@link #describe}); null for the JVM's. */
    private final String description;
    /** Closes {@link #fd} once (by {@link #close()} or when unreachable). */
    private final Cleaner.Cleanable cleanable;
    /** Set by {@link #close()}; guarded by this: {@link #join} never uses a closed (maybe reused) fd number. */
    private boolean closed;

    private PinnedNamespace(int fd, String id, boolean jvmNamespace) {
        this.fd = fd;
        this.id = id;
        this.jvmNamespace = jvmNamespace;
        this.description = jvmNamespace ? null : Namespaces.describeJoined(id);
        this.cleanable = CLEANER.register(this, () -> Libc.INSTANCE.close(fd));
    }

    /**
     * The calling thread's namespace: the JVM's ({@link #jvm()}) when the thread has not joined
     * another one.
     *
     * @throws CaptureException when its nsfs file cannot be opened
     */
    public static PinnedNamespace ofCallingThread() {
        if (Namespaces.callerInJvmNamespace()) {
            return jvm();
        }
        return open(Path.of("/proc/thread-self/ns/net"), false);
    }

    /** The JVM's own namespace, the one its main thread is in. */
    public static PinnedNamespace jvm() {
        PinnedNamespace p = jvm;
        if (p == null) {
            synchronized (PinnedNamespace.class) {
                p = jvm;
                if (p == null) {
                    p = open(Path.of("/proc/self/ns/net"), true);
                    jvm = p;
                }
            }
        }
        return p;
    }

    private static PinnedNamespace open(Path nsfs, boolean jvmNamespace) {
        Libc libc = Libc.INSTANCE;
        int fd = libc.open(nsfs.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0) {
            throw new CaptureException("cannot open " + nsfs + ": " + libc.strerror(Native.getLastError()));
        }
        try {
            return new PinnedNamespace(fd, Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString(),
                    jvmNamespace);
        } catch (IOException | RuntimeException e) {
            libc.close(fd);
            throw new CaptureException("cannot read the network namespace of " + nsfs + ": " + e, e);
        }
    }

    /** Whether this is the JVM's own namespace (its sysfs is the one mounted, normally). */
    public boolean isJvmNamespace() {
        return jvmNamespace;
    }

    /**
     * Closes the descriptor, letting a deleted namespace go; later {@link #call}s from threads
     * outside it fail ({@link CaptureException}). Idempotent; the JVM's own instance is shared and
     * stays open.
     */
    @Override
    public void close() {
        if (jvmNamespace) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        cleanable.clean();
    }

    /** Whether {@link #close()} closed it (never for the JVM's own). */
    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * The description the capture file gives interface {@code iface} opened in this namespace, as
     * it does for a capture point's ({@link NetNamespace#describe}): e.g.
     * {@code lo in network namespace db (ip netns)}; null in the JVM's own namespace, whose
     * interfaces the file names bare.
     */
    public String describe(String iface) {
        return description == null ? null : iface + " in " + description;
    }

    /** {@code net:[inode]}, as {@code /proc/<pid>/fd/<n>} links to it. */
    public String id() {
        return id;
    }

    /** Whether the calling thread is in this namespace. */
    public boolean holdsCallingThread() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString().equals(id);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Runs {@code work} in this namespace: on the calling thread when it is in it, else on a new
     * platform thread that joins it first; exceptions as {@link NetnsThreads#call}.
     */
    public <T> T call(Callable<T> work) {
        if (holdsCallingThread()) {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new CaptureException("work in " + this + " failed: " + e, e);
            }
        }
        return NetnsThreads.call("pcapunit-netns-" + id, () -> join(), work, toString());
    }

    private synchronized void join() {
        if (closed) {
            throw new CaptureException("cannot join " + this + ": it was closed (the capture that held it ended)");
        }
        Libc libc = Libc.INSTANCE;
        if (libc.setns(fd, Libc.CLONE_NEWNET) != 0) {
            throw new CaptureException("cannot join " + this + " (setns: " + libc.strerror(Native.getLastError()) + ")");
        }
    }

    @Override
    public String toString() {
        return (jvmNamespace ? "the JVM's network namespace " : "network namespace ") + id;
    }
}
