package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.capture.internal.ChildPidNamespace;
import io.github.pcapunit.core.capture.internal.PidNamespaces;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two PID namespaces may share a network namespace (a container with the host's network,
 * {@code unshare -pf}): the stale explain-table sweep removes a dead JVM's table only where it can
 * tell that JVM is gone, and never one of a live process of another PID namespace. Real nft in a
 * throw-away network namespace, a real child PID namespace.
 */
class NftExplainStaleTablesPidNamespaceTest {

    @Test
    void aDeadJvmsTable_isRemovedOnlyWhereItsPidNamespaceIsSeen() throws Exception {
        boolean host = PidNamespaces.own().orElse("").equals(PidNamespaces.INITIAL);
        String ns = "pcapunit-" + ProcessHandle.current().pid() + "-nftpidns";
        assumeThat(run("ip", "netns", "add", ns)).as("root, ip netns").isZero();
        try (ChildPidNamespace child = ChildPidNamespace.start()) {
            Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            long dead = gone.pid();
            String mine = "pcapunit_" + dead + "_explain1" + PidNamespaces.suffix("_");
            String live = "pcapunit_" + child.pid() + "_explain1_pidns" + child.inode();
            String oldStyleLive = "pcapunit_" + child.pid() + "_explain2"; // alive only in the child namespace
            String goneThere = "pcapunit_" + (child.pid() + 1) + "_explain1_pidns" + child.inode();
            assumeThat(run("ip", "netns", "exec", ns, "nft", "add", "table", "inet", mine)).as("nft").isZero();
            for (String table : List.of(live, oldStyleLive, goneThere)) {
                assertThat(run("ip", "netns", "exec", ns, "nft", "add", "table", "inet", table)).isZero();
            }

            NftExplain.removeStaleTables(ns);

            String tables = output("ip", "netns", "exec", ns, "nft", "list", "tables");
            assertThat(tables).as("a dead JVM of this PID namespace").doesNotContain(mine + "\n");
            assertThat(tables).as("pid %d lives in namespace %s", child.pid(), child.inode())
                    .contains(live + "\n", oldStyleLive + "\n");
            if (host) {
                assertThat(tables).as("no pid %d in namespace %s", child.pid() + 1, child.inode())
                        .doesNotContain(goneThere);
            } else {
                assertThat(tables).as("another namespace's, not seen from here").contains(goneThere);
            }
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
