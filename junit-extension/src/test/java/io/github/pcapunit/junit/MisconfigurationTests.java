package io.github.pcapunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.InvalidCaptureSpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Every misconfiguration fails the test with attribute, value and fix, before a capture starts. */
class MisconfigurationTests {

    @TempDir
    Path out;

    private static List<Throwable> failures(EngineExecutionResults results) {
        return results.allEvents().failed().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .collect(Collectors.toList());
    }

    private Throwable onlyFailure(Class<?> fixture, Map<String, String> parameters) {
        EngineExecutionResults results = Fixtures.run(fixture, out, parameters);
        List<Throwable> failures = failures(results);
        assertThat(failures).hasSize(1);
        assertThat(out.resolve(fixture.getName().replace('$', '.'))).as("no capture file or directory").doesNotExist();
        return failures.get(0);
    }

    static class BadFilterTestCases {
        static boolean ran;

        @CaptureTraffic(filter = "tcp port bogus")
        @Test
        void badFilter() {
            ran = true;
        }
    }

    @BeforeEach
    void reset() {
        BadFilterTestCases.ran = false;
    }

    @Test
    void badFilter_failsWithLibpcapsReasonAndTheSyntaxToUse_beforeTheTestRuns() {
        Throwable failure = onlyFailure(BadFilterTestCases.class, Map.of());

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                "@CaptureTraffic(filter = \"tcp port bogus\") on " + BadFilterTestCases.class.getName()
                        + ".badFilter() is not a valid capture filter: unknown port 'bogus'. "
                        + "Use tcpdump filter syntax, e.g. \"tcp port 1433\".");
        assertThat(BadFilterTestCases.ran).isFalse();
    }

    static class UnknownInterfaceTestCases {
        @CaptureTraffic(interfaces = {"lo", "pcapunit-nope0"})
        @Test
        void unknownInterface() {
        }
    }

    @Test
    void unknownInterface_failsNamingItAndTheAvailableOnes() {
        Throwable failure = onlyFailure(UnknownInterfaceTestCases.class, Map.of());

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@CaptureTraffic(interfaces = {\"lo\", \"pcapunit-nope0\"}) on "
                        + UnknownInterfaceTestCases.class.getName() + ".unknownInterface() names an unknown "
                        + "interface: 'pcapunit-nope0' does not exist here (available: ")
                .hasMessageContaining("lo")
                .hasMessageEndingWith("Name interfaces as `ip link` shows them, e.g. \"lo\", or leave interfaces "
                        + "empty for the default.");
    }

    static class NegativeSnaplenTestCases {
        @CaptureTraffic(snaplen = -1)
        @Test
        void negativeSnaplen() {
        }
    }

    @Test
    void negativeSnaplen_failsWithTheFix() {
        Throwable failure = onlyFailure(NegativeSnaplenTestCases.class, Map.of());

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasCauseInstanceOf(InvalidCaptureSpecException.class).hasMessage(
                "@CaptureTraffic(snaplen = -1) on " + NegativeSnaplenTestCases.class.getName()
                        + ".negativeSnaplen() is refused by the capture engine: snaplen -1 keeps no bytes of a "
                        + "packet: use a positive length, e.g. snaplen(262144) for whole packets or headersOnly(). "
                        + "Leave snaplen unset for the engine's default.");
    }

    static class NegativeBufferSizeTestCases {
        static boolean ran;

        @CaptureTraffic(bufferSize = -1)
        @Test
        void negativeBufferSize() {
            ran = true;
        }
    }

    static class NegativeBufferSizeBuilderTestCases {
        static boolean ran;

        @RegisterExtension
        static CaptureTrafficExtension capture = CaptureTrafficExtension.builder()
                .spec(spec -> spec.bufferSize(-1))
                .build();

        @Test
        void negativeBufferSize() {
            ran = true;
        }
    }

    @Test
    void negativeBufferSize_failsNamingTheAttributeAndTheFix_beforeAnySideEffect() {
        NegativeBufferSizeTestCases.ran = false;
        Path notYetCreated = out.resolve("not-yet-created");

        List<Throwable> failures = failures(Fixtures.run(NegativeBufferSizeTestCases.class, notYetCreated));

        assertThat(failures).hasSize(1);
        assertThat(failures.get(0)).isInstanceOf(ExtensionConfigurationException.class)
                .hasCauseInstanceOf(InvalidCaptureSpecException.class).hasMessage(
                "@CaptureTraffic(bufferSize = -1) on " + NegativeBufferSizeTestCases.class.getName()
                        + ".negativeBufferSize() is refused by the capture engine: bufferSize -1 bytes is outside "
                        + "65536 (64 KiB) to 1073741824 (1 GiB): use e.g. bufferSize(32 << 20) for 32 MiB. "
                        + "Leave bufferSize unset for the engine's default.");
        assertThat(NegativeBufferSizeTestCases.ran).isFalse();
        assertThat(notYetCreated).as("output directory, created only after every check").doesNotExist();
    }

    @Test
    void negativeBufferSizeInTheBuildersSpec_failsNamingTheOptionAndTheFix() {
        NegativeBufferSizeBuilderTestCases.ran = false;

        Throwable failure = onlyFailure(NegativeBufferSizeBuilderTestCases.class, Map.of());

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class).hasMessageStartingWith(
                "CaptureTrafficExtension.builder() with bufferSize = -1 on "
                        + NegativeBufferSizeBuilderTestCases.class.getName() + ".negativeBufferSize() is refused by "
                        + "the capture engine: bufferSize -1 bytes is outside 65536 (64 KiB) to 1073741824 (1 GiB)");
        assertThat(NegativeBufferSizeBuilderTestCases.ran).isFalse();
    }

    static class UnwritableDirectoryTestCases {
        @CaptureTraffic
        @Test
        void unwritable() {
        }
    }

    @Test
    void outputDirectoryUnderAFile_failsNamingTheParameterAndTheFix() throws Exception {
        Path file = Files.writeString(out.resolve("not-a-directory"), "x");
        Path bad = file.resolve("pcaps");

        EngineExecutionResults results = Fixtures.run(UnwritableDirectoryTestCases.class, bad);
        List<Throwable> failures = failures(results);

        assertThat(failures).hasSize(1);
        assertThat(failures.get(0)).isInstanceOf(ExtensionConfigurationException.class)
                .hasCauseInstanceOf(java.io.IOException.class)
                .satisfies(f -> assertThat(f.getMessage())
                        .startsWith("Configuration parameter pcapunit.output.directory=" + bad + " on "
                                + UnwritableDirectoryTestCases.class.getName()
                                + ".unwritable() names a directory that cannot be created (")
                        .endsWith("Point it at a writable directory, e.g. \"target/pcapunit\"."));
    }

    static class NotATestTestCases {
        @CaptureTraffic(filter = "udp port 28301")
        void helper() {
        }

        @CaptureTraffic(filter = "udp port 28301")
        @Test
        void realTest() {
        }
    }

    @Test
    void annotationOnAMethodThatIsNotATest_failsNamingTheMethod() {
        Throwable failure = onlyFailure(NotATestTestCases.class, Map.of());

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                "@CaptureTraffic on " + NotATestTestCases.class.getName() + ".helper() has no effect: that method "
                        + "is not a test. Put it on a @Test, @ParameterizedTest, @RepeatedTest or @TestFactory "
                        + "method, or on the test class.");
    }

    static class PlainTestCases {
        @CaptureTraffic(filter = "udp port 28301")
        @Test
        void plain() {
        }
    }

    @Test
    void badConfigurationParameter_failsNamingItAndTheChoices() {
        Throwable failure = onlyFailure(PlainTestCases.class, Map.of("pcapunit.keep", "sometimes"));

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                "Configuration parameter pcapunit.keep=sometimes is not one of ON_FAILURE, ALWAYS, NEVER. "
                        + "Use e.g. pcapunit.keep=ON_FAILURE.");
    }
}
