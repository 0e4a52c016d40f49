package io.github.pcapunit.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.DecodeBytes;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code format} with a footer lists the packets from the analysis's own decode
 * ({@link TextFormat#writeUtf8OneDecode}); it must print the bytes the listing prints when it
 * reads the file itself ({@link TextFormat#writeUtf8}): the same packets in the same order, the
 * same zero of relative times (the earliest packet, not the file's first), journal lines at their
 * time, a name outside ASCII, a filter, a file cut mid-record - on a file large enough for the
 * two-thread scan and on a small one.
 */
class TextFormatOneDecodeTest {

    private static final Instant T0 = Instant.parse("2026-12-02T13:00:00.000001Z");

    @TempDir
    Path dir;

    /**
     * {@code frames} packets over "eth0" and "wlän0" (lines of the text path), the second frame
     * stamped before the first, journal entries before, among and after the packets.
     */
    private Path capture(String name, int frames) throws Exception {
        Path file = dir.resolve(name);
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.empty(),
                InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("eth0").build(),
                InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("wl\u00e4n0").build())) {
            for (int i = 0; i < frames; i++) {
                String client = "10.0.0." + (1 + i % 200);
                byte[] frame = switch (i % 5) {
                    case 0 -> DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(6, client, "10.0.1.20",
                            DecodeBytes.tcp(40000 + i % 3000, 1433, i, 0, 0x02, 64240, 0)));
                    case 1 -> DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(6, "10.0.1.20", client,
                            DecodeBytes.tcp(1433, 40000 + (i - 1) % 3000, 7, i, 0x14, 0, 0)));
                    case 2 -> DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(6, client, "10.0.1.21",
                            DecodeBytes.tcp(41000 + i % 3000, 443, i, 9, 0x18, 501, 60)));
                    case 3 -> DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(17, client, "10.0.2.53",
                            DecodeBytes.udp(50000 + i % 1000, 53, 40)));
                    default -> DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(1, client, "10.0.1.20",
                            DecodeBytes.icmpEcho(8, 7, i)));
                };
                long nanos = i == 1 ? -3_000 : i * 20_000L; // the second frame is the earliest: the zero
                w.writePacket(i % 7 == 3 ? 1 : 0, T0.plusNanos(nanos), frame.length, frame, 0, frame.length,
                        PacketOptions.builder().direction(i % 2 == 0 ? Direction.OUTBOUND : Direction.INBOUND).build());
            }
            for (long at : new long[] {-9_000, 40_010, frames / 2 * 20_000L + 5, frames * 20_000L + 1}) {
                w.writeJournal(JournalEntry.builder(T0.plusNanos(at)).field("MESSAGE", "mark at " + at).build());
            }
        }
        return file;
    }

    private static String oneDecode(TextFormat format, CapturedTraffic t) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.writeUtf8OneDecode(t, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String twoReads(TextFormat format, CapturedTraffic t) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.writeUtf8(t, out, () -> { });
        return out.toString(StandardCharsets.UTF_8);
    }

    private void assertSameListing(Path file, int packets) throws Exception {
        for (TextFormat format : List.of(TextFormat.relative(), TextFormat.absolute())) {
            for (String filter : Arrays.asList(null, "tcp", "icmp or udp", "host 10.0.0.7")) {
                CapturedTraffic t = filter == null ? CapturedTraffic.read(file) : CapturedTraffic.read(file).filter(filter);
                String expected = twoReads(format, t);
                // a fresh traffic: the listing must come from the scan, not from a scan done before
                CapturedTraffic fresh = filter == null ? CapturedTraffic.read(file) : CapturedTraffic.read(file).filter(filter);
                assertThat(oneDecode(format, fresh)).as(file.getFileName() + " " + filter).isEqualTo(expected);
                if (filter == null) {
                    assertThat(expected).contains(packets + " packets; ").contains("journal     Journal: mark at 40010")
                            .contains(" wl\u00e4n0    Rx ");
                }
            }
        }
    }

    @Test
    void largeFile_twoThreadScan_listsWhatTheListingReadsItself() throws Exception {
        Path file = capture("large.pcapng", 40_000);
        assertThat(Files.size(file)).isGreaterThan(4L << 20); // the scan runs on two threads (and an observer's)
        assertSameListing(file, 40_000);
        String text = oneDecode(TextFormat.relative(), CapturedTraffic.read(file));
        assertThat(text).contains("     2 +0.000000 eth0 ").contains("     1 +0.000003 eth0 ")
                .contains(" -0.000006 journal ");
    }

    @Test
    void smallFile_oneThreadScan_listsWhatTheListingReadsItself() throws Exception {
        assertSameListing(capture("small.pcapng", 300), 300);
    }

    @Test
    void fileCutMidRecord_listsAndCountsTheSamePackets() throws Exception {
        Path whole = capture("whole.pcapng", 40_000);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.pcapng");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length * 2 / 3 + 5));
        CapturedTraffic t = CapturedTraffic.read(cut);
        String expected = twoReads(TextFormat.relative(), t);
        assertThat(oneDecode(TextFormat.relative(), CapturedTraffic.read(cut))).isEqualTo(expected);
        assertThat(expected).contains("ends in an incomplete record");
    }

    @Test
    void trafficScannedBefore_isListedByReadingTheFile() throws Exception {
        Path file = capture("scanned.pcapng", 300);
        CapturedTraffic t = CapturedTraffic.read(file);
        t.packetCount(); // nothing left to observe: the listing reads the file itself
        assertThat(oneDecode(TextFormat.relative(), t)).isEqualTo(twoReads(TextFormat.relative(), t));
    }
}
