package io.github.pcapunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.Packet;
import io.github.pcapunit.core.pcapng.PcapReader;
import io.github.pcapunit.testing.NetLab;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;

/**
 * {@code @CaptureTraffic(namespaces = ...)} reaches the engine by name (SpecBinding): the test's
 * file holds the traffic of two namespaces the JVM is not in, named {@code <namespace>/<interface>}.
 */
class CapturePointsTests {

    /** Fixed names (annotation values are constants); removed before and after. */
    static final String APP = "pcapunit-j16-app";
    static final String DB = "pcapunit-j16-db";

    @TempDir
    Path out;

    @BeforeAll
    static void namespaces() throws Exception {
        NetLab.assumeAvailable();
        removeNamespaces();
        for (String ns : List.of(APP, DB)) {
            run("ip", "netns", "add", ns);
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
    }

    @AfterAll
    static void removeNamespaces() throws Exception {
        for (String ns : List.of(APP, DB)) {
            new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static class TwoNamespacesTestCases {
        @CaptureTraffic(namespaces = {APP, DB + "/lo"}, filter = "icmp", keep = Keep.ALWAYS,
                kernelEvidence = KernelEvidence.OFF)
        @Test
        void pingsInsideBoth() throws Exception {
            run("ip", "netns", "exec", APP, "ping", "-n", "-q", "-c", "2", "-i", "0.2", "127.0.0.1");
            run("ip", "netns", "exec", DB, "ping", "-n", "-q", "-c", "3", "-i", "0.2", "127.0.0.1");
        }
    }

    static class MissingNamespaceTestCases {
        @CaptureTraffic(namespaces = "pcapunit-j16-none")
        @Test
        void neverRuns() {
        }
    }

    @Test
    void namespacesAttribute_capturesInsideEachNamespace_oneFileWithNamedInterfaces() throws IOException {
        Fixtures.run(TwoNamespacesTestCases.class, out).testEvents().assertStatistics(s -> s.succeeded(1));
        Path file = Fixtures.fileOf(out, TwoNamespacesTestCases.class, "pingsInsideBoth.pcapng");

        Map<String, Integer> perInterface = new HashMap<>();
        try (PcapReader reader = PcapReader.open(file)) {
            for (Packet p : reader) {
                InterfaceDescription d = reader.interfaces().get(p.interfaceId());
                perInterface.merge(d.name().orElse("?"), 1, Integer::sum);
            }
            assertThat(reader.interfaces()).extracting(d -> d.name().orElse("?"))
                    .containsExactly(APP + "/any", DB + "/lo", APP + "/lo");
        }
        // loopback pings: request and reply, each seen once on "any" (written on its real interface,
        // APP/lo) and on "lo"
        assertThat(perInterface).containsEntry(APP + "/lo", 4).containsEntry(DB + "/lo", 6)
                .doesNotContainKey(APP + "/any");
    }

    @Test
    void namespaceThatDoesNotExist_failsTheTestNamingItAndWhatExists() {
        var results = Fixtures.run(MissingNamespaceTestCases.class, out);
        List<Throwable> failures = results.allEvents().failed().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow()).toList();
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0)).hasMessageContaining("pcapunit-j16-none").hasMessageContaining(APP)
                .hasMessageContaining("does not exist");
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
