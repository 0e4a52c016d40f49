package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Tracefs instances are one set for the whole machine, pids are not: a stale-instance sweep
 * removes a dead JVM's instance of its own PID namespace and never one named for another PID
 * namespace (whose pid it cannot check), on the real tracefs.
 */
class StaleInstancesPidNamespaceTest {

    @Test
    void aDeadJvmsInstance_isRemovedOnlyInItsOwnPidNamespace() throws Exception {
        assumeThat(Tracefs.unavailableReason()).as("tracefs, root").isEmpty();
        Path instances = Tracefs.root().orElseThrow().resolve("instances");
        String own = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString().replaceAll("\\D", "");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long dead = gone.pid();
        Path mine = instances.resolve("pcapunit-" + dead + "-1-pidns" + own);
        Path other = instances.resolve("pcapunit-" + dead + "-1-pidns1" + own); // another namespace's inode
        Files.createDirectory(mine);
        Files.createDirectory(other);
        try {
            KernelRecorder.removeStaleInstances(instances);

            assertThat(mine).as("a dead JVM of this PID namespace").doesNotExist();
            assertThat(other).as("pid %d of another PID namespace: not ours to judge", dead).exists();
        } finally {
            for (Path p : new Path[] {mine, other}) {
                if (Files.exists(p)) {
                    Files.delete(p);
                }
            }
        }
    }
}
