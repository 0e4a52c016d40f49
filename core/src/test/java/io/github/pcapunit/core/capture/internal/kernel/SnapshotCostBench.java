package io.github.pcapunit.core.capture.internal.kernel;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Bench (root): what a {@code Capture.snapshot()} costs with the JVM's bpftrace attached (the
 * snapshot asks bpftrace for a heartbeat and waits for its output to pass the call) and with eBPF
 * off. A capture on {@code lo}, kernel evidence REQUIRED, N snapshots in a row; median and max ms.
 *
 * <pre>
 * java -cp ... io.github.pcapunit.core.capture.internal.kernel.SnapshotCostBench [snapshots]
 * </pre>
 */
public final class SnapshotCostBench {

    private SnapshotCostBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path dir = Files.createTempDirectory("snapshot-bench");
        System.out.printf("# load %s, %d snapshots%n", Files.readString(Path.of("/proc/loadavg")).strip(), n);
        for (String mode : new String[] {"ebpf", "off", "ebpf", "off"}) {
            if (mode.equals("off")) {
                System.setProperty(BpfRecorder.PROPERTY, "");
            } else {
                System.clearProperty(BpfRecorder.PROPERTY);
                BpfSidecar.awaitAttached(60_000);
            }
            CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp port 9")
                    .kernelEvidence(KernelEvidence.REQUIRED).output(dir.resolve(mode + ".pcapng")).build();
            double[] ms = new double[n];
            try (Capture c = Capture.start(spec)) {
                c.snapshot();
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    c.snapshot();
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                c.stop();
            }
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "%s: snapshot median %.1f ms, p90 %.1f ms, max %.1f ms%n", mode,
                    ms[n / 2], ms[(int) (n * 0.9)], ms[n - 1]);
        }
        BpfRecorder.closeIdle();
        System.exit(0);
    }
}
