package io.github.pcapunit.core.capture.internal.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.NetLab;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * How the capture file describes the namespace a thread had joined: by its {@code ip netns} name
 * when {@code /run/netns} has one (as a capture point of it is described), else by its
 * {@code net:[inode]}, saying how the capture got there.
 */
class NamespacesDescribeJoinedTest {

    @Test
    void named_asAPointOfItIsDescribed() throws Exception {
        NetLab.assumeAvailable();
        try (NetLab lab = NetLab.create()) {
            Host h = lab.host("named", "10.200.155.10");
            String id = "net:[" + Files.getAttribute(Path.of("/run/netns", h.namespace()), "unix:ino") + "]";
            assertThat(Namespaces.describeJoined(id)).isEqualTo("network namespace " + h.namespace() + " (ip netns)")
                    .isEqualTo(Namespaces.resolve(io.github.pcapunit.core.capture.CapturePoint.namespace(h.namespace()))
                            .description());
        }
    }

    @Test
    void unnamed_byItsInode() throws Exception {
        String jvm = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();   // net:[4026531840]
        assumeThat(Namespaces.named().stream().map(n -> {
            try {
                return "net:[" + Files.getAttribute(Path.of("/run/netns", n), "unix:ino") + "]";
            } catch (Exception e) {
                return "";
            }
        })).as("no ip netns name for the JVM's namespace").doesNotContain(jvm);
        assertThat(Namespaces.describeJoined(jvm))
                .isEqualTo("network namespace " + jvm + " (joined by the thread that started the capture)");
    }
}
