package io.github.pcapunit.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whose pid a lab item's name carries. Names hold the creating JVM's pid, but a pid means something
 * only in its own PID namespace: a JVM under {@code unshare -pf} or in a container (sharing
 * {@code /run/netns}, the network namespace or the docker engine) does not see the host's JVMs,
 * nor the host its pids. So a JVM outside the initial PID namespace adds {@code pidns<inode>}
 * ({@code /proc/self/ns/pid}) to its names, and a sweep judges a pid only when the name is of its
 * own PID namespace; names without it (the usual case, and names from before) belong to the
 * initial PID namespace.
 */
final class PidNamespace {

    /** The initial PID namespace's inode (PROC_PID_INIT_INO), fixed by the kernel. */
    static final String INITIAL = "4026531836";

    /** This JVM's PID namespace inode; empty when /proc cannot tell (then names are as always). */
    static final Optional<String> OWN = read();

    private PidNamespace() {
    }

    private static Optional<String> read() {
        try {
            Matcher m = Pattern.compile("pid:\\[(\\d+)]").matcher(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString());
            return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** {@code ""} in the initial PID namespace, else {@code separator + "pidns" + inode}. */
    static String suffix(String separator) {
        return OWN.filter(ns -> !ns.equals(INITIAL)).map(ns -> separator + "pidns" + ns).orElse("");
    }

    /**
     * Whether this JVM can check a pid named with {@code pidns} (null: a name without one, i.e. of
     * the initial PID namespace).
     */
    static boolean canJudge(String pidns) {
        String own = OWN.orElse(INITIAL);
        return (pidns == null ? INITIAL : pidns).equals(own);
    }
}
