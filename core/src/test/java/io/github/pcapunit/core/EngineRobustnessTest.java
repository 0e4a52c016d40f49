package io.github.pcapunit.core;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounded disk, SIGTERM, and thousands of start/stop cycles without leaks. */
class EngineRobustnessTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void needsCapture() {
        EngineTools.assumeCapture();
    }

    @Test
    void floodWithSizeCap_fileNeverExceedsTheCap_andSaysWhereItWasCut() throws Exception {
        int port = EngineTools.freeUdpPort();
        long cap = 64 * 1024;
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp dst port " + port).snaplen(256)
                .kernelEvidence(KernelEvidence.OFF).maxFileSize(cap).output(dir.resolve("capped.pcapng")).build();
        CaptureResult result;
        try (Capture capture = Capture.start(spec); DatagramSocket s = new DatagramSocket()) {
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            byte[] payload = new byte[200];
            for (int i = 0; i < 20_000; i++) {
                s.send(new DatagramPacket(payload, payload.length, to));
            }
            result = capture.stop();
        }

        assertThat(Files.size(result.file())).isLessThanOrEqualTo(cap).isGreaterThan(cap / 2);
        assertThat(result.truncated()).isTrue();
        assertThat(result.truncatedAt()).hasValueSatisfying(t -> assertThat(t).isBetween(result.start(), result.end()));
        long packets = EngineTools.tshark(result.file(), "udp", "frame.number").size();
        assertThat(packets).isEqualTo(result.packetsWritten()).isBetween(100L, 19_999L);
        assertThat(result.statistics().get(0).packetsReceived()).isEqualTo(20_000);
        assertThat(EngineTools.run(List.of("capinfos", result.file().toString())))
                .anyMatch(l -> l.contains("Cut by the size cap of 65536 bytes at"));
        assertThat(dir.toFile().list()).containsExactly("capped.pcapng");
    }

    @Test
    void sigtermOfAChildJvmWhileCapturing_leavesAValidPcapngWithEveryPacket() throws Exception {
        int port = EngineTools.freeUdpPort();
        Path out = dir.resolve("sigterm.pcapng");
        Process p = EngineChildJvm.builder(dir.resolve("child"), false, List.of(), "hold", out.toString(),
                "udp dst port " + port, Integer.toString(port)).start();
        p.getOutputStream().close();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null && !line.equals("SENT")) {
                assertThat(line).doesNotStartWith("FAILED");
            }
            assertThat(line).isEqualTo("SENT");
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }

        assertThat(out).exists();
        assertThat(EngineTools.tshark(out, null, "udp.dstport")).hasSize(50).containsOnly(Integer.toString(port));
        assertThat(dir.toFile().list()).noneMatch(n -> n.startsWith("." + out.getFileName()));
    }

    @Test
    void thousandStartStopCycles_keepOpenFilesAndThreadsFlat() {
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp port 9").bufferSize(1 << 16)
                .readTimeout(java.time.Duration.ofMillis(1)).kernelEvidence(KernelEvidence.OFF)
                .output(dir.resolve("cycle.pcapng")).build();
        cycles(spec, 50); // warm up: class loading, closer and JNA threads
        long fds = openFiles();
        int threads = Thread.activeCount();

        cycles(spec, 1000);

        assertThat(openFiles()).as("open file descriptors").isLessThanOrEqualTo(fds + 3);
        assertThat(Thread.activeCount()).as("threads").isLessThanOrEqualTo(threads + 2);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("pcapunit-capture-"));
    }

    private static void cycles(CaptureSpec spec, int n) {
        for (int i = 0; i < n; i++) {
            Capture.start(spec).stop();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long last = -1;
        while (System.nanoTime() < deadline) { // wait for the background closer to catch up
            long now = openFiles();
            if (now == last) {
                break;
            }
            last = now;
            sleep(200);
        }
    }

    private static long openFiles() {
        File[] fds = new File("/proc/self/fd").listFiles();
        return fds == null ? -1 : fds.length;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
