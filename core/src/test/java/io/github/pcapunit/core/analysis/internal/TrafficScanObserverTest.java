package io.github.pcapunit.core.analysis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.pcapunit.core.DecodeBytes;
import io.github.pcapunit.core.packet.internal.PacketFields;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TrafficScan#observed}: the scan hands every packet its filter keeps, decoded, in file
 * order, to a {@link PacketObserver} - on one thread and on two (then from a third thread) -,
 * exactly the packets a separate read of the file decodes, and finds what an unobserved scan
 * finds. An observer's failure fails the scan and ends its threads.
 */
class TrafficScanObserverTest {

    private static final long T0 = 1_764_669_600_000_000_000L;

    @TempDir
    Path dir;

    /** TCP, UDP and ICMP frames over two interfaces: 30,000 frames, 60 batches of the two-thread scan. */
    private Path traffic() throws Exception {
        Path file = dir.resolve("traffic.pcapng");
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.empty(),
                InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("veth-a").build(),
                InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("veth-b").build())) {
            for (int i = 0; i < 30_000; i++) {
                String client = "10.0.0." + (1 + i % 200);
                byte[] frame = switch (i % 4) {
                    case 0 -> DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(6, client, "10.0.1.20",
                            DecodeBytes.tcp(40000 + i % 5000, 1433, i, 0, 0x02, 64240, 0)));
                    case 1 -> DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(6, "10.0.1.20", client,
                            DecodeBytes.tcp(1433, 40000 + i % 5000, 7, i, 0x14, 0, 0)));
                    case 2 -> DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(17, client, "10.0.2.53",
                            DecodeBytes.udp(50000 + i % 1000, 53, 20 + i % 50)));
                    default -> DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(1, client, "10.0.1.20",
                            DecodeBytes.icmpEcho(8, 7, i)));
                };
                w.writePacket(i % 2, T0 + i * 10_000L, frame.length, frame, 0, frame.length, PacketOptions.none());
            }
        }
        return file;
    }

    /** What a line of a listing is made of, per packet. */
    private static String key(PacketFields f) {
        return f.frameNumber + " " + f.epochNanos + " " + f.interfaceName + " " + f.protocol + " " + f.srcPort + " "
                + f.dstPort + " " + f.tcpFlags + " " + f.seq + " " + f.ack + " " + f.icmpSeq + " " + f.payloadLength
                + " " + f.capturedLength + " " + f.originalLength + " " + f.truncated;
    }

    private static List<String> observedScan(Path file, PacketMatcher m, boolean twoThreads, long[] packets) {
        List<String> seen = new ArrayList<>();
        boolean taken = TrafficScan.observed(f -> seen.add(key(f)),
                () -> packets[0] = TrafficScan.scan(file, m, null, twoThreads).wire.packets);
        assertThat(taken).isTrue();
        return seen;
    }

    @Test
    void observer_seesEveryKeptPacketDecoded_inFileOrder_onOneThreadAndOnTwo() throws Exception {
        Path file = traffic();
        for (String filter : List.of("", "tcp", "udp or icmp", "host 10.0.0.7")) {
            PacketMatcher m = filter.isEmpty() ? null : PacketMatcher.parse(filter);
            List<String> expected;
            try (Stream<PacketFields> s = TrafficScan.packets(file, m)) {
                expected = s.map(TrafficScanObserverTest::key).collect(Collectors.toList());
            }
            long[] unobserved = {TrafficScan.scan(file, m, null, true).wire.packets};
            for (boolean two : List.of(false, true)) {
                long[] packets = {-1};
                assertThat(observedScan(file, m, two, packets)).as(filter + (two ? ", two threads" : ", one"))
                        .isEqualTo(expected);
                assertThat(packets[0]).isEqualTo(unobserved[0]).isEqualTo(expected.size());
            }
        }
    }

    /**
     * Many observed two-thread scans in a row: a batch handed to the observer's thread could be
     * recycled, refilled and flagged last by the reader before the analysing thread looked at its
     * flag, which then ended early and left the scan waiting (hung about one scan in two).
     */
    @Test
    void manyObservedScans_eachEnds_andSeesEveryPacket() throws Exception {
        Path file = traffic();
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int i = 0; i < 40; i++) {
                long[] count = {0};
                long[] packets = {-1};
                TrafficScan.observed(f -> count[0]++, () -> packets[0] = TrafficScan.scan(file, null, null, true).wire.packets);
                assertThat(count[0]).as("scan " + i).isEqualTo(30_000).isEqualTo(packets[0]);
            }
        });
    }

    @Test
    void onlyTheFirstScanOfTheWork_isObserved_andNothingWhenTheWorkScansNothing() throws Exception {
        Path file = traffic();
        long[] count = {0};
        assertThat(TrafficScan.observed(f -> count[0]++, () -> { })).isFalse();
        assertThat(TrafficScan.observed(f -> count[0]++, () -> {
            TrafficScan.scan(file, PacketMatcher.parse("icmp"), null, true);
            TrafficScan.scan(file, null, null, true); // not observed
        })).isTrue();
        assertThat(count[0]).isEqualTo(7_500);
        TrafficScan.scan(file, null, null, false); // after the work: not observed either
        assertThat(count[0]).isEqualTo(7_500);
    }

    @Test
    void anObserversFailure_failsTheScan_andEndsItsThreads() throws Exception {
        Path file = traffic();
        for (boolean two : List.of(false, true)) {
            long[] count = {0};
            PacketObserver failing = f -> {
                if (++count[0] == 10_000) {
                    throw new IllegalStateException("the listing cannot write");
                }
            };
            assertThatThrownBy(() -> TrafficScan.observed(failing, () -> TrafficScan.scan(file, null, null, two)))
                    .isInstanceOf(IllegalStateException.class).hasMessage("the listing cannot write");
            assertThat(count[0]).isEqualTo(10_000); // no call after the failure
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
                t -> t.getName().equals("pcapunit-observer") || t.getName().equals("pcapunit-analysis"));
        assertThat(Files.size(file)).isPositive();
    }
}
