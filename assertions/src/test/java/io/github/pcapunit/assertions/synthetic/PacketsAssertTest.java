package io.github.pcapunit.assertions.synthetic;

import static io.github.pcapunit.assertions.PcapunitAssertions.assertThat;
import static io.github.pcapunit.assertions.synthetic.Expected.LOST_3;
import static io.github.pcapunit.assertions.synthetic.Expected.NO_KERNEL_EVIDENCE;
import static io.github.pcapunit.assertions.synthetic.Expected.fails;
import static io.github.pcapunit.assertions.synthetic.Expected.message;
import static io.github.pcapunit.assertions.synthetic.Expected.passes;
import static io.github.pcapunit.assertions.synthetic.TrafficFile.CLIENT;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.InvalidFilterException;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.packet.DecodedPacket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every assertion of {@code PacketsAssert} over synthetic captures, passing and failing. */
class PacketsAssertTest {

    private static final String ICMP_1 = "  #9 +0.010 s ICMP 10.200.1.10 \u2192 10.200.1.20 echo request id=7 seq=1"
            + " ttl=64";
    private static final String ICMP_2 = "  #10 +0.010 s ICMP 10.200.1.20 \u2192 10.200.1.10 echo reply id=7 seq=1"
            + " ttl=64";
    private static final String ICMP_3 = "  #11 +1.010 s ICMP 10.200.1.10 \u2192 10.200.1.20 echo request id=7 seq=2"
            + " ttl=64";
    private static final String ICMP_4 = "  #12 +1.010 s ICMP 10.200.1.20 \u2192 10.200.1.10 echo reply id=7 seq=2"
            + " ttl=64";

    @TempDir
    Path dir;

    @Test
    void hasSize_countsTheSelection_andFailsListingWhatWasFound() {
        CapturedTraffic healthy = Scenarios.healthy(dir);

        passes(() -> assertThat(healthy).packets().hasSize(12));
        passes(() -> assertThat(healthy).packets().matching("icmp").hasSize(4));
        fails(() -> assertThat(healthy).packets().matching("icmp").hasSize(2), message(healthy,
                "to have 2 packets matching \"icmp\"",
                "but found 4:",
                ICMP_1, ICMP_2, ICMP_3, ICMP_4));
    }

    @Test
    void hasSize_negative_isRejectedWithTheFix() {
        CapturedTraffic healthy = Scenarios.healthy(dir);

        assertThatThrownBy(() -> assertThat(healthy).packets().hasSize(-1))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("hasSize(-1): a packet count is 0 or more, e.g. hasSize(4); use isEmpty() for no packet");
    }

    @Test
    void isEmpty_passesForAnEmptySelection_failsListingThePackets() {
        CapturedTraffic healthy = Scenarios.healthy(dir);

        passes(() -> assertThat(healthy).packets().matching("udp").isEmpty());
        fails(() -> assertThat(healthy).packets().matching("icmp and src host 10.200.1.20").isEmpty(),
                message(healthy,
                        "to have no packets matching \"icmp and src host 10.200.1.20\"",
                        "but found 2:",
                        ICMP_2, ICMP_4));
    }

    @Test
    void isEmpty_moreThanAScreenful_showsTwentyAndCountsTheRest() {
        TrafficFile file = TrafficFile.in(dir, "many");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            file.udp(i * 100_000L, CLIENT, 40000, Scenarios.OUTSIDE, 53);
            if (i < 20) {
                lines.add(String.format(java.util.Locale.ROOT, "  #%d +%.3f s UDP 10.200.1.10:40000 \u2192"
                        + " 10.200.9.9:53 len=16 ttl=64", i + 1, i * 0.1));
            }
        }
        CapturedTraffic many = file.read();
        List<String> expected = new ArrayList<>(List.of("to have no packets", "but found 25:"));
        expected.addAll(lines);
        expected.add("  ... and 5 more");

        fails(() -> assertThat(many).packets().isEmpty(), message(many, expected.toArray(String[]::new)));
    }

    @Test
    void isNotEmpty_passesWhenSomethingMatches_failsWhenNothingDoes() {
        CapturedTraffic healthy = Scenarios.healthy(dir);

        passes(() -> assertThat(healthy).packets().matching("tcp port 1433").isNotEmpty());
        fails(() -> assertThat(healthy).packets().matching("tcp port 5432").isNotEmpty(), message(healthy,
                "to have at least one of the packets matching \"tcp port 5432\"",
                "but found none.",
                NO_KERNEL_EVIDENCE));
    }

    @Test
    void allMatch_passesWhenEveryPacketDoes_failsListingTheOthers() {
        CapturedTraffic healthy = Scenarios.healthy(dir);
        CapturedTraffic reset = Scenarios.reset(dir);

        passes(() -> assertThat(healthy).packets().allMatch(p -> !p.isRst(), "to carry no RST"));
        fails(() -> assertThat(reset).packets().allMatch(p -> !p.isRst(), "to carry no RST"), message(reset,
                "to have all 4 packets to carry no RST",
                "but 1 did not:",
                "  #4 +0.250 s TCP 10.200.1.20:1433 \u2192 10.200.1.10:50204 [RST, ACK] seq=5001 ack=1001 win=64240"
                        + " len=0 ttl=64"));
    }

    @Test
    void allMatch_emptySelection_failsBecauseNothingWasChecked() {
        CapturedTraffic healthy = Scenarios.healthy(dir);

        fails(() -> assertThat(healthy).packets().matching("udp").allMatch(p -> p.ttl() > 1, "to have a TTL above 1"),
                message(healthy,
                        "to have at least one of the packets matching \"udp\"",
                        "but found none.",
                        NO_KERNEL_EVIDENCE));
    }

    @Test
    void anyMatch_passesWhenOnePacketDoes_failsWhenNoneDoes() {
        CapturedTraffic healthy = Scenarios.healthy(dir);
        CapturedTraffic retransmitted = Scenarios.retransmitted(dir);

        passes(() -> assertThat(healthy).packets().anyMatch(DecodedPacket::isFin, "to close with FIN"));
        fails(() -> assertThat(retransmitted).packets().anyMatch(DecodedPacket::isFin, "to close with FIN"),
                message(retransmitted,
                        "to have at least one of the 6 packets to close with FIN",
                        "but none did."));
    }

    @Test
    void packetMessages_stateCaptureLoss() {
        CapturedTraffic lossy = Scenarios.lossy(dir);

        fails(() -> assertThat(lossy).packets().matching("icmp").hasSize(3), message(lossy,
                "to have 3 packets matching \"icmp\"",
                "but found 4:",
                ICMP_1, ICMP_2, ICMP_3, ICMP_4,
                LOST_3));
    }

    @Test
    void matching_unsupportedFilter_namesThePart() {
        CapturedTraffic healthy = Scenarios.healthy(dir);

        assertThatThrownBy(() -> assertThat(healthy).packets().matching("ether host 00:11:22:33:44:55"))
                .isInstanceOf(InvalidFilterException.class)
                .hasMessageStartingWith("filter(\"ether host 00:11:22:33:44:55\") is not supported: unknown or"
                        + " unsupported primitive 'ether'.");
    }
}
