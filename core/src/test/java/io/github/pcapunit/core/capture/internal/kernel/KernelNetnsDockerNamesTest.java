package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.testing.DockerLab;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A namespace that {@code ip netns} does not name is named by the Docker container it belongs to
 * ({@code container <name>}) when a Docker engine runs; the engine is asked at most once a second
 * however many unnamed namespaces' drops arrive. The Docker case runs a real container of the
 * local busybox image (nothing pulled).
 */
class KernelNetnsDockerNamesTest {

    @TempDir
    Path runNetns;

    @Test
    void containersNamespace_isNamedByTheContainersName() {
        DockerLab.assumeAvailable();
        try (DockerLab docker = DockerLab.start()) {
            DockerLab.Container c = docker.run("named", "sleep", "600");
            long inode = NetnsNames.inode(c.netns());
            assertThat(inode).isPositive();

            assertThat(NetnsNames.system().name(inode)).isEqualTo("container " + c.name());
            assertThat(NetnsNames.dockerContainers()).containsEntry(inode, new NetnsNames.Named(c.name(), c.netns()));
        }
        assertThat(DockerLab.containersOfThisProcess()).isEmpty();
    }

    @Test
    void unnamedNamespaces_askTheEngineAtMostOnceASecond_andANamedOneIsRemembered() {
        AtomicInteger asked = new AtomicInteger();
        NetnsNames names = new NetnsNames(runNetns, 1L, () -> {
            asked.incrementAndGet();
            return Map.of(4026532301L, new NetnsNames.Named("db", null));
        });

        for (int i = 0; i < 1_000; i++) {
            assertThat(names.name(4026532999L)).isEqualTo("net:[4026532999]");
        }
        assertThat(asked).hasValue(1);
        assertThat(names.name(4026532301L)).as("found by the first lookup").isEqualTo("container db");
        assertThat(names.name(1L)).isEqualTo(NetnsNames.JVM);
    }

    @Test
    void aDeletedNamespacesInode_reusedByTheKernel_isNotNamedByTheOldName() throws Exception {
        // GIVEN /run/netns/old showed inode I (here: a plain file standing in for the nsfs bind mount)
        Path old = java.nio.file.Files.createFile(runNetns.resolve("old"));
        long inode = NetnsNames.inode(old);
        NetnsNames names = new NetnsNames(runNetns, 1L, Map::of);
        assertThat(names.name(inode)).isEqualTo("old");

        // WHEN the namespace is deleted and another one gets that inode under a new name
        java.nio.file.Files.move(old, runNetns.resolve("new"));

        // THEN the new name
        assertThat(names.name(inode)).isEqualTo("new");
    }

    @Test
    void noEngine_namesStayInodes() {
        NetnsNames names = new NetnsNames(runNetns, 1L, Map::of);

        assertThat(names.name(4026532999L)).isEqualTo("net:[4026532999]");
        assertThat(names.name(0)).isEmpty();
    }
}
