package io.github.pcapunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.PcapReader;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * {@code scope = Scope.CLASS}: one file for a whole class (and one per {@code @Nested} class),
 * each test marked in it, kept when a test failed; every kept file named in one line of output.
 */
class ClassScopeTests {

    @TempDir
    Path out;

    @CaptureTraffic(filter = "udp port 28121", interfaces = "lo", scope = Scope.CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class OneFailsTestCases {
        @Test
        @Order(1)
        void first(CapturedTraffic traffic) {
            Loopback.sendUdp(28121, 2);
            assertThat(traffic.packetsTo(28121)).isEqualTo(2);
        }

        @Test
        @Order(2)
        void second(CapturedTraffic traffic) {
            Loopback.sendUdp(28121, 3);
            // The class's file so far: both tests' packets.
            assertThat(traffic.packetsTo(28121)).isEqualTo(5);
            fail("second failed");
        }

        @Nested
        class Inner {
            @Test
            void inner() {
                Loopback.sendUdp(28121, 1);
            }
        }
    }

    @Test
    void aFailingTest_keepsTheClassFileWithEveryTestMarked_nestedClassHasItsOwn() {
        Fixtures.Printed run = Fixtures.runPrinting(OneFailsTestCases.class, out, java.util.Map.of());
        EngineExecutionResults results = run.results();

        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(1));
        Path file = Fixtures.fileOf(out, OneFailsTestCases.class, "all-tests.pcapng");
        CapturedTraffic traffic = CapturedTraffic.read(file);
        // 2 + 3 of its own tests, and the nested class's 1: its window spans the nested class too.
        assertThat(traffic.packetsTo(28121)).isEqualTo(6);
        List<String> marks = traffic.journal().stream().map(JournalEntry::message).collect(Collectors.toList());
        assertThat(marks).anyMatch(m -> m.equals("class started: " + OneFailsTestCases.class.getName()))
                .anyMatch(m -> m.startsWith("test started: ") && m.endsWith("first()"))
                .anyMatch(m -> m.startsWith("test finished: ") && m.contains("first() passed"))
                .anyMatch(m -> m.startsWith("test finished: ") && m.contains("second() failed: AssertionFailedError"))
                .anyMatch(m -> m.equals("class finished: " + OneFailsTestCases.class.getName()
                        + " failed: 1 of 2 tests failed"));
        try (PcapReader reader = PcapReader.open(file)) {
            while (reader.nextPacket()) {
                // the section header is read with the first block
            }
            assertThat(String.join("\n", reader.sections().get(0).comments()))
                    .contains(OneFailsTestCases.class.getName() + " failed: 1 of 2 tests failed");
        }
        // Only the class's file: no file per test.
        assertThat(Fixtures.fileOf(out, OneFailsTestCases.class, "first.pcapng")).doesNotExist();
        assertThat(Fixtures.fileOf(out, OneFailsTestCases.class, "second.pcapng")).doesNotExist();
        // The nested class passed: its own class file is deleted.
        assertThat(Fixtures.fileOf(out, OneFailsTestCases.Inner.class, "all-tests.pcapng")).doesNotExist();
        // One line names the one file; nothing is copied to the report directory.
        assertThat(run.pcapunitLines()).containsExactly("pcapunit: kept " + file.toAbsolutePath()
                + " (class failed: 1 of 2 tests failed)");
        assertThat(Fixtures.publishedFiles(results.allEvents())).isEmpty();
    }

    @CaptureTraffic(filter = "udp port 28122", interfaces = "lo", scope = Scope.CLASS)
    static class AllPassTestCases {
        @Test
        void one() {
            Loopback.sendUdp(28122, 1);
        }

        @Test
        void two() {
            Loopback.sendUdp(28122, 1);
        }
    }

