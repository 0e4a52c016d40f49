package io.github.pcapunit.it.bench;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.KernelEvidence;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How long {@code Capture.stop()} takes after a loopback flood: UDP datagrams sent as fast as one
 * thread can to a closed port for a few seconds (every one a {@code kfree_skb NO_SOCKET}, plus the
 * ICMP port-unreachable answers), captured on {@code lo} with {@code KernelEvidence.OFF} and
 * {@code AUTO}, alternating in each round so both see the same machine. Warm-up rounds (a short
 * flood, not counted) run first so the stop path is compiled, as in a test JVM that captured before.
 * Prints one line per round (datagrams sent, packets written, kernel events kept and not kept, stop
 * wall time, and the process CPU time the stop used: on a loaded machine the wall time also measures
 * the wait for a CPU) and per mode the median, minimum and maximum of both.
 *
 * <pre>{@code
 * scripts/bench-stop.sh 5 5 2     # 5 rounds of a 5 s flood after 2 warm-up rounds, then 3 cold JVMs per mode
 * }</pre>
 *
 * Run by scripts/bench-stop.sh; results in BENCHMARKS.md "Stop under a flood".
 */
public final class StopFloodBench {


    private StopFloodBench() {
    }

    /**
     * Arguments: rounds (default 5), flood seconds (default 5), warm-up rounds (default 2, 1 s
     * floods), modes (default {@code OFF,AUTO}). With 0 warm-ups, 1 round and one mode it measures
     * a cold stop, as the first capture of a test JVM has it.
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        int warmups = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        KernelEvidence[] modes = java.util.Arrays.stream((args.length > 3 ? args[3] : "OFF,AUTO").split(","))
                .map(KernelEvidence::valueOf).toArray(KernelEvidence[]::new);
        System.out.printf("# %.1f s UDP flood (100-byte payload) to a closed loopback port, capture on lo, %d warm-up"
                + " rounds of 1 s, %d rounds%n", seconds, warmups, rounds);
        for (int w = 1; w <= warmups; w++) {
            for (KernelEvidence mode : modes) {
                run(mode, 1.0);
            }
        }
        System.out.printf("mode  round      sent   written     kept   notKept  stop-ms  stop-cpu-ms%n");
        Map<KernelEvidence, List<Long>> stops = new EnumMap<>(KernelEvidence.class);
        Map<KernelEvidence, List<Long>> cpus = new EnumMap<>(KernelEvidence.class);
        for (int round = 1; round <= rounds; round++) {
            for (KernelEvidence mode : modes) {
                Run r = run(mode, seconds);
                stops.computeIfAbsent(mode, m -> new ArrayList<>()).add(r.stopMillis);
                cpus.computeIfAbsent(mode, m -> new ArrayList<>()).add(r.stopCpuMillis);
                System.out.printf("%-5s %5d  %8d  %8d  %7s  %8s  %7d  %11d%n", mode, round, r.sent, r.written,
                        r.kept < 0 ? "-" : Long.toString(r.kept), r.notKept < 0 ? "-" : Long.toString(r.notKept),
                        r.stopMillis, r.stopCpuMillis);
            }
        }
        for (KernelEvidence mode : modes) {
            if (stops.containsKey(mode)) {
                System.out.printf("%-5s stop() %s wall, %s CPU over %d rounds%n", mode, spread(stops.get(mode)),
                        spread(cpus.get(mode)), stops.get(mode).size());
            }
        }
    }

    /** "median 240 ms (min 190, max 310)". */
    private static String spread(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        s.sort(null);
        long median = s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
        return "median " + median + " ms (min " + s.get(0) + ", max " + s.get(s.size() - 1) + ")";
    }

    private record Run(long sent, long written, long kept, long notKept, long stopMillis, long stopCpuMillis) {
    }

    private static Run run(KernelEvidence mode, double seconds) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Path file = Files.createTempFile("pcapunit-bench-stop", ".pcapng");
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            // a port that was just free: closing the probe leaves nothing listening on it
            int closedPort = probe.getLocalPort();
            probe.close();
            CaptureSpec spec = CaptureSpec.builder().interfaces("lo").output(file).filter("udp port " + closedPort)
                    .kernelEvidence(mode).build();
            long sent = 0;
            CaptureResult result;
            long stopNanos;
            long stopCpuNanos;
            try (Capture capture = Capture.start(spec); DatagramSocket out = new DatagramSocket()) {
                DatagramPacket p = new DatagramPacket(new byte[100], 100,
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort));
                long end = System.nanoTime() + (long) (seconds * 1e9);
                while (System.nanoTime() < end) {
                    try {
                        out.send(p);
                    } catch (java.net.PortUnreachableException e) {
                        // an unconnected socket does not see ICMP errors; kept for safety, the datagram left
                    }
                    sent++;
                }
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                result = capture.stop();
                stopNanos = System.nanoTime() - t0;
                stopCpuNanos = os.getProcessCpuTime() - cpu0;
            }
            EvidenceStatus.SourceStatus kernel = result.evidenceStatus().source(EvidenceStatus.Source.KERNEL_TRACE);
            long kept = kernel.events().orElse(-1);
            long notKept = kernel.notKept().orElse(-1);
            return new Run(sent, result.packetsWritten(), kept, notKept, stopNanos / 1_000_000, stopCpuNanos / 1_000_000);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
