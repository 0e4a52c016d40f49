package io.github.pcapunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.internal.NativeFiles;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of issue 14 (engine): the size cap under a flood with kernel evidence, a full disk, a
 * JVM killed with SIGKILL, loopback's drop count and a flood of kernel events. Every file written
 * is read by tshark or capinfos.
 */
class EngineFaultsTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void needsCapture() {
        EngineTools.assumeCapture();
    }

    @Test
    void floodWithSizeCapAndKernelEvidence_noFileEverExceedsTheCap_whileRunningOrAfterStop() throws Exception {
        long cap = 1_000_000;
        int port = EngineTools.freeUdpPort(); // nobody listens: every datagram is also a kfree_skb event
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp dst port " + port)
                .kernelEvidence(KernelEvidence.AUTO).maxFileSize(cap).output(dir.resolve("capped.pcapng")).build();
        List<Long> seen = new ArrayList<>();
        CaptureResult result;
        try (Capture capture = Capture.start(spec)) {
            flood(port, 3_000, 200, () -> seen.add(largestFile(dir)));
            result = capture.stop();
        }

        assertThat(seen).isNotEmpty().allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(cap));
        assertThat(statSize(result.file())).isLessThanOrEqualTo(cap).isGreaterThan(cap / 2);
        assertThat(result.truncated()).isTrue();
        assertThat(EngineTools.run(List.of("capinfos", result.file().toString())))
                .anyMatch(l -> l.contains("Cut by the size cap of 1000000 bytes at"));
        assertThat(EngineTools.tshark(result.file(), "udp", "frame.number")).hasSize((int) result.packetsWritten());
    }

    @Test
    void floodOfKernelEvents_stopKeepsABoundedNumberAndCountsTheRestPerReason() throws Exception {
        int port = EngineTools.freeUdpPort();
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp dst port " + port)
                .kernelEvidence(KernelEvidence.AUTO).output(dir.resolve("events.pcapng")).build();
        CaptureResult result;
        long sent;
        try (Capture capture = Capture.start(spec)) {
            sent = flood(port, 3_000, 100, () -> { });
            result = capture.stop();
        }
        EvidenceStatus.SourceStatus kernel = result.evidenceStatus().source(EvidenceStatus.Source.KERNEL_TRACE);
        org.junit.jupiter.api.Assumptions.assumeTrue(kernel.recorded(), "kernel trace not available here");

        List<String> kept = EngineTools.tshark(result.file(), "systemd_journal", "frame.number");
        List<String> counts = EngineTools.tshark(result.file(), "frame contains \"PCAPUNIT_SUMMARY_COUNT\"",
                "frame.number");
        assertThat(sent).isGreaterThan(5_000);
        assertThat(kernel.notKept().orElse(-1)).isPositive();
        assertThat(kernel.events().orElse(-1)).isBetween(1L, 2_000L);
        assertThat(counts).isNotEmpty();
        assertThat(kept.size()).isLessThan(2_000 + 100);
        assertThat(result.evidenceStatus().describe()).contains("more counted per reason and flow");
    }

    @Test
    void udpFloodOnLoopbackWithASmallBuffer_kernelBufferDropsCountDatagramsNotCopies() throws Exception {
        int port = EngineTools.freeUdpPort();
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp dst port " + port).bufferSize(1 << 16)
                .kernelEvidence(KernelEvidence.OFF).output(dir.resolve("drops.pcapng")).build();
        CaptureResult result;
        long sent;
        try (Capture capture = Capture.start(spec)) {
            sent = flood(port, 2_000, 1_000, () -> { });
            result = capture.stop();
        }
        long drops = result.statistics().get(0).kernelBufferDrops();
        org.junit.jupiter.api.Assumptions.assumeTrue(drops > 100, "the capture kept up: no drops to count");

        assertThat(result.statistics().get(0).packetsReceived()).isEqualTo(sent);
        assertThat(drops).isLessThanOrEqualTo(sent - result.packetsWritten() + sent / 100);
        assertThat(result.packetsWritten() + drops).isBetween(sent - sent / 50, sent + sent / 50);
        assertThat(EngineTools.tshark(result.file(), "udp", "frame.number")).hasSize((int) result.packetsWritten());
    }

    @Test
    void fullDiskDuringAFlood_warnsWhileCapturing_andStopKeepsEveryCapturedPacket() throws Exception {
        Path mount = dir.resolve("small");
        Files.createDirectories(mount);
        EngineTools.run(List.of("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString()));
        PrintStream err = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        try {
            int port = EngineTools.freeUdpPort();
            Path out = mount.resolve("out.pcapng");
            CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp dst port " + port)
                    .kernelEvidence(KernelEvidence.OFF).output(out).build();
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
            CaptureException failure;
            try (Capture capture = Capture.start(spec)) {
                flood(port, 2_000, 1_000, () -> { });
                failure = catchThrowableOfType(capture::stop, CaptureException.class);
            } finally {
                System.setErr(err);
            }

            Path kept = mount.resolve("out.lo.pcap");
            assertThat(warnings.toString(StandardCharsets.UTF_8)).contains("WARNING: writing the capture of \"lo\"")
                    .contains("packets from now on are lost");
            assertThat(failure).isNotNull();
            assertThat(failure.getMessage()).contains("Nothing captured was deleted").contains(kept.toString())
                    .contains("Pcapunit recover");
            assertThat(out).doesNotExist(); // no 0-byte or cut file under the final name
            try (Stream<Path> files = Files.list(mount)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("out.lo.pcap");
            }
            // the disk filled mid-record: tshark reads every whole packet and names the cut
            Process t = new ProcessBuilder("tshark", "-n", "-r", kept.toString(), "-Y", "udp", "-T", "fields", "-e",
                    "frame.number").redirectErrorStream(true).start();
            List<String> lines = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .toList();
            t.waitFor();
            long packets = lines.stream().filter(l -> l.matches("\\d+")).count();
            assertThat(String.join("\n", lines)).doesNotContain("isn't a capture file", "unknown file format");
            assertThat(packets).isGreaterThan(1_000);

            // the kept pcap converts once there is space
            Path copy = Files.copy(kept, dir.resolve("out.lo.pcap"));
            Path pcapng = NativeFiles.convertKept(copy);
            assertThat(EngineTools.tshark(pcapng, "udp", "frame.number")).hasSize((int) packets);
        } finally {
            System.setErr(err);
            EngineTools.run(List.of("umount", mount.toString()));
        }
    }

    @Test
    void sigkillOfAChildJvmWhileCapturing_laterCaptureRecoversItsPacketsAndSaysSo() throws Exception {
        int port = EngineTools.freeUdpPort();
        Path out = dir.resolve("killed.pcapng");
        Process p = EngineChildJvm.builder(dir.resolve("child"), false, List.of(), "hold", out.toString(),
                "udp dst port " + port, Integer.toString(port)).start();
        p.getOutputStream().close();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null && !line.equals("SENT")) {
                assertThat(line).doesNotStartWith("FAILED");
            }
            assertThat(line).isEqualTo("SENT");
            // lo hands a partly filled ring block over within its 1 s kernel timeout; the loop flushes each one
            Thread.sleep(1_600);
            p.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        Path orphan = dir.resolve(".killed.pcapng.pid" + p.pid() + ".lo.pcap");
        assertThat(orphan).exists();
        assertThat(out).doesNotExist();

        PrintStream err = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
        try {
            Capture.start(CaptureSpec.builder().interfaces("lo").filter("udp port 9").kernelEvidence(KernelEvidence.OFF)
                    .output(dir.resolve("later.pcapng")).build()).stop();
        } finally {
            System.setErr(err);
        }

        Path recovered = dir.resolve("killed.recovered-" + p.pid() + ".pcapng");
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("recovered 50 packet(s) of a capture whose process (pid "
                + p.pid() + ") was killed before stop(): " + recovered);
        assertThat(orphan).doesNotExist();
        assertThat(EngineTools.tshark(recovered, null, "udp.dstport")).hasSize(50).containsOnly(Integer.toString(port));
        assertThat(EngineTools.run(List.of("capinfos", recovered.toString())))
                .anyMatch(l -> l.contains("recovered from the native capture of a killed run: process " + p.pid()));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }

    /** Sends datagrams to 127.0.0.1:port for {@code millis}, calling {@code each} every 1000 sends. */
    private static long flood(int port, long millis, int payload, Runnable each) throws Exception {
        AtomicLong sent = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        try (DatagramSocket s = new DatagramSocket()) {
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            byte[] bytes = new byte[payload];
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (System.nanoTime() < end && !done.get()) {
                s.send(new DatagramPacket(bytes, bytes.length, to));
                if (sent.incrementAndGet() % 1000 == 0) {
                    each.run();
                }
            }
        }
        return sent.get();
    }

    /** The largest file in {@code dir}, hidden native files included, as {@code stat} gives it. */
    private static long largestFile(Path dir) {
        long max = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    max = Math.max(max, statSize(f));
                }
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return max;
    }

    private static long statSize(Path f) {
        return Long.parseLong(EngineTools.run(List.of("stat", "-c", "%s", f.toString())).get(0).strip());
    }
}
