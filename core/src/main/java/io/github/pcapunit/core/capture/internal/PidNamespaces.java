package io.github.pcapunit.core.capture.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whose pid a name carries, and whether that run is gone. Names of what pcapunit and its test lab
 * leave on the machine (tracefs instances, nft tables, network namespaces, containers) hold the
 * creating JVM's pid, but a pid means something only in its own PID namespace: a JVM in a
 * container or under {@code unshare -pf} does not see the host's JVMs, and the host sees its pids
 * under other numbers. So a JVM outside the initial PID namespace adds {@code pidns<inode>}
 * ({@code /proc/self/ns/pid}) to its names; a name without it belongs to the initial PID namespace.
 * Names written by older code are read the same way: {@code pidns4026531836} (the initial
 * namespace, once always written into tracefs instance names) is the initial namespace.
 *
 * <pre>{@code
 * String table = "pcapunit_" + pid + "_explain1" + PidNamespaces.suffix("_");
 * // a sweep, for a name matched as pcapunit_(\d+)_...(?:_pidns(\d+))?
 * if (PidNamespaces.isGone(Long.parseLong(m.group(1)), m.group(2))) { ... delete it ... }
 * }</pre>
 *
 * <p><strong>Not API.</strong>
 */
public final class PidNamespaces {

    /** The initial PID namespace's inode (PROC_PID_INIT_INO), fixed by the kernel. */
    public static final String INITIAL = "4026531836";

    private static final Pattern LINK = Pattern.compile("pid:\\[(\\d+)]");
    private static final Optional<String> OWN = read(Path.of("/proc/self/ns/pid"));

    private PidNamespaces() {
    }

    /** This JVM's PID namespace inode; empty when /proc cannot tell. */
    public static Optional<String> own() {
        return OWN;
    }

    /**
     * What this JVM adds to the names it makes: {@code ""} in the initial PID namespace (and when
     * /proc cannot tell), else {@code separator + "pidns" + inode}, e.g. {@code "-pidns4026532305"}.
     */
    public static String suffix(String separator) {
        return OWN.filter(ns -> !ns.equals(INITIAL)).map(ns -> separator + "pidns" + ns).orElse("");
    }

    /**
     * Whether the run that made a name is known to be gone, so that what it left may be removed.
     * {@code pidns} is the inode the name carries, {@code null} for a name without one. True only
     * when this JVM can see every process that could own the name and none does:
     * <ul>
     * <li>a name of this JVM's own PID namespace: no process has {@code pid};</li>
     * <li>from the initial PID namespace, which sees every process on the machine, a name of
     * another one: no process of that namespace has {@code pid} there ({@code NSpid} in
     * {@code /proc/<p>/status}), e.g. after its container was killed;</li>
     * <li>from the initial namespace, a name without {@code pidns}: also no process of any child
     * namespace has {@code pid} there, since code before such names existed wrote none inside a
     * container either.</li>
     * </ul>
     * Never true for a name another namespace may own that this JVM cannot see (the host's, a
     * sibling container's, from inside a child namespace), or when /proc cannot tell.
     */
    public static boolean isGone(long pid, String pidns) {
        if (OWN.isEmpty() || pid <= 0) {
            return false;
        }
        String own = OWN.get();
        String ns = pidns == null ? INITIAL : pidns;
        if (ns.equals(own)) {
            boolean gone = ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
            return gone && (pidns != null || !own.equals(INITIAL) || !anyHas(pid, null));
        }
        return own.equals(INITIAL) && !anyHas(pid, ns);
    }

    /**
     * Whether some process has {@code pid} in its own PID namespace, that namespace being
     * {@code pidns} ({@code null}: any); also true when a process cannot be read (then its pid is
     * not known, and a sweep must not take it for gone).
     */
    static boolean anyHas(long pid, String pidns) {
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> isNumber(p.getFileName().toString()))) {
            for (Path proc : procs) {
                try {
                    long innermost = innermostPid(Files.readAllLines(proc.resolve("status")));
                    if (innermost < 0) {
                        return true; // a kernel without NSpid (before 4.1): nothing to tell by
                    }
                    if (innermost == pid && (pidns == null || namespaceOf(proc).equals(pidns))) {
                        return true;
                    }
                } catch (NoSuchFileException exited) {
                    // gone while we looked
                } catch (IOException | RuntimeException e) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private static String namespaceOf(Path proc) throws IOException {
        String link = Files.readSymbolicLink(proc.resolve("ns/pid")).toString();
        Matcher m = LINK.matcher(link);
        if (!m.matches()) {
            throw new IOException("unexpected " + proc.resolve("ns/pid") + " -> " + link);
        }
        return m.group(1);
    }

    /** The last number of the {@code NSpid:} line: the pid in the task's own PID namespace; -1 when none. */
    static long innermostPid(List<String> status) {
        for (String line : status) {
            if (line.startsWith("NSpid:")) {
                String[] pids = line.substring(6).strip().split("\\s+");
                return Long.parseLong(pids[pids.length - 1]);
            }
        }
        return -1;
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    private static Optional<String> read(Path link) {
        try {
            Matcher m = LINK.matcher(Files.readSymbolicLink(link).toString());
            return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }
}
