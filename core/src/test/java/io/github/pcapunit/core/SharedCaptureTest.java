package io.github.pcapunit.core;

import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.spi.CaptureSlice;
import io.github.pcapunit.core.capture.spi.SharedCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shared capture cut into slices: each slice file holds exactly its window's packets. */
class SharedCaptureTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void needsCapture() {
        EngineTools.assumeCapture();
    }

    @Test
    void tenBackToBackSlices_eachFileHoldsExactlyTheDatagramsSentInItsWindow() {
        int port = EngineTools.freeUdpPort();
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp dst port " + port)
                .output(dir.resolve("shared")).build();
        List<CompletableFuture<CaptureResult>> results = new ArrayList<>();
        try (SharedCapture shared = SharedCapture.start(spec)) {
            for (int i = 0; i < 10; i++) {
                CaptureSlice slice = shared.slice("slice " + i, dir.resolve("slice" + i + ".pcapng"));
                send(port, "s" + i + "-", 30);
                results.add(slice.end("PASSED"));   // returns at once; the file follows in the background
            }
        }
        for (int i = 0; i < 10; i++) {
            CaptureResult r = results.get(i).join();
            List<String> payloads = EngineTools.tshark(r.file(), null, "udp.payload").stream()
                    .map(SharedCaptureTest::unhex).collect(Collectors.toList());
            String prefix = "s" + i + "-";
            assertThat(payloads).as("slice %d", i).hasSize(30)
                    .allMatch(p -> p.startsWith(prefix));
            assertThat(payloads.get(29)).isEqualTo(prefix + 29);
            assertThat(r.packetsWritten()).isEqualTo(30);
            assertThat(r.statistics().get(0).packetsReceived()).isEqualTo(30);
            String sliceName = "Slice \"slice " + i + "\"";
            assertThat(EngineTools.run(List.of("capinfos", r.file().toString()))).anyMatch(l -> l.contains(sliceName));
        }
        assertThat(dir.toFile().list()).noneMatch(n -> n.endsWith(".pcap"));
    }

    @Test
    void snapshotInsideASlice_seesTrafficSentBeforeIt_andTheEndResultAddsTheRest() {
        int port = EngineTools.freeUdpPort();
        // kernel evidence off: this test counts journal entries, and only its own marks may be there
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp dst port " + port)
                .kernelEvidence(KernelEvidence.OFF).build();
        try (SharedCapture shared = SharedCapture.start(spec)) {
            CaptureSlice slice = shared.slice("with snapshot", dir.resolve("snap.pcapng"));
            send(port, "a-", 5);
            CaptureResult soFar = slice.snapshot();
            assertThat(soFar.packetsWritten()).isEqualTo(5);
            assertThat(EngineTools.tshark(soFar.file(), null, "udp.payload")).hasSize(5);
            send(port, "b-", 7);
            slice.mark("second burst sent");
            CaptureResult done = slice.end().join();
            assertThat(done.packetsWritten()).isEqualTo(12);
            assertThat(EngineTools.tshark(done.file(), "systemd_journal", "systemd_journal.message"))
                    .containsExactly("second burst sent");
            assertThat(slice.end()).isSameAs(slice.end());
            assertThatThrownBy(() -> slice.mark("late")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("mark before end()");
        }
    }

    @Test
    void closedSharedCapture_refusesNewSlices_andLeavesNoCaptureThread() {
        SharedCapture shared = SharedCapture.start(CaptureSpec.builder().interfaces("lo").filter("udp port 9").build());
        CaptureSlice open = shared.slice("left open", dir.resolve("open.pcapng"));
        shared.close();
        assertThat(Files.exists(open.file())).as("close() writes slices left open").isTrue();
        assertThat(shared.isRunning()).isFalse();
        assertThatThrownBy(() -> shared.slice("late", dir.resolve("late.pcapng")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("slice before close()");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("pcapunit-capture-"));
    }

    @Test
    void sizeCap_appliesToEachSliceFile_soLaterSlicesStillGetTheirPackets() throws Exception {
        int port = EngineTools.freeUdpPort();
        long cap = 16 * 1024;
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp dst port " + port).snaplen(256)
                .maxFileSize(cap).kernelEvidence(KernelEvidence.OFF).build();
        try (SharedCapture shared = SharedCapture.start(spec)) {
            CaptureSlice flood = shared.slice("flood", dir.resolve("flood.pcapng"));
            send(port, "f-", 2000);
            CaptureResult capped = flood.end().join();
            CaptureSlice later = shared.slice("later", dir.resolve("later.pcapng"));
            send(port, "l-", 10);
            CaptureResult small = later.end().join();

            assertThat(Files.size(capped.file())).isLessThanOrEqualTo(cap);
            assertThat(capped.truncated()).isTrue();
            assertThat(small.truncated()).isFalse();
            assertThat(small.packetsWritten()).isEqualTo(10);
        }
    }

    private static void send(int port, String prefix, int count) {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket()) {
            java.net.InetSocketAddress to = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port);
            for (int n = 0; n < count; n++) {
                byte[] b = (prefix + n).getBytes(StandardCharsets.US_ASCII);
                s.send(new java.net.DatagramPacket(b, b.length, to));
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String unhex(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return new String(b, StandardCharsets.US_ASCII);
    }
}
