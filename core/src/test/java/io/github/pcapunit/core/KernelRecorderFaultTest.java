package io.github.pcapunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.capture.internal.kernel.KernelRecorder;
import io.github.pcapunit.testing.NetLab;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A JVM recording kernel events is killed: its tracing instance must not survive. */
class KernelRecorderFaultTest {

    @BeforeAll
    static void requireRootAndTracefs() {
        NetLab.assumeAvailable();
        assumeThat(KernelRecorder.unavailableReason()).as("kernel evidence").isEmpty();
    }

    @Test
    void sigterm_shutdownHookRemovesTheInstance() throws Exception {
        Process child = startChild();
        Path instance = instanceOf(child);
        assertThat(instance).isDirectory();

        child.destroy(); // SIGTERM
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();

        assertThat(Files.exists(instance)).isFalse();
    }

    @Test
    void sigkill_nextRecorderRemovesTheDeadJvmsInstance() throws Exception {
        Process child = startChild();
        Path instance = instanceOf(child);
        child.destroyForcibly(); // SIGKILL: no hook runs
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(instance).isDirectory();

        KernelRecorder.start().stop();

        assertThat(Files.exists(instance)).isFalse();
    }

    private static Process startChild() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                KernelRecorderChild.class.getName()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static Path instanceOf(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("instance printed by the child").isNotNull().contains("pcapunit-" + child.pid() + "-");
        return Path.of(line);
    }
}
