package io.github.pcapunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Class-level, nested, parameterized, repeated, dynamic, meta-annotated and programmatic captures. */
class TestShapesTests {

    @TempDir
    Path out;

    private List<String> files(Class<?> fixture) throws Exception {
        Path dir = out.resolve(fixture.getName().replace('$', '.'));
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private long packetsTo(Class<?> fixture, String file, int port) {
        return CapturedTraffic.read(Fixtures.fileOf(out, fixture, file)).packetsTo(port);
    }

    @CaptureTraffic(filter = "udp port 28201", interfaces = "lo", keep = Keep.ALWAYS)
    static class ClassLevelTestCases {
        @Test
        void first() {
            Loopback.sendUdp(28201, 1);
        }

        @Test
        void second() {
            Loopback.sendUdp(28201, 2);
        }

        @Nested
        class Inner {
            @Test
            void third() {
                Loopback.sendUdp(28201, 3);
            }
        }
    }

    @Test
    void classLevelAnnotation_givesEachTestItsOwnFile_nestedClassesInheritIt() throws Exception {
        Fixtures.run(ClassLevelTestCases.class, out).testEvents().assertStatistics(s -> s.succeeded(3));

        assertThat(files(ClassLevelTestCases.class)).containsExactly("first.pcapng", "second.pcapng");
        assertThat(packetsTo(ClassLevelTestCases.class, "first.pcapng", 28201)).isEqualTo(1);
        assertThat(packetsTo(ClassLevelTestCases.class, "second.pcapng", 28201)).isEqualTo(2);
        assertThat(packetsTo(ClassLevelTestCases.Inner.class, "third.pcapng", 28201)).isEqualTo(3);
    }

    static class InvocationsTestCases {
        @CaptureTraffic(filter = "udp port 28202", interfaces = "lo", keep = Keep.ALWAYS)
        @ParameterizedTest
        @ValueSource(ints = {1, 2})
        void parameterized(int count) {
            Loopback.sendUdp(28202, count);
        }

        @CaptureTraffic(filter = "udp port 28202", interfaces = "lo", keep = Keep.ALWAYS)
        @RepeatedTest(2)
        void repeated() {
            Loopback.sendUdp(28202, 4);
        }

        @CaptureTraffic(filter = "udp port 28202", interfaces = "lo", keep = Keep.ALWAYS)
        @TestFactory
        Stream<DynamicTest> dynamic() {
            return Stream.of(dynamicTest("five", () -> Loopback.sendUdp(28202, 5)),
                    dynamicTest("six", () -> Loopback.sendUdp(28202, 6)));
        }
    }

    @Test
    void parameterizedRepeatedAndDynamicTests_getOneNumberedFileEachWithOnlyTheirPackets() throws Exception {
        Fixtures.run(InvocationsTestCases.class, out).testEvents().assertStatistics(s -> s.succeeded(6));

        assertThat(files(InvocationsTestCases.class)).containsExactly("dynamic[1].pcapng", "dynamic[2].pcapng",
                "parameterized[1].pcapng", "parameterized[2].pcapng", "repeated[1].pcapng", "repeated[2].pcapng");
        assertThat(packetsTo(InvocationsTestCases.class, "parameterized[2].pcapng", 28202)).isEqualTo(2);
        assertThat(packetsTo(InvocationsTestCases.class, "repeated[1].pcapng", 28202)).isEqualTo(4);
        assertThat(packetsTo(InvocationsTestCases.class, "dynamic[2].pcapng", 28202)).isEqualTo(6);
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @CaptureTraffic(filter = "udp port 28203", interfaces = "lo", keep = Keep.ALWAYS)
    @Test
    @interface DatabaseTest {
    }

    static class MetaAnnotationTestCases {
        @DatabaseTest
        void viaMetaAnnotation() {
            Loopback.sendUdp(28203, 2);
        }
    }

    @Test
    void metaAnnotation_capturesLikeTheAnnotationItself() {
        Fixtures.run(MetaAnnotationTestCases.class, out).testEvents().assertStatistics(s -> s.succeeded(1));

        assertThat(packetsTo(MetaAnnotationTestCases.class, "viaMetaAnnotation.pcapng", 28203)).isEqualTo(2);
    }

    static class InsideTheTestTestCases {
        static volatile long seenInside = -1;
        static volatile Path fileInside;

        @CaptureTraffic(filter = "udp port 28204", interfaces = "lo")
        @Test
        void assertsOnItsOwnTraffic(TestCapture capture) {
            Loopback.sendUdp(28204, 7);   // the last datagrams are the "tail": sent right before asserting
            CapturedTraffic traffic = capture.traffic();
            seenInside = traffic.packetsTo(28204);
            fileInside = capture.file();
            assertThat(traffic.packetsTo(28204)).isEqualTo(7);
        }
    }

    @Test
    void testCaptureParameter_seesEveryPacketSentBeforeAsserting_fileStillDeletedWhenPassed() {
        Fixtures.run(InsideTheTestTestCases.class, out).testEvents().assertStatistics(s -> s.succeeded(1));

        assertThat(InsideTheTestTestCases.seenInside).isEqualTo(7);
        assertThat(InsideTheTestTestCases.fileInside).isEqualTo(
                Fixtures.fileOf(out, InsideTheTestTestCases.class, "assertsOnItsOwnTraffic.pcapng"));
        assertThat(InsideTheTestTestCases.fileInside).doesNotExist();
    }

    static class ProgrammaticTestCases {
        static final int PORT = 28205;

        @RegisterExtension
        static CaptureTrafficExtension capture = CaptureTrafficExtension.builder()
                .filter("udp port " + PORT)
                .interfaces("lo")
                .keep(Keep.ALWAYS)
                .build();

        @Test
        void registered(TestCapture handle) {
            Loopback.sendUdp(PORT, 3);
            CaptureResult soFar = handle.snapshot();
            assertThat(soFar.packetsWritten()).isEqualTo(3);
        }
    }

    @Test
    void registerExtensionWithBuilder_capturesWithComputedOptions() {
        Fixtures.run(ProgrammaticTestCases.class, out).testEvents().assertStatistics(s -> s.succeeded(1));

        assertThat(packetsTo(ProgrammaticTestCases.class, "registered.pcapng", 28205)).isEqualTo(3);
    }
}
