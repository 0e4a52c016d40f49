package io.github.pcapunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.pcapng.JournalEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Which files survive, and what a kept file holds. Needs capture privileges (root). */
class KeepPolicyTests {

    @TempDir
    Path out;

    static class PassAndFailTestCases {
        @CaptureTraffic(filter = "udp port 28101", interfaces = "lo")
        @Test
        void passes() {
            Loopback.sendUdp(28101, 3);
        }

        @CaptureTraffic(filter = "udp port 28101", interfaces = "lo")
        @Test
        void fails() {
            Loopback.sendUdp(28101, 5);
            fail("server did not answer");
        }
    }

    @Test
    void passingAndFailingTests_deletePassedFile_keepFailedFileWithItsPacketsMarksAndOutcome() {
        EngineExecutionResults results = Fixtures.run(PassAndFailTestCases.class, out);

        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
        assertThat(Fixtures.fileOf(out, PassAndFailTestCases.class, "passes.pcapng")).doesNotExist();
        Path kept = Fixtures.fileOf(out, PassAndFailTestCases.class, "fails.pcapng");
        assertThat(kept).exists();
        CapturedTraffic traffic = CapturedTraffic.read(kept);
        assertThat(traffic.packetsTo(28101)).isEqualTo(5);
        List<String> marks = traffic.journal().stream().map(JournalEntry::message).collect(Collectors.toList());
        assertThat(marks).anyMatch(m -> m.startsWith("test started: ") && m.endsWith("fails()"));
        assertThat(marks).anyMatch(m -> m.startsWith("test finished: ") && m.contains("failed: AssertionFailedError: "
                + "server did not answer"));
    }

    @Test
    void failingTest_keptFileIsNamedInOneOutputLineAndAReportEntry_andNotCopiedToTheReportDirectory() {
        Fixtures.Printed run = Fixtures.runPrinting(PassAndFailTestCases.class, out, Map.of());
        EngineExecutionResults results = run.results();

        Path kept = Fixtures.fileOf(out, PassAndFailTestCases.class, "fails.pcapng");
        assertThat(run.pcapunitLines()).containsExactly("pcapunit: kept " + kept.toAbsolutePath() + " (test failed)");
        assertThat(Fixtures.publishedFiles(results.allEvents())).isEmpty();
        assertThat(Fixtures.filesUnder(out.resolve("report"))).isEmpty();
        List<Map<String, String>> entries = results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs()).collect(Collectors.toList());
        assertThat(entries).containsExactly(Map.of("pcapunit.capture", kept.toAbsolutePath().toString()));
    }

    static class AlwaysAndNeverTestCases {
        @CaptureTraffic(filter = "udp port 28102", interfaces = "lo", keep = Keep.ALWAYS)
        @Test
        void alwaysPasses() {
            Loopback.sendUdp(28102, 2);
        }

        @CaptureTraffic(filter = "udp port 28102", interfaces = "lo", keep = Keep.NEVER)
        @Test
        void neverFails() {
            Loopback.sendUdp(28102, 2);
            fail("expected");
        }
    }

    @Test
    void keepAlwaysAndNever_keepPassedFileAndNameIt_deleteFailedFileSilently() {
        Fixtures.Printed run = Fixtures.runPrinting(AlwaysAndNeverTestCases.class, out, Map.of());

        run.results().testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
        Path always = Fixtures.fileOf(out, AlwaysAndNeverTestCases.class, "alwaysPasses.pcapng");
        assertThat(run.pcapunitLines()).containsExactly("pcapunit: kept " + always.toAbsolutePath() + " (keep = ALWAYS)");
        assertThat(CapturedTraffic.read(always).packetsTo(28102)).isEqualTo(2);
        assertThat(Fixtures.fileOf(out, AlwaysAndNeverTestCases.class, "neverFails.pcapng")).doesNotExist();
    }

    static class DefaultKeepTestCases {
        @CaptureTraffic(filter = "udp port 28103", interfaces = "lo")
        @Test
        void defaultKeep() {
            Loopback.sendUdp(28103, 1);
        }

        @CaptureTraffic(filter = "udp port 28103", interfaces = "lo", keep = Keep.NEVER)
        @Test
        void explicitNever() {
            Loopback.sendUdp(28103, 1);
        }
    }

    @Test
    void keepParameterAlways_replacesDefaultButNotAnExplicitNever() {
        EngineExecutionResults results = Fixtures.run(DefaultKeepTestCases.class, out, Map.of("pcapunit.keep", "always"));

        results.testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(Fixtures.fileOf(out, DefaultKeepTestCases.class, "defaultKeep.pcapng")).exists();
        assertThat(Fixtures.fileOf(out, DefaultKeepTestCases.class, "explicitNever.pcapng")).doesNotExist();
    }

    static class OwnDirectoryTestCases {
        @CaptureTraffic(filter = "udp port 28103", interfaces = "lo", keep = Keep.ALWAYS,
                outputDirectory = "target-junit-fixture-own-dir")
        @Test
        void ownDirectory() {
            Loopback.sendUdp(28103, 1);
        }
    }

    @Test
    void outputDirectoryAttribute_winsOverTheParameter() throws Exception {
        Path own = Path.of("target-junit-fixture-own-dir");
        try {
            Fixtures.run(OwnDirectoryTestCases.class, out).testEvents().assertStatistics(s -> s.succeeded(1));

            assertThat(Fixtures.fileOf(own, OwnDirectoryTestCases.class, "ownDirectory.pcapng")).exists();
            assertThat(Fixtures.fileOf(out, OwnDirectoryTestCases.class, "ownDirectory.pcapng")).doesNotExist();
        } finally {
            try (var walk = java.nio.file.Files.walk(own)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static class DisabledTestCases {
        @CaptureTraffic(filter = "udp port 28103", interfaces = "lo", keep = Keep.ALWAYS)
        @Test
        void runsWithoutCapture() {
            Loopback.sendUdp(28103, 1);
        }

        @CaptureTraffic(filter = "udp port 28103", interfaces = "lo", keep = Keep.ALWAYS)
        @Test
        void needsCapture(TestCapture capture) {
            capture.mark("never here");
        }
    }

    @Test
    void enabledFalse_runsTestsWithoutFiles_skipsThoseNeedingTheCapture() {
        EngineExecutionResults results = Fixtures.run(DisabledTestCases.class, out, Map.of("pcapunit.enabled", "false"));

        results.testEvents().assertStatistics(s -> s.succeeded(1).skipped(1));
        assertThat(results.testEvents().skipped().stream().map(e -> e.getRequiredPayload(String.class)))
                .containsExactly("pcapunit.enabled=false: pcapunit captures nothing, and this test takes its capture as a "
                        + "parameter");
        assertThat(out.resolve(DisabledTestCases.class.getName().replace('$', '.'))).doesNotExist();
    }
}
