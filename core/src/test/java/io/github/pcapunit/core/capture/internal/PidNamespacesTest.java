package io.github.pcapunit.core.capture.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One convention for the PID namespace in names ({@code pidns<inode>} only outside the initial
 * namespace) and one judgement of whether a name's creator is gone, against real processes and a
 * real child PID namespace.
 */
class PidNamespacesTest {

    private static final boolean HOST = PidNamespaces.own().orElse("").equals(PidNamespaces.INITIAL);

    @Test
    void suffix_isEmptyInTheInitialNamespace_elseNamesOurs() throws Exception {
        String own = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString().replaceAll("\\D", "");

        assertThat(PidNamespaces.own()).contains(own);
        assertThat(PidNamespaces.suffix("_")).isEqualTo(own.equals("4026531836") ? "" : "_pidns" + own);
    }

    @Test
    void innermostPid_isTheLastNumberOfNSpid() {
        assertThat(PidNamespaces.innermostPid(List.of("Name:\tsleep", "NSpid:\t31001\t7", "Uid:\t0"))).isEqualTo(7);
        assertThat(PidNamespaces.innermostPid(List.of("NSpid:\t4242"))).isEqualTo(4242);
        assertThat(PidNamespaces.innermostPid(List.of("Name:\told-kernel", "Tgid:\t9"))).isEqualTo(-1);
    }

    @Test
    void thisJvm_isNotGone_aFinishedProcessIs() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long own = ProcessHandle.current().pid();
        String ns = PidNamespaces.own().orElseThrow();

        assertThat(PidNamespaces.isGone(own, ns)).isFalse();
        assertThat(PidNamespaces.isGone(own, HOST ? null : ns)).as("as its own names say it").isFalse();
        assertThat(PidNamespaces.isGone(p.pid(), HOST ? null : ns)).isTrue();
    }

    @Test
    void aChildNamespacesPid_isJudgedByWhatThatNamespaceHolds() throws Exception {
        assumeThat(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes())
                .as("root (unshare -pf)").asString().isEqualToIgnoringWhitespace("0");
        long pid;
        String inode;
        try (ChildPidNamespace child = ChildPidNamespace.start()) {
            pid = child.pid();
            inode = child.inode();

            assertThat(PidNamespaces.isGone(pid, inode)).as("alive in namespace %s", inode).isFalse();
            assertThat(PidNamespaces.isGone(pid, null))
                    .as("a name without pidns may be old code's in a container: pid %d lives in one", pid).isFalse();
            assertThat(PidNamespaces.isGone(pid + 1, inode)).as("no pid %d in there; seen only from the host", pid + 1)
                    .isEqualTo(HOST);
        }
        assertThat(PidNamespaces.isGone(pid, inode)).as("namespace %s ended", inode).isEqualTo(HOST);
        assertThat(PidNamespaces.isGone(pid, "1" + PidNamespaces.INITIAL)).as("a namespace with no process")
                .isEqualTo(HOST);
    }
}
