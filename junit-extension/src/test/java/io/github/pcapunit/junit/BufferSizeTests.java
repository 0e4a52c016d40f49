package io.github.pcapunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.pcapng.PcapReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bufferSize} reaches the kernel: libpcap maps its capture ring, the size of the buffer,
 * into the JVM ({@code socket:[inode]} in {@code /proc/self/maps}), and the file says so too.
 */
class BufferSizeTests {

    private static final int THREE_MIB = 3 << 20;
    private static final int FIVE_MIB = 5 << 20;

    @TempDir
    Path out;

    /** Sizes of the packet-socket rings mapped into this JVM right now. */
    static List<Long> socketRingSizes() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(line -> line.contains("socket:["))
                    .map(line -> line.split(" ")[0].split("-"))
                    .map(range -> Long.parseLong(range[1], 16) - Long.parseLong(range[0], 16))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static class AnnotationTestCases {
        static int specBufferSize;
        static List<Long> ringsDuringTest;

        @CaptureTraffic(filter = "udp port 28141", interfaces = "lo", bufferSize = THREE_MIB, keep = Keep.ALWAYS,
                kernelEvidence = KernelEvidence.OFF)
        @Test
        void withBuffer(TestCapture capture) {
            Loopback.sendUdp(28141, 3);
            specBufferSize = capture.snapshot().spec().bufferSize();
            ringsDuringTest = socketRingSizes();
        }
    }

    static class BuilderTestCases {
        static int specBufferSize;
        static List<Long> ringsDuringTest;

        @RegisterExtension
        static CaptureTrafficExtension capture = CaptureTrafficExtension.builder()
                .filter("udp port 28142")
                .interfaces("lo")
                .spec(spec -> spec.bufferSize(FIVE_MIB))
                .keep(Keep.ALWAYS)
                .kernelEvidence(KernelEvidence.OFF)
                .build();

        @Test
        void withBuffer(TestCapture capture) {
            Loopback.sendUdp(28142, 2);
            specBufferSize = capture.snapshot().spec().bufferSize();
            ringsDuringTest = socketRingSizes();
        }
    }

    @BeforeEach
    void reset() {
        AnnotationTestCases.specBufferSize = 0;
        AnnotationTestCases.ringsDuringTest = List.of();
        BuilderTestCases.specBufferSize = 0;
        BuilderTestCases.ringsDuringTest = List.of();
    }

    @Test
    void bufferSizeAttribute_sizesTheKernelRing_andTheFileSaysSo() {
        Fixtures.run(AnnotationTestCases.class, out).testEvents().assertStatistics(s -> s.succeeded(1));

        assertThat(AnnotationTestCases.specBufferSize).isEqualTo(THREE_MIB);
        assertThat(AnnotationTestCases.ringsDuringTest).as("libpcap's ring of the capture").contains((long) THREE_MIB);
        Path file = Fixtures.fileOf(out, AnnotationTestCases.class, "withBuffer.pcapng");
        assertThat(CapturedTraffic.read(file).packetsTo(28141)).isEqualTo(3);
        assertThat(sectionComments(file)).anyMatch(c -> c.contains("buffer " + THREE_MIB + " bytes"));
    }

    @Test
    void bufferSizeThroughTheBuildersSpec_sizesTheKernelRing() {
        Fixtures.run(BuilderTestCases.class, out).testEvents().assertStatistics(s -> s.succeeded(1));

        assertThat(BuilderTestCases.specBufferSize).isEqualTo(FIVE_MIB);
        assertThat(BuilderTestCases.ringsDuringTest).as("libpcap's ring of the capture").contains((long) FIVE_MIB);
        Path file = Fixtures.fileOf(out, BuilderTestCases.class, "withBuffer.pcapng");
        assertThat(CapturedTraffic.read(file).packetsTo(28142)).isEqualTo(2);
    }

    private static List<String> sectionComments(Path file) {
        try (PcapReader reader = PcapReader.open(file)) {
            reader.next();   // the header is known once its section's first record is read
            return reader.sectionHeader().comments();
        }
    }
}
