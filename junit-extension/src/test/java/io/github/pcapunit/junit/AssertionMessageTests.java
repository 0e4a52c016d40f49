package io.github.pcapunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.assertions.PcapunitAssertions;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;

/** A CapturedTraffic parameter asserted with pcapunit's assertions: the failure names the kept file. */
class AssertionMessageTests {

    @TempDir
    Path out;

    static class TrafficParameterTestCases {
        @CaptureTraffic(filter = "udp port 28501", interfaces = "lo")
        @Test
        void talksToForbiddenPort(CapturedTraffic traffic) {
            Loopback.sendUdp(28501, 2);
            PcapunitAssertions.assertThat(traffic).hasNoTrafficTo("127.0.0.1", 28501);
        }
    }

    @Test
    void failedPcapunitAssertion_namesTheKeptFileInItsMessage() {
        List<Throwable> failures = Fixtures.run(TrafficParameterTestCases.class, out).testEvents().failed().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .collect(Collectors.toList());

        Path kept = Fixtures.fileOf(out, TrafficParameterTestCases.class, "talksToForbiddenPort.pcapng");
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0)).isInstanceOf(AssertionError.class).hasMessageContaining(kept.toString())
                .hasMessageContaining("28501");
        assertThat(CapturedTraffic.read(kept).packetsTo(28501)).isEqualTo(2);
    }
}
