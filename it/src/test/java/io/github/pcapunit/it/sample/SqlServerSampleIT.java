package io.github.pcapunit.it.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.pcapunit.testing.NetLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The README's sample, run as a user runs it: behind the firewall rule the test fails with
 * pcapunit's message (reason, component, the SYNs, the file) and keeps the pcapng; with the seed's
 * allow rule the same test passes and its file is deleted.
 */
class SqlServerSampleIT {

    private Path output;

    @BeforeEach
    void outputDirectory() throws IOException {
        NetLab.assumeAvailable();
        output = Files.createTempDirectory(Path.of("target"), "sample-");
    }

    @AfterEach
    void clearFixProperty() {
        System.clearProperty(SqlServerReachabilityTestCases.FIXED_PROPERTY);
    }

    @Test
    void behindTheDropRule_theTestFailsWithPcapunitsMessage_andKeepsThePcapng() throws IOException {
        Events tests = run();

        tests.assertStatistics(stats -> stats.started(1).failed(1));
        List<Path> kept = pcapngs();
        assertThat(kept).hasSize(1);
        assertThat(kept.get(0).toString()).endsWith("connectsToSqlServer.pcapng");
        tests.assertThatEvents().haveExactly(1, event(test("connectsToSqlServer"), finishedWithFailure(
                message(m -> m.contains("to have no dropped packets to port 1433")
                        && m.contains("SYN")
                        && m.contains("NETFILTER_DROP")
                        && m.contains("netfilter (nftables")
                        && m.contains(kept.get(0).getFileName().toString())))));
    }

    @Test
    void withTheSeedsAllowRule_theSameTestPasses_andItsFileIsDeleted() throws IOException {
        System.setProperty(SqlServerReachabilityTestCases.FIXED_PROPERTY, "true");

        Events tests = run();

        tests.assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(pcapngs()).isEmpty();
    }

    private Events run() {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("pcapunit.output.directory", output.toString())
                .selectors(selectClass(SqlServerReachabilityTestCases.class))
                .execute()
                .testEvents();
    }

    private List<Path> pcapngs() throws IOException {
        try (Stream<Path> walk = Files.walk(output)) {
            return walk.filter(p -> p.toString().endsWith(".pcapng")).collect(Collectors.toList());
        }
    }
}