    @Test
    void allPassing_deleteTheClassFile() {
        Fixtures.run(AllPassTestCases.class, out).testEvents().assertStatistics(s -> s.succeeded(2));

        assertThat(Fixtures.fileOf(out, AllPassTestCases.class, "all-tests.pcapng")).doesNotExist();
    }

    static class ScopeOnMethodTestCases {
        @CaptureTraffic(scope = Scope.CLASS)
        @Test
        void onAMethod() {
        }
    }

    @Test
    void classScopeOnAMethod_isAConfigurationErrorThatSaysWhereItGoes() {
        Fixtures.run(ScopeOnMethodTestCases.class, out).testEvents().assertThatEvents().haveExactly(1,
                event(test("onAMethod"), finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith("@CaptureTraffic(scope = Scope.CLASS) on ")
                                && m.contains("onAMethod() needs a class")
                                && m.endsWith("Move it to the class, or use Scope.TEST here.")))));
    }

    static class AlwaysTestCases {
        @CaptureTraffic(filter = "udp port 28123", interfaces = "lo", keep = Keep.ALWAYS)
        @Test
        void passesAndIsKept() {
            Loopback.sendUdp(28123, 2);
        }
    }

    @CaptureTraffic(filter = "udp port 28124", interfaces = "lo", keep = Keep.ALWAYS)
    static class AlwaysOnClassTestCases {
        @Test
        void first() {
            Loopback.sendUdp(28124, 1);
        }

        @Test
        void second() {
            Loopback.sendUdp(28124, 1);
        }
    }

    @Test
    void keepAlwaysOnAClass_namesEachPassedTestsFile_inOneLineAndItsReportEntry() {
        Fixtures.Printed run = Fixtures.runPrinting(AlwaysOnClassTestCases.class, out, java.util.Map.of());

        run.results().testEvents().assertStatistics(s -> s.succeeded(2));
        Path first = Fixtures.fileOf(out, AlwaysOnClassTestCases.class, "first.pcapng");
        Path second = Fixtures.fileOf(out, AlwaysOnClassTestCases.class, "second.pcapng");
        assertThat(run.pcapunitLines()).containsExactlyInAnyOrder(
                "pcapunit: kept " + first.toAbsolutePath() + " (keep = ALWAYS)",
                "pcapunit: kept " + second.toAbsolutePath() + " (keep = ALWAYS)");
        // Written by the time the run ended, although the tests did not wait for them.
        assertThat(CapturedTraffic.read(first).packetsTo(28124)).isEqualTo(1);
        assertThat(CapturedTraffic.read(second).packetsTo(28124)).isEqualTo(1);
        assertThat(run.results().testEvents().reportingEntryPublished().count()).isEqualTo(2);
        assertThat(Fixtures.filesUnder(out.resolve("report"))).isEmpty();
    }

    @Test
    void keepAlways_onAMethod_namesThePassedTestsFileToo() {
        Fixtures.Printed run = Fixtures.runPrinting(AlwaysTestCases.class, out, java.util.Map.of());

        Path kept = Fixtures.fileOf(out, AlwaysTestCases.class, "passesAndIsKept.pcapng");
        assertThat(run.pcapunitLines()).containsExactly("pcapunit: kept " + kept.toAbsolutePath() + " (keep = ALWAYS)");
        assertThat(CapturedTraffic.read(kept).packetsTo(28123)).isEqualTo(2);
    }

    static class BadExplainTestCases {
        @CaptureTraffic(explainFirewall = "tcp dport 1433; flush ruleset")
        @Test
        void badExplain() {
        }
    }

    @Test
    void explainFirewallWithSeveralStatements_isRefusedBeforeAnyCapture() {
        Fixtures.run(BadExplainTestCases.class, out).testEvents().assertThatEvents().haveExactly(1,
                event(test("badExplain"), finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith("@CaptureTraffic(explainFirewall = \"tcp dport 1433; flush ruleset\") on ")
                                && m.contains("is not one nftables match expression")))));
    }
}
