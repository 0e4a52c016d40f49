package io.github.pcapunit.core.capture.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A live process in a PID namespace of its own ({@code unshare -pf --mount-proc}), as a JVM in a
 * container is: the stale sweeps must judge names of its pid by what that namespace holds. The
 * process is {@code sleep} inside, with a pid that no process of the caller's namespace has (so
 * a name of that pid is alive only in there); {@link #close()} ends the namespace (its init, and
 * with it every process inside, is killed). Needs root.
 *
 * <pre>{@code
 * try (ChildPidNamespace child = ChildPidNamespace.start()) {
 *     String name = "pcapunit-" + child.pid() + "-1-pidns" + child.inode(); // alive in there
 * }
 * }</pre>
 */
public final class ChildPidNamespace implements AutoCloseable {

    private final Process unshare;
    private final long pid;
    private final String inode;
    private final Path init;

    private ChildPidNamespace(Process unshare, long pid, String inode, Path init) {
        this.unshare = unshare;
        this.pid = pid;
        this.inode = inode;
        this.init = init;
    }

    /**
     * Starts the namespace with {@code sleep} inside as a pid that neither it nor the next pid is
     * in use in the caller's namespace.
     *
     * @throws IOException when unshare cannot run or does not say what it started (not root)
     */
    public static ChildPidNamespace start() throws IOException {
        // readAllLines: Files.readString reads one byte first, and a sysctl file read past offset 0 ends there
        long max = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).strip());
        for (long pid = max - 100; pid > 300; pid -= 7) {
            if (ProcessHandle.of(pid).isEmpty() && ProcessHandle.of(pid + 1).isEmpty()) {
                return start(pid);
            }
        }
        throw new IOException("no free pid below pid_max " + max);
    }

    private static ChildPidNamespace start(long pid) throws IOException {
        Process p = new ProcessBuilder("unshare", "-pf", "--kill-child", "--mount-proc", "sh", "-c",
                "echo " + (pid - 1) + " > /proc/sys/kernel/ns_last_pid; sleep 600 & echo $!; "
                        + "readlink /proc/self/ns/pid; echo $$; wait")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
            String sleeper = out.readLine();
            String ns = out.readLine();
            String shell = out.readLine();
            if (sleeper == null || ns == null || !"1".equals(shell) || Long.parseLong(sleeper) != pid) {
                throw new IOException("unshare -pf did not start sleep as pid " + pid + " in a new PID namespace"
                        + " (got " + sleeper + ", " + ns + ", init " + shell + "): run as root");
            }
            // the namespace's init (sh, pid 1 inside) as the host sees it: unshare's only child
            String children = Files.readString(Path.of("/proc", Long.toString(p.pid()), "task",
                    Long.toString(p.pid()), "children")).strip();
            return new ChildPidNamespace(p, pid, ns.replaceAll("\\D", ""), Path.of("/proc", children.split("\\s+")[0]));
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e instanceof IOException io ? io : new IOException("cannot start a child PID namespace: " + e, e);
        }
    }

    /** The sleeping process's pid inside the namespace. */
    public long pid() {
        return pid;
    }

    /** The namespace's inode, as {@code /proc/<pid>/ns/pid} names it. */
    public String inode() {
        return inode;
    }

    /** Kills the namespace's init (every process inside dies with it) and waits until it is gone. */
    @Override
    public void close() throws InterruptedException {
        // SIGKILL: unshare -f waits out SIGTERM for its child; --kill-child makes its death kill the init
        unshare.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        for (int i = 0; i < 100 && Files.exists(init); i++) {
            Thread.sleep(50);
        }
    }
}
