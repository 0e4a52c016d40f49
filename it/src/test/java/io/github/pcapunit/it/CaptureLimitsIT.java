package io.github.pcapunit.it;

import static io.github.pcapunit.assertions.PcapunitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.CaptureStatistics;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.capture.KernelEvidence;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The capture's own limits under a UDP flood on a lab link: loss beyond a deliberately small
 * kernel buffer is reported (and matches libpcap's statistics), and a size cap is never exceeded.
 */
class CaptureLimitsIT {

    @RegisterExtension
    final LabLink sink = new LabLink("sink");


    // 6. Capture loss

    @Test
    void floodBeyondASmallBuffer_isIncomplete_andTheNumbersAreLibpcaps() throws IOException {
        CaptureSpec spec = CaptureSpec.builder()
                .interfaces(sink.link().interfaceName())
                .filter("udp dst port 9")
                .bufferSize(256 * 1024)
                .headersOnly()
                .kernelEvidence(KernelEvidence.OFF)
                .output(sink.output("flood-small-buffer.pcapng"))
                .build();

        CaptureResult result;
        try (Capture capture = Capture.start(spec)) {
            flood(Duration.ofMillis(1500));
            result = capture.stop();
        }

        CaptureStatistics stats = result.statistics().get(0);
        Assertions.assertThat(stats.kernelBufferDrops()).as("libpcap ps_drop for %s", stats).isPositive();
        CapturedTraffic traffic = CapturedTraffic.of(result);
        Assertions.assertThat(traffic.isComplete()).isFalse();
        Assertions.assertThat(traffic.packetsDroppedByKernel()).isEqualTo(stats.kernelBufferDrops());
        Assertions.assertThat(traffic.packetCount()).isEqualTo(stats.packetsWritten());
        assertThatThrownBy(() -> assertThat(traffic).isComplete())
                .hasMessageContaining(Long.toString(stats.kernelBufferDrops()))
                .hasMessageContaining(result.file().toString());
    }

    // 7. Size cap

    @Test
    void floodUnderASizeCap_neverExceedsTheCap_andSaysItWasCut() throws IOException {
        long cap = 512 * 1024;
        CaptureSpec spec = CaptureSpec.builder()
                .interfaces(sink.link().interfaceName())
                .filter("udp dst port 9")
                .maxFileSize(cap)
                .kernelEvidence(KernelEvidence.OFF)
                .output(sink.output("flood-size-cap.pcapng"))
                .build();

        CaptureResult result;
        try (Capture capture = Capture.start(spec)) {
            flood(Duration.ofSeconds(1));
            result = capture.stop();
        }

        Assertions.assertThat(Files.size(result.file())).isLessThanOrEqualTo(cap);
        Assertions.assertThat(result.truncated()).isTrue();
        Assertions.assertThat(result.truncatedAt()).isPresent();
        CapturedTraffic traffic = CapturedTraffic.of(result);
        Assertions.assertThat(traffic.isTruncated()).isTrue();
        Assertions.assertThat(traffic.packetCount()).isPositive();
        assertThatThrownBy(() -> assertThat(traffic).isComplete()).hasMessageContaining("size");
        Referee.assertReadable(result.file());
    }

    /** Sends 1,200-byte datagrams from the JVM across the lab link as fast as it can. */
    private void flood(Duration duration) throws IOException {
        ByteBuffer payload = ByteBuffer.allocate(1200);
        InetSocketAddress target = new InetSocketAddress(sink.link().host().address(), 9);
        long end = System.nanoTime() + duration.toNanos();
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.connect(target);
            while (System.nanoTime() < end) {
                for (int i = 0; i < 256; i++) {
                    payload.clear();
                    try {
                        channel.write(payload);
                    } catch (IOException e) {
                        // ICMP port unreachable from the sink surfaces as PortUnreachableException: keep flooding.
                    }
                }
            }
        }
    }
}
