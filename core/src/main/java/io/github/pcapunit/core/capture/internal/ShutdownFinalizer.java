package io.github.pcapunit.core.capture.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One JVM shutdown hook for all running captures: on SIGTERM or Ctrl-C it stops them so their
 * pcapng files are complete. Registered while at least one capture runs, removed when none does.
 */
final class ShutdownFinalizer {

    /** Something the hook finalizes. */
    interface Finalizable {
        void finalizeOnShutdown();
    }

    private static final Set<Finalizable> RUNNING = new LinkedHashSet<>();
    private static Thread hook;
    private static boolean shuttingDown;

    private ShutdownFinalizer() {
    }

    static synchronized void register(Finalizable f) {
        RUNNING.add(f);
        if (hook == null && !shuttingDown) {
            hook = new Thread(ShutdownFinalizer::run, "pcapunit-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    static synchronized void deregister(Finalizable f) {
        RUNNING.remove(f);
        if (RUNNING.isEmpty() && hook != null && !shuttingDown) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs and finds nothing to do
            }
            hook = null;
        }
    }

    /** Whether the hook is registered (for tests of the registration lifecycle). */
    static synchronized boolean hookRegistered() {
        return hook != null;
    }

    private static void run() {
        List<Finalizable> todo;
        synchronized (ShutdownFinalizer.class) {
            shuttingDown = true;
            todo = new ArrayList<>(RUNNING);
        }
        for (Finalizable f : todo) {
            try {
                f.finalizeOnShutdown();
            } catch (RuntimeException e) {
                System.err.println("pcapunit: could not finalize a capture at shutdown: " + e);
            }
        }
        Closer.drain(2000);
    }
}
