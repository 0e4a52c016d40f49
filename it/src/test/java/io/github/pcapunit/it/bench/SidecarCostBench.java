package io.github.pcapunit.it.bench;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.KernelEvidence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What kernel evidence adds to a standalone capture's start() and stop() on the caller's path:
 * {@code rounds} captures on {@code lo} in one JVM with {@code KernelEvidence.OFF}, then with
 * {@code AUTO}; prints the first AUTO capture apart (it starts the JVM's bpftrace), the medians,
 * and the eBPF scope of the last AUTO capture (warm: recorded from its start). Run by
 * scripts/bench-kernel-evidence.sh {@code sidecars}; results in BENCHMARKS.md "Kernel evidence".
 */
public final class SidecarCostBench {

    private SidecarCostBench() {
    }

    /** Argument: rounds (default 20). */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        for (KernelEvidence mode : new KernelEvidence[] {KernelEvidence.OFF, KernelEvidence.AUTO}) {
            List<Double> starts = new ArrayList<>();
            List<Double> stops = new ArrayList<>();
            String scope = "";
            for (int i = 0; i < rounds; i++) {
                Path file = Files.createTempFile("pcapunit-bench-sidecars", ".pcapng");
                CaptureSpec spec = CaptureSpec.builder().interfaces("lo").output(file).kernelEvidence(mode).build();
                long t0 = System.nanoTime();
                Capture capture = Capture.start(spec);
                long t1 = System.nanoTime();
                Thread.sleep(100);
                long t2 = System.nanoTime();
                CaptureResult result = capture.stop();
                long t3 = System.nanoTime();
                capture.close();
                starts.add((t1 - t0) / 1e6);
                stops.add((t3 - t2) / 1e6);
                scope = result.evidenceStatus().source(EvidenceStatus.Source.EBPF_DROPS).describe();
                Files.deleteIfExists(result.file());
                Files.deleteIfExists(file);
            }
            System.out.printf("%-5s first start %.1f ms stop %.1f ms | rounds 2..%d: start median %.1f ms, stop median"
                    + " %.1f ms%n", mode, starts.get(0), stops.get(0), rounds, median(starts.subList(1, rounds)),
                    median(stops.subList(1, rounds)));
            if (mode == KernelEvidence.AUTO) {
                System.out.println("last AUTO capture's eBPF status: " + scope);
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        return v.get(v.size() / 2);
    }
}
