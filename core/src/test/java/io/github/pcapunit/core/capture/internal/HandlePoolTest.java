package io.github.pcapunit.core.capture.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.EngineTools;
import io.github.pcapunit.core.InvalidFilterException;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures one after another on {@code lo} reuse the handle a stopped capture parked: the next
 * capture holds exactly its own window's packets with its own filter, and counts only them.
 */
class HandlePoolTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void needsCapture() {
        EngineTools.assumeCapture();
    }

    @Test
    void secondCaptureReusesTheParkedHandle_withItsOwnFilterAndWindow_notThePacketsSentWhileParked() {
        HandlePool.closeAll();   // counts below are this test's own
        int first = EngineTools.freeUdpPort();
        int second = EngineTools.freeUdpPort();
        CaptureSpec spec = spec(first, "a.pcapng");
        CaptureResult a;
        try (Capture capture = Capture.start(spec)) {
            EngineTools.sendUdp(first, 30);
            EngineTools.sendUdp(second, 7);   // not this capture's filter
            a = capture.stop();
        }
        assertThat(a.packetsWritten()).isEqualTo(30);
        int parked = HandlePool.parked();
        assertThat(parked).isEqualTo(1);

        EngineTools.sendUdp(second, 11);   // while parked: no capture runs
        EngineTools.sendUdp(first, 13);
        CaptureResult b;
        try (Capture capture = Capture.start(spec.toBuilder().filter("udp dst port " + second)
                .output(dir.resolve("b.pcapng")).build())) {
            assertThat(HandlePool.parked()).isEqualTo(parked - 1);   // taken, not opened anew
            EngineTools.sendUdp(first, 5);
            EngineTools.sendUdp(second, 20);
            b = capture.stop();
        }
        List<String> ports = EngineTools.tshark(b.file(), null, "udp.dstport");
        assertThat(ports).hasSize(20).containsOnly(Integer.toString(second));
        assertThat(b.packetsWritten()).isEqualTo(20);
        assertThat(b.statistics()).singleElement().satisfies(s -> {
            assertThat(s.packetsReceived()).isEqualTo(20);
            assertThat(s.kernelBufferDrops()).isZero();
        });
    }

    @Test
    void invalidFilterOnAReusedHandle_failsLikeANewOne_andTheHandleStaysParked() {
        HandlePool.closeAll();
        int port = EngineTools.freeUdpPort();
        try (Capture capture = Capture.start(spec(port, "ok.pcapng"))) {
            capture.stop();
        }
        int parked = HandlePool.parked();
        assertThat(parked).isEqualTo(1);
        // "ether host" compiles for lo (Ethernet) but "wlan addr1" does not
        assertThatThrownBy(() -> Capture.start(spec(port, "bad.pcapng").toBuilder().filter("wlan addr1 1:2:3:4:5:6")
                .build())).isInstanceOf(InvalidFilterException.class).hasMessageContaining("wlan addr1");
        assertThat(HandlePool.parked()).isEqualTo(parked);
        int again = EngineTools.freeUdpPort();
        CaptureResult r;
        try (Capture capture = Capture.start(spec(again, "again.pcapng"))) {
            EngineTools.sendUdp(again, 9);
            r = capture.stop();
        }
        assertThat(EngineTools.tshark(r.file(), null, "udp.dstport")).hasSize(9).containsOnly(Integer.toString(again));
    }

    private CaptureSpec spec(int port, String file) {
        return CaptureSpec.builder().interfaces("lo").filter("udp dst port " + port)
                .kernelEvidence(KernelEvidence.OFF).output(dir.resolve(file)).build();
    }
}
