package io.github.pcapunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.internal.kernel.BpfRecorder;
import io.github.pcapunit.testing.Host;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * For tests of eBPF drop records: skip where they cannot be recorded, wait until bpftrace has
 * attached (it attaches in the background; drops before that come from tracefs), and make a
 * connect whose SYNs a firewall drops.
 *
 * <pre>{@code
 * EbpfEvidence.assumeAvailable();
 * try (Capture capture = Capture.start(spec)) {
 *     EbpfEvidence.awaitAttached(capture);
 *     EbpfEvidence.connectFails(client, "10.200.2.20", 1433);   // ... traffic whose drops eBPF records
 * }
 * }</pre>
 */
public final class EbpfEvidence {

    private EbpfEvidence() {
    }

    /** Skips the calling test (JUnit assumption) when there is no bpftrace or no kernel BTF. */
    public static void assumeAvailable() {
        assumeThat(BpfRecorder.unavailableReason(BpfRecorder.binary(), Path.of("/sys/kernel/btf/vmlinux")))
                .as("eBPF drop records (bpftrace, BTF)").isEmpty();
    }

    /**
     * Waits until the capture's eBPF drop records are recorded "from" a time (bpftrace attached),
     * at most 60 s; fails at once when the status is not RECORDED (bpftrace failed or is off).
     */
    public static void awaitAttached(Capture capture) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            EvidenceStatus.SourceStatus s = capture.snapshot().evidenceStatus().source(EvidenceStatus.Source.EBPF_DROPS);
            assertThat(s.state()).as(s.describe()).isEqualTo(EvidenceStatus.State.RECORDED);
            if (s.scope().orElse("").startsWith("from ")) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("bpftrace did not attach within 60 s");
    }

    /**
     * Connects from {@code host}'s namespace to {@code address:port} (IPv6 for an address with a
     * colon) with a process of its own, which gives up when the kernel does (2 SYNs with
     * {@code tcp_syn_retries=1}, about 3 s; 10 s at most), and asserts that the connect failed.
     *
     * @return the connecting process's pid, e.g. to match the kernel's records of its connect()
     */
    public static long connectFails(Host host, String address, int port) throws Exception {
        String script = "import socket,sys\ns=socket.socket(socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET)\n"
                + "s.settimeout(10)\n"
                + "try:\n  s.connect((sys.argv[1], int(sys.argv[2])))\n  print('CONNECTED')\n"
                + "except OSError as e:\n  print('FAILED', e)\n";
        Process p = new ProcessBuilder("ip", "netns", "exec", host.namespace(), "python3", "-c", script, address,
                Integer.toString(port)).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("connect to %s:%d ends", address, port).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(out).as("connect to %s:%d", address, port).startsWith("FAILED");
        return p.pid();
    }
}
