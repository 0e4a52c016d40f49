package io.github.pcapunit.it.bench;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Overhead of kernel evidence on a loopback capture: the same workload (TCP connect/close churn,
 * which fires the socket-state tracepoints, and a UDP flood) with {@code KernelEvidence.OFF} and
 * {@code REQUIRED}, alternating, several rounds. Prints workload wall time, process CPU time
 * (user + system, which includes the kernel's tracing work done in our threads) and packets written.
 * Run by scripts/bench-kernel-evidence.sh; results in BENCHMARKS.md "Kernel evidence".
 */
public final class KernelEvidenceBench {

    private KernelEvidenceBench() {
    }

    /** Arguments: rounds (default 3), connections (default 2000), datagrams (default 200000). */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int datagrams = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        System.out.printf("# %d connections (RST close), %d UDP datagrams of 64 bytes, loopback, headers-only capture%n",
                connections, datagrams);
        System.out.printf("mode      round  tcp-ms  tcp-cpu-ms  udp-ms  udp-cpu-ms  packets  status%n");
        for (int round = 1; round <= rounds; round++) {
            for (KernelEvidence mode : new KernelEvidence[] {KernelEvidence.OFF, KernelEvidence.REQUIRED}) {
                run(mode, round, connections, datagrams);
            }
        }
    }

    private static void run(KernelEvidence mode, int round, int connections, int datagrams) throws Exception {
        Path file = Files.createTempFile("pcapunit-bench-kernel", ".pcapng");
        try (ServerSocket server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
                DatagramSocket sink = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread acceptor = acceptor(server);
            Thread drain = drain(sink);
            CaptureSpec spec = CaptureSpec.builder().interfaces("lo").output(file).headersOnly()
                    .filter("port " + server.getLocalPort() + " or udp port " + sink.getLocalPort())
                    .kernelEvidence(mode).build();
            long[] tcp;
            long[] udp;
            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                tcp = measure(() -> {
                    for (int i = 0; i < connections; i++) {
                        try (Socket s = new Socket()) {
                            s.setSoLinger(true, 0); // RST close: no TIME_WAIT pile-up across rounds
                            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
                        }
                    }
                });
                udp = measure(() -> {
                    byte[] payload = new byte[64];
                    try (DatagramSocket out = new DatagramSocket()) {
                        DatagramPacket p = new DatagramPacket(payload, payload.length, sink.getLocalSocketAddress());
                        for (int i = 0; i < datagrams; i++) {
                            out.send(p);
                        }
                    }
                });
                result = capture.stop();
            }
            acceptor.interrupt();
            drain.interrupt();
            System.out.printf("%-9s %5d  %6d  %10d  %6d  %10d  %7d  %s%n", mode, round, tcp[0], tcp[1], udp[0], udp[1],
                    result.packetsWritten(), result.kernelEvidenceStatus());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private interface Work {
        void run() throws IOException;
    }

    private static long[] measure(Work work) throws IOException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        work.run();
        return new long[] {(System.nanoTime() - t0) / 1_000_000, (os.getProcessCpuTime() - cpu0) / 1_000_000};
    }

    /** Reads the UDP sink so its receive buffer does not overflow (that would be a drop storm: SOCKET_RCVBUFF). */
    private static Thread drain(DatagramSocket sink) {
        Thread t = new Thread(() -> {
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            while (!sink.isClosed()) {
                try {
                    sink.receive(p);
                } catch (IOException e) {
                    return;
                }
            }
        }, "bench-udp-drain");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Thread acceptor(ServerSocket server) {
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.getInputStream().available();
                } catch (IOException e) {
                    return;
                }
            }
        }, "bench-acceptor");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
