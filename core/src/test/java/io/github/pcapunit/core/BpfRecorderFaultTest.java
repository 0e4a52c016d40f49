package io.github.pcapunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.capture.internal.kernel.BpfRecorder;
import io.github.pcapunit.core.capture.internal.kernel.KernelRecorder;
import io.github.pcapunit.testing.NetLab;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No bpftrace outlives the JVM that started it: SIGTERM runs the shutdown hook, SIGKILL leaves it to SIGPIPE. */
class BpfRecorderFaultTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void requireEbpf() {
        NetLab.assumeAvailable();
        assumeThat(KernelRecorder.unavailableReason()).as("kernel evidence").isEmpty();
        assumeThat(BpfRecorder.unavailableReason(BpfRecorder.binary(), Path.of("/sys/kernel/btf/vmlinux")))
                .as("eBPF drop records").isEmpty();
    }

    @Test
    void sigtermOfTheJvm_endsItsBpftrace() throws Exception {
        Process child = startChild("term.pcapng");
        ProcessHandle bpftrace = bpftraceOf(child);

        child.destroy(); // SIGTERM: shutdown hooks run
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(bpftrace.onExit().completeOnTimeout(null, 5, TimeUnit.SECONDS).get())
                .as("bpftrace %d after the JVM's SIGTERM", bpftrace.pid()).isNotNull();
        assertThat(bpftrace.isAlive()).isFalse();
    }

    @Test
    void sigkillOfTheJvm_bpftraceDiesOfSigpipeAtItsNextOutput() throws Exception {
        Process child = startChild("kill.pcapng");
        ProcessHandle bpftrace = bpftraceOf(child);

        child.destroyForcibly(); // SIGKILL: no hook; bpftrace's next heartbeat (every 50 ms once attached) gets EPIPE
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // attaching takes seconds; the first output after it ends bpftrace
        assertThat(bpftrace.onExit().completeOnTimeout(null, 60, TimeUnit.SECONDS).get())
                .as("bpftrace %d after the JVM's SIGKILL", bpftrace.pid()).isNotNull();
        assertThat(bpftrace.isAlive()).isFalse();
    }

    private Process startChild(String file) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                BpfRecorderChild.class.getName(), dir.resolve(file).toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static ProcessHandle bpftraceOf(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("bpftrace pid printed by the child").isNotNull().matches("\\d+");
        ProcessHandle bpftrace = ProcessHandle.of(Long.parseLong(line)).orElseThrow();
        assertThat(bpftrace.parent().map(ProcessHandle::pid)).contains(child.pid());
        return bpftrace;
    }
}
