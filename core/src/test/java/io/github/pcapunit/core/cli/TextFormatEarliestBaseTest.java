package io.github.pcapunit.core.cli;

import static io.github.pcapunit.core.DecodeBytes.ethernet;
import static io.github.pcapunit.core.DecodeBytes.ipv4;
import static io.github.pcapunit.core.DecodeBytes.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero of relative times, in the listing and in the verdicts alike, is the capture's earliest
 * packet, not the file's first: TCP stamps a SYN when it builds it, so a SYN that waited for ARP
 * is written after the ARP request with an earlier time. Before, the verdict read
 * "SYN ... at +-0.000 s".
 */
class TextFormatEarliestBaseTest {

    private static final Instant T0 = Instant.parse("2026-12-02T13:00:00.000001Z");

    @TempDir
    Path dir;

    @Test
    void aSynStampedBeforeTheFilesFirstPacket_isTheZero_ofTheListingAndTheVerdict() {
        Path file = dir.resolve("arp-first.pcapng");
        byte[] arp = ethernet(0x0806, new byte[28]);
        byte[] syn = ethernet(0x0800, ipv4(6, "10.0.1.10", "10.0.1.20", tcp(50122, 1433, 1000, 0, 0x02, 64240, 0)));
        byte[] rst = ethernet(0x0800, ipv4(6, "10.0.1.20", "10.0.1.10", tcp(1433, 50122, 0, 1001, 0x14, 0, 0)));
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.empty(),
                InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("eth0").build())) {
            w.writePacket(0, T0.plusNanos(257_000), arp.length, arp, 0, arp.length, PacketOptions.none());
            w.writePacket(0, T0, syn.length, syn, 0, syn.length,
                    PacketOptions.builder().direction(Direction.OUTBOUND).build());
            w.writePacket(0, T0.plusNanos(800_000), rst.length, rst, 0, rst.length,
                    PacketOptions.builder().direction(Direction.INBOUND).build());
        }

        String text = TextFormat.relative().format(CapturedTraffic.read(file));

        assertThat(text).contains("     1 +0.000257 eth0 ").contains("     2 +0.000000 eth0     Tx TCP 10.0.1.10:50122")
                .contains("     3 +0.000800 eth0     Rx TCP")
                .contains("  SYN 10.0.1.10:50122 \u2192 10.0.1.20:1433 at +0.000 s refused: RST from 10.0.1.20:1433"
                        + " at +0.001 s")
                .doesNotContain("+-").doesNotContain(" -0.");
        assertThat(CapturedTraffic.read(file).fileFirstPacketTime()).contains(T0);
    }
}
