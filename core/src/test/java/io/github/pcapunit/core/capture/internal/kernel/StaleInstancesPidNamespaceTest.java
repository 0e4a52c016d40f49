package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.capture.internal.ChildPidNamespace;
import io.github.pcapunit.core.capture.internal.PidNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tracefs instances are one set for the whole machine, pids are not: a stale-instance sweep
 * removes a dead JVM's instance only where it can tell that JVM is gone, and never one of a live
 * process of another PID namespace, on the real tracefs with a real child PID namespace. Names of
 * older code stay recognised: {@code -pidns4026531836} (the initial namespace, once always added)
 * and names without any.
 */
class StaleInstancesPidNamespaceTest {

    @Test
    void aDeadJvmsInstance_isRemovedOnlyWhereItsPidNamespaceIsSeen() throws Exception {
        assumeThat(Tracefs.unavailableReason()).as("tracefs, root").isEmpty();
        Path instances = Tracefs.root().orElseThrow().resolve("instances");
        boolean host = PidNamespaces.own().orElse("").equals(PidNamespaces.INITIAL);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long dead = gone.pid();
        List<Path> made = new ArrayList<>();
        try (ChildPidNamespace child = ChildPidNamespace.start()) {
            Path mine = make(instances, made, "pcapunit-" + dead + "-1" + PidNamespaces.suffix("-"));
            Path oldInitial = make(instances, made, "pcapunit-" + dead + "-2-pidns" + PidNamespaces.INITIAL);
            Path live = make(instances, made, "pcapunit-" + child.pid() + "-1-pidns" + child.inode());
            Path oldStyleLive = make(instances, made, "pcapunit-" + child.pid() + "-2"); // alive only in the child
            Path goneThere = make(instances, made, "pcapunit-" + (child.pid() + 1) + "-1-pidns" + child.inode());

            KernelRecorder.removeStaleInstances(instances);

            assertThat(mine).as("a dead JVM of this PID namespace").doesNotExist();
            assertThat(live).as("pid %d lives in namespace %s", child.pid(), child.inode()).exists();
            assertThat(oldStyleLive).as("pid %d lives in a child namespace: maybe old code's there", child.pid()).exists();
            if (host) {
                assertThat(oldInitial).as("an older name of the initial namespace, its JVM dead").doesNotExist();
                assertThat(goneThere).as("no pid %d in namespace %s", child.pid() + 1, child.inode()).doesNotExist();
            } else {
                assertThat(oldInitial).as("the initial namespace's, not seen from here").exists();
                assertThat(goneThere).as("another namespace's, not seen from here").exists();
            }
        } finally {
            for (Path p : made) {
                if (Files.exists(p)) {
                    Files.delete(p);
                }
            }
        }
    }

    private static Path make(Path instances, List<Path> made, String name) throws Exception {
        Path p = instances.resolve(name);
        Files.createDirectory(p);
        made.add(p);
        return p;
    }
}
