package io.github.pcapunit.it.bench;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.CaptureStatistics;
import io.github.pcapunit.core.capture.KernelEvidence;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * pcapunit's capturing process in {@link CaptureCpuBench}: one JVM that runs one
 * {@link Capture} after another on {@code lo}, on command, like a test suite's JVM does, so JVM
 * start-up and class loading fall outside every measured window.
 *
 * <pre>{@code
 * > START 32768 10 /tmp/run3.pcapng udp dst port 40123   # kernel buffer KiB, read timeout ms, file, filter
 * < READY
 * > STOP
 * < RESULT 299998 0 0 0 412000000    # written, kernel-buffer drops, interface drops, received, stop() CPU ns
 * > QUIT
 * }</pre>
 *
 * The spec is the library's default for a capture on {@code lo} (snaplen 262,144) with kernel
 * evidence off, and the kernel buffer and read timeout the bench asks for (by default the
 * library's: 32 MiB, 10 ms); the tcpdump command of the bench uses the same buffer and snaplen
 * ({@code -s 262144 -B 32768}) and its own 1 s read timeout.
 */
public final class CpuBenchCapturer {

    private CpuBenchCapturer() {
    }

    /** No arguments; commands on stdin. */
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Capture capture = null;
        String line;
        while ((line = in.readLine()) != null && !line.equals("QUIT")) {
            if (line.startsWith("START ")) {
                String[] f = line.split(" ", 5);
                CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter(f[4])
                        .snaplen(CaptureSpec.DEFAULT_SNAPLEN).bufferSize(Integer.parseInt(f[1]) * 1024)
                        .readTimeout(java.time.Duration.ofMillis(Long.parseLong(f[2])))
                        .kernelEvidence(KernelEvidence.OFF).output(Path.of(f[3])).build();
                capture = Capture.start(spec);
                System.out.println("READY");
            } else if (line.equals("STOP") && capture != null) {
                long cpu0 = processCpu();
                CaptureResult r = capture.stop();
                long stopCpu = processCpu() - cpu0;
                capture = null;
                long kernel = 0;
                long iface = 0;
                long received = 0;
                for (CaptureStatistics s : r.statistics()) {
                    kernel += s.kernelBufferDrops();
                    iface += s.interfaceDrops();
                    received += s.packetsReceived();
                }
                System.out.println("RESULT " + r.packetsWritten() + " " + kernel + " " + iface + " " + received
                        + " " + stopCpu);
            } else {
                System.out.println("ERROR unknown command: " + line);
            }
            System.out.flush();
        }
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
