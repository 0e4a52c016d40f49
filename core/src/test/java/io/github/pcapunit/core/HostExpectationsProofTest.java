package io.github.pcapunit.core;

import io.github.pcapunit.core.cli.TextFormatTest;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.check.TrafficExpectations;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.InterfaceStatistics;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * onlyTalksTo / noTrafficTo never pass on nothing: a capture without any IP packet fails (unless
 * no traffic is allowed), and an incomplete capture cannot prove that no packet went elsewhere.
 */
class HostExpectationsProofTest {

    @TempDir
    Path dir;

    @Test
    void emptyCapture_failsBothChecks_unlessNoTrafficIsAllowed() {
        Path file = dir.resolve("empty.pcapng");
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.builder().comment("kernel evidence off").build(),
                InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("eth0").build())) {
            w.writeStatistics(0, InterfaceStatistics.builder().ifRecv(0).osDrop(0).ifDrop(0).build());
        }
        CapturedTraffic empty = CapturedTraffic.read(file);

        String only = TrafficExpectations.onlyTalksTo("127.0.0.0/8").check(empty).orElseThrow().message();
        String none = TrafficExpectations.noTrafficTo("10.0.0.0/8").check(empty).orElseThrow().message();

        assertThat(only).startsWith("Expecting the traffic captured in " + file + "\nto only talk to 127.0.0.0/8\n"
                + "but no traffic was seen at all").contains("allowingNoTraffic()");
        assertThat(none).contains("to have no traffic to 10.0.0.0/8\nbut no traffic was seen at all");
        assertThat(TrafficExpectations.onlyTalksTo("127.0.0.0/8").allowingNoTraffic().check(empty)).isEmpty();
        assertThat(TrafficExpectations.noTrafficTo("10.0.0.0/8").allowingNoTraffic().check(empty)).isEmpty();
    }

    @Test
    void incompleteCapture_withoutOffenders_cannotProveIt() {
        // 10.0.1.10 talks to 10.0.1.20 and 10.0.1.30; the kernel buffer dropped 3 packets.
        CapturedTraffic lossy = CapturedTraffic.read(TextFormatTest.sample(dir));

        String only = TrafficExpectations.onlyTalksTo("10.0.1.0/24").check(lossy).orElseThrow().message();
        String none = TrafficExpectations.noTrafficTo("10.0.1.99", 443).check(lossy).orElseThrow().message();

        assertThat(only).contains("to only talk to 10.0.1.0/24\nbut that cannot be shown: the capture is incomplete,"
                + " and the packets it lost may include some elsewhere")
                .contains("the kernel buffer dropped 3 packets");
        assertThat(none).contains("to have no traffic to 10.0.1.99:443\nbut that cannot be shown: the capture is"
                + " incomplete, and the packets it lost may include some to 10.0.1.99:443");
        // An offender found is reported as such, loss or not.
        assertThat(TrafficExpectations.noTrafficTo("10.0.1.30").check(lossy).orElseThrow().message())
                .contains("but found 1 flow");
    }
}
