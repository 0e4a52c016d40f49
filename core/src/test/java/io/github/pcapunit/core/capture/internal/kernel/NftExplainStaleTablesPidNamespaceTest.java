package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two PID namespaces may share a network namespace (a container with the host's network,
 * {@code unshare -pf}): the stale explain-table sweep removes a dead JVM's table of its own PID
 * namespace and never one named for another PID namespace, whose pid it cannot check. Real nft, in
 * a throw-away network namespace.
 */
class NftExplainStaleTablesPidNamespaceTest {

    @Test
    void aDeadJvmsTable_isRemovedOnlyInItsOwnPidNamespace() throws Exception {
        String own = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString().replaceAll("\\D", "");
        String suffix = own.equals(NftExplain.INITIAL_PID_NAMESPACE) ? "" : "_pidns" + own;
        String ns = "pcapunit-" + ProcessHandle.current().pid() + "-nftpidns";
        assumeThat(run("ip", "netns", "add", ns)).as("root, ip netns").isZero();
        try {
            Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            long dead = gone.pid();
            String mine = "pcapunit_" + dead + "_explain1" + suffix;
            String theirs = "pcapunit_" + dead + "_explain1_pidns1" + own; // another namespace's inode
            assumeThat(run("ip", "netns", "exec", ns, "nft", "add", "table", "inet", mine)).as("nft").isZero();
            assertThat(run("ip", "netns", "exec", ns, "nft", "add", "table", "inet", theirs)).isZero();

            NftExplain.removeStaleTables(ns);

            String tables = output("ip", "netns", "exec", ns, "nft", "list", "tables");
            assertThat(tables).as("a dead JVM of this PID namespace").doesNotContain(mine + "\n");
            assertThat(tables).as("pid %d of another PID namespace: not ours to judge", dead).contains(theirs);
        } finally {
            run("ip", "netns", "del", ns); // its tables go with it
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static String output(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out + "\n";
    }
}
