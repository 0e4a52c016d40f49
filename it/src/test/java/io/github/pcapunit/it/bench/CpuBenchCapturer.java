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
 * > START /tmp/run3.pcapng udp dst port 40123
 * < READY
 * > STOP
 * < RESULT 299998 0 0 0 412000000    # written, kernel-buffer drops, interface drops, received, stop() CPU ns
 * > QUIT
 * }</pre>
 *
 * The spec is the library's default for a capture on {@code lo} (snaplen 262,144, 32 MiB kernel
 * buffer, 10 ms read timeout) with kernel evidence off, which the tcpdump command of the bench
 * matches ({@code -s 262144 -B 32768}).
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
                String[] f = line.split(" ", 3);
                CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter(f[2])
                        .snaplen(CaptureSpec.DEFAULT_SNAPLEN).bufferSize(CaptureSpec.DEFAULT_BUFFER_SIZE)
                        .kernelEvidence(KernelEvidence.OFF).output(Path.of(f[1])).build();
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
