package io.github.pcapunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.NetLab;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without CAP_SYS_ADMIN a capture point cannot be joined: a child JVM whose capability bounding set
 * lacks it (setpriv) is told so, and what to grant, before anything is opened.
 */
class NoSysAdminTest {

    @TempDir
    Path dir;

    /** The child: starts a capture in the namespace named by args[0], prints the outcome. */
    public static final class Probe {
        public static void main(String[] args) {
            try (Capture c = Capture.start(CaptureSpec.builder().namespaces(args[0])
                    .output(Path.of(args[1], "never.pcapng")).build())) {
                System.out.println("STARTED");
            } catch (CaptureException e) {
                System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    @Test
    void withoutCapSysAdmin_aNamespacePointFailsNamingTheCapabilityAndTheFix() throws Exception {
        NetLab.assumeAvailable();
        EngineTools.assumeCapture();
        try (NetLab lab = NetLab.create()) {
            Host h = lab.host("nocap", "10.200.36.10");
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> command = List.of("setpriv", "--bounding-set=-sys_admin", "--inh-caps=-sys_admin",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath.replace(File.pathSeparatorChar, ':'), Probe.class.getName(), h.namespace(),
                    dir.toString());
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(output).as(output).contains("CaptureNotPermittedException: capturing in network namespace "
                    + h.namespace() + " (ip netns) is not permitted: joining another network namespace (setns) needs"
                    + " CAP_SYS_ADMIN").contains("sudo setcap cap_net_raw,cap_net_admin,cap_sys_admin=eip");
            try (var files = Files.list(dir)) {
                assertThat(files.toList()).as("nothing written").isEmpty();
            }
        }
    }
}
