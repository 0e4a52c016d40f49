package io.github.pcapunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real run without libpcap: a child JVM told to load libpcap from a path that does not exist
 * ({@code -Dorg.pcap4j.core.pcapLibName}), as on a machine without the package, runs the SKIP and
 * FAIL fixtures against the engine's real answer (no seam).
 */
class LibpcapMissingRunTests {

    @TempDir
    Path tmp;

    @Test
    void libpcapMissing_skipWithOrWithoutFilter_skipsAndPrintsTheReasonOnce_failNamesTheUnavailability()
            throws Exception {
        String output = runChild(List.of("-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so"));

        // the property is set, so the reason names the file it could not load (issue 13 item 8)
        String reason = "libpcap not found: -Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so could not be loaded: ";
        assertThat(output).as(output)
                .containsPattern("(?m)^SKIPPED skipped\\(\\) " + Pattern.quote(reason))
                .containsPattern("(?m)^SKIPPED first\\(\\) " + Pattern.quote(reason))
                .containsPattern("(?m)^SKIPPED second\\(\\) " + Pattern.quote(reason))
                .containsPattern("(?m)^ABORTED WholeClass TestAbortedException: " + Pattern.quote(reason))
                .containsPattern("(?m)^FAILED failed\\(\\) CaptureException: @CaptureTraffic\\(onUnavailable = FAIL\\) on "
                        + Pattern.quote(AvailabilityTests.FailWithFilterTestCases.class.getName())
                        + "\\.failed\\(\\): no capture can be made here: " + Pattern.quote(reason))
                .doesNotContain("SUCCEEDED")
                .doesNotContain("is not a valid capture filter")
                .contains("RAN false false");
        // Once per run: the child ran two fixtures with SKIP tests, each its own run; none for FAIL's run.
        assertThat(output.lines().filter(l -> l.startsWith("pcapunit: ")))
                .hasSize(2).allSatisfy(line -> assertThat(line)
                        .startsWith("pcapunit: skipping tests that capture (onUnavailable = SKIP): " + reason));
        // JDK 24+ without --enable-native-access: the reason names the flag too (this child has none).
        boolean nativeAccessHint = output.contains("also runs without --enable-native-access=ALL-UNNAMED");
        assertThat(nativeAccessHint).as(output).isEqualTo(Runtime.version().feature() >= 24);
    }

    /** Runs {@link LibpcapMissingRun} in a JVM of this JDK, without any native-access flag. */
    private String runChild(List<String> jvmOptions) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, LibpcapMissingRun.class.getName(), tmp.resolve("out").toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).directory(tmp.toFile()).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        return output;
    }
}
