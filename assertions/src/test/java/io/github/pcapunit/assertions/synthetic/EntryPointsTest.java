package io.github.pcapunit.assertions.synthetic;

import static io.github.pcapunit.assertions.PcapunitAssertions.assertThat;
import static io.github.pcapunit.assertions.synthetic.Expected.HOW_TO_ALLOW;
import static io.github.pcapunit.assertions.synthetic.Expected.fails;
import static io.github.pcapunit.assertions.synthetic.Expected.message;
import static io.github.pcapunit.assertions.synthetic.Expected.noTrafficTo;
import static io.github.pcapunit.assertions.synthetic.Expected.passes;
import static io.github.pcapunit.assertions.synthetic.TrafficFile.SERVER;
import static io.github.pcapunit.assertions.synthetic.TrafficFile.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.assertions.PcapunitAssertions;
import io.github.pcapunit.assertions.SoftPcapunitAssertions;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.CaptureStatistics;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.EvidenceStatus.Source;
import io.github.pcapunit.core.capture.EvidenceStatus.SourceStatus;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.pcapng.LinkType;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entry points over a finished capture's {@link CaptureResult} (its loss counters and evidence
 * status win over the file) and over a live view (settled once per assertion chain). The result is
 * built by hand around a synthetic file, as the engine would return it.
 */
class EntryPointsTest {

    private static final String LOST_2 = "The capture is incomplete: the kernel buffer dropped 2 packets.";
    private static final String NO_TRACEFS = "Kernel evidence unavailable: tracefs is not mounted at"
            + " /sys/kernel/tracing.";

    @TempDir
    Path dir;

    /** The healthy file as a capture that lost 2 packets in the kernel buffer and had no tracefs. */
    private CaptureResult result() {
        Path file = Scenarios.healthy(dir).path();
        EvidenceStatus noTracefs = EvidenceStatus.builder(KernelEvidence.AUTO)
                .source(SourceStatus.unavailable(Source.KERNEL_TRACE, "tracefs is not mounted at /sys/kernel/tracing"))
                .build();
        return new CaptureResult(file, CaptureSpec.builder().build(), T0, T0.plusSeconds(2),
                List.of(new CaptureStatistics("eth0", LinkType.ETHERNET, 12, 14, 2, 0)), null, noTracefs);
    }

    @Test
    void assertThatCaptureResult_statesTheResultsLossAndEvidenceStatus() {
        CaptureResult result = result();

        passes(() -> assertThat(result).hasNoDroppedPacketsTo(1433).connections().to(1433).allEstablished());
        fails(() -> assertThat(result).isComplete(), message(result.file(),
                "to be complete (no packet lost by the capture)",
                "but the capture lost 2 packets:",
                "  the capture is incomplete: the kernel buffer dropped 2 packets"));
        fails(() -> assertThat(result).hasNoDroppedPacketsTo(1434), message(result.file(),
                "to have no dropped packets to port 1434",
                noTrafficTo("port 1434"),
                LOST_2,
                NO_TRACEFS,
                HOW_TO_ALLOW));
    }

    @Test
    void softAssertThatCaptureResult_collectsTheSameMessage() {
        CaptureResult result = result();
        SoftPcapunitAssertions softly = new SoftPcapunitAssertions();

        softly.assertThat(result).connections().to(1433).allEstablished();
        softly.assertThat(result).isComplete();

        assertThat(softly.errorsCollected()).singleElement().extracting(Throwable::getMessage).asString()
                .startsWith(message(result.file(),
                        "to be complete (no packet lost by the capture)",
                        "but the capture lost 2 packets:",
                        "  the capture is incomplete: the kernel buffer dropped 2 packets",
                        "at EntryPointsTest."));
    }

    @Test
    void liveTraffic_isSettledOncePerAssertionChain() {
        CaptureResult result = result();
        AtomicInteger snapshots = new AtomicInteger();
        CapturedTraffic live = CapturedTraffic.live(() -> {
            snapshots.incrementAndGet();
            return result;
        }, result.file());

        PcapunitAssertions.assertThat(live).hasNoDroppedPacketsTo(1433).hasNoDroppedPacketsTo(SERVER, 1433)
                .connections().to(1433).allEstablished().noneReset();
        assertThat(snapshots).hasValue(1);
        PcapunitAssertions.assertThat(live).packets().matching("icmp").hasSize(4);
        assertThat(snapshots).hasValue(2);
    }
}
