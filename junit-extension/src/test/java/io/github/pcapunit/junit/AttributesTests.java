package io.github.pcapunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.packet.DecodedPacket;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.pcapng.PcapReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

/** Attributes seen through a kept file: headersOnly, kernelEvidence; and the capture in the Store. */
class AttributesTests {

    @TempDir
    Path out;

    static class HeadersOnlyTestCases {
        @CaptureTraffic(filter = "udp port 28131", interfaces = "lo", headersOnly = true, keep = Keep.ALWAYS,
                kernelEvidence = KernelEvidence.OFF)
        @Test
        void bigDatagrams() {
            Loopback.sendUdp(28131, 3, 1200);
        }
    }

    @Test
    void headersOnlyAndKernelEvidenceOff_showInTheKeptFile() throws Exception {
        Fixtures.run(HeadersOnlyTestCases.class, out).testEvents().assertStatistics(s -> s.succeeded(1));

        Path file = Fixtures.fileOf(out, HeadersOnlyTestCases.class, "bigDatagrams.pcapng");
        CapturedTraffic traffic = CapturedTraffic.read(file);
        List<DecodedPacket> packets;
        try (var stream = traffic.packets()) {
            packets = stream.filter(p -> p.destinationPort() == 28131).collect(Collectors.toList());
        }
        assertThat(packets).hasSize(3).allSatisfy(p -> {
            assertThat(p.originalLength()).isGreaterThan(1200);
            assertThat(p.capturedLength()).isLessThanOrEqualTo(128);
        });
        assertThat(traffic.kernelEvidenceStatus()).contains("kernel evidence off");
        try (PcapReader reader = PcapReader.open(file)) {
            assertThat(reader.interfaces()).allSatisfy(i -> assertThat(i.snaplen()).isEqualTo(128));
        }
    }

    /** Another extension that finds pcapunit's capture in the Store, as the README says it can. */
    static class StoreReader implements AfterTestExecutionCallback {
        static final List<String> SEEN = new CopyOnWriteArrayList<>();

        @Override
        public void afterTestExecution(ExtensionContext context) {
            TestCapture capture = context.getStore(TestCapture.NAMESPACE).get(TestCapture.class, TestCapture.class);
            SEEN.add(capture == null ? "none" : capture.file().getFileName().toString());
            if (capture != null) {
                capture.mark("seen by another extension");
            }
        }
    }

    @ExtendWith(StoreReader.class)
    static class StoreTestCases {
        @CaptureTraffic(filter = "udp port 28132", interfaces = "lo", keep = Keep.ALWAYS)
        @Test
        void captured() {
            Loopback.sendUdp(28132, 1);
        }
    }

    @Test
    void otherExtensions_reachTheCaptureThroughTheStore() {
        StoreReader.SEEN.clear();
        Fixtures.run(StoreTestCases.class, out, Map.of()).testEvents().assertStatistics(s -> s.succeeded(1));

        assertThat(StoreReader.SEEN).containsExactly("captured.pcapng");
        CapturedTraffic traffic = CapturedTraffic.read(Fixtures.fileOf(out, StoreTestCases.class, "captured.pcapng"));
        assertThat(traffic.journal()).anyMatch(e -> e.message().equals("seen by another extension"));
    }
}
