package io.github.pcapunit.core.capture.internal.netns;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.CaptureNotPermittedException;
import com.sun.jna.Native;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Platform threads that join a network namespace ({@code setns(2)} with {@code CLONE_NEWNET})
 * before running their work. Only the new thread moves: every other thread of the JVM stays where
 * it is, and the namespace is left when the thread ends. Sockets opened on such a thread (a
 * libpcap handle's packet socket, a netlink socket) live in that namespace for good.
 *
 * <pre>{@code
 * List<String> names = NetnsThreads.call(db, () -> InterfaceList.current());
 * Thread loop = NetnsThreads.thread(db, "pcapunit-capture-db/eth0", handle::runLoop);
 * }</pre>
 */
public final class NetnsThreads {

    private static final int EPERM = 1;
    private static final int ENOENT = 2;
    private static final int EINVAL = 22;

    private NetnsThreads() {
    }

    /**
     * Runs {@code work} on a new platform thread inside {@code ns} and returns its result;
     * its exceptions are thrown here (checked ones wrapped in {@link CaptureException}).
     */
    public static <T> T call(NetNamespace ns, Callable<T> work) {
        return call("pcapunit-netns-" + ns.label(), () -> join(ns), work, ns.toString());
    }

    /**
     * Runs {@code join}, then {@code work}, on a new platform thread named {@code threadName},
     * waiting for it; {@code where} names the namespace in the message of a checked exception.
     */
    static <T> T call(String threadName, Runnable join, Callable<T> work, String where) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                join.run();
                result.set(work.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the thread holds native resources: wait for it to finish
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException) {
            throw (RuntimeException) e;
        }
        if (e instanceof Error) {
            throw (Error) e;
        }
        if (e != null) {
            throw new CaptureException("work in " + where + " failed: " + e, e);
        }
        return result.get();
    }

    /**
     * An unstarted daemon platform thread that joins {@code ns}, then runs {@code work}; if it
     * cannot join, {@code work} never runs and {@code onJoinFailure} receives the reason.
     */
    public static Thread thread(NetNamespace ns, String name, Runnable work,
            java.util.function.Consumer<CaptureException> onJoinFailure) {
        Thread t = new Thread(() -> {
            try {
                join(ns);
            } catch (CaptureException e) {
                onJoinFailure.accept(e);
                return;
            }
            work.run();
        }, name);
        t.setDaemon(true);
        return t;
    }

    /** Moves the calling thread into {@code ns}. */
    static void join(NetNamespace ns) {
        Libc libc = Libc.INSTANCE;
        int fd = libc.open(ns.nsfs().toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0) {
            int errno = Native.getLastError();
            throw new CaptureException("cannot open " + ns.nsfs() + " to join " + ns + ": "
                    + libc.strerror(errno) + (errno == ENOENT ? " (it was removed)" : ""));
        }
        try {
            if (libc.setns(fd, Libc.CLONE_NEWNET) != 0) {
                int errno = Native.getLastError();
                if (errno == EPERM) {
                    throw new CaptureNotPermittedException("cannot join " + ns + " (setns: "
                            + libc.strerror(errno) + "): " + Namespaces.SYS_ADMIN_FIX);
                }
                if (errno == EINVAL) {
                    throw new CaptureException(ns.nsfs() + " is not a network namespace (setns: "
                            + libc.strerror(errno) + "): give an nsfs path such as /proc/<pid>/ns/net or /run/netns/<name>");
                }
                throw new CaptureException("cannot join " + ns + " (setns: " + libc.strerror(errno) + ")");
            }
        } finally {
            libc.close(fd);
        }
    }
}
