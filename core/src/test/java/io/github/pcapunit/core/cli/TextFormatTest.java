package io.github.pcapunit.core.cli;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.cli.Pcapunit;
import io.github.pcapunit.core.cli.TextFormat;
import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.InterfaceStatistics;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;

import static io.github.pcapunit.core.DecodeBytes.ethernet;
import static io.github.pcapunit.core.DecodeBytes.icmpEcho;
import static io.github.pcapunit.core.DecodeBytes.ipv4;
import static io.github.pcapunit.core.DecodeBytes.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class TextFormatTest {

    public static final Instant T0 = Instant.parse("2026-11-23T10:00:00.000001Z");

    @TempDir
    Path dir;

    /** SYN out, RST back, a journal mark, an unanswered echo request; ISB with 3 kernel drops. */
    public static Path sample(Path dir) {
        Path file = dir.resolve("sample.pcapng");
        InterfaceDescription eth = InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("eth0").build();
        SectionHeader shb = SectionHeader.builder().comment("pcapunit test capture\nkernel evidence off").build();
        byte[] syn = ethernet(0x0800, ipv4(6, "10.0.1.10", "10.0.1.20", tcp(50122, 1433, 1000, 0, 0x02, 64240, 0)));
        byte[] rst = ethernet(0x0800, ipv4(6, "10.0.1.20", "10.0.1.10", tcp(1433, 50122, 0, 1001, 0x14, 0, 0)));
        byte[] ping = ethernet(0x0800, ipv4(1, "10.0.1.10", "10.0.1.30", icmpEcho(8, 77, 1)));
        try (PcapngWriter w = PcapngWriter.open(file, shb, eth)) {
            w.writePacket(0, T0, syn.length, syn, 0, syn.length,
                    PacketOptions.builder().direction(Direction.OUTBOUND).build());
            w.writePacket(0, T0.plusNanos(41_000), rst.length, rst, 0, rst.length,
                    PacketOptions.builder().direction(Direction.INBOUND).build());
            w.writePacket(0, T0.plusMillis(1500), ping.length, ping, 0, 44, PacketOptions.none());
            // Journal entries come last in the file but belong in the timeline by their time.
            w.writeJournal(JournalEntry.builder(T0.plusMillis(1)).field("MESSAGE", "test placesOrder ended")
                    .field("PCAPUNIT_EVENT", "mark").build());
            w.writeStatistics(0, InterfaceStatistics.builder().ifRecv(6).osDrop(3).ifDrop(0).build());
        }
        return file;
    }

    static final String EXPECTED = String.join("\n",
            "     1 +0.000000 eth0     Tx TCP 10.0.1.10:50122 \u2192 10.0.1.20:1433 [SYN] seq=1000 win=64240 len=0 ttl=64 (54 bytes)",
            "     2 +0.000041 eth0     Rx TCP 10.0.1.20:1433 \u2192 10.0.1.10:50122 [RST, ACK] seq=0 ack=1001 win=0 len=0 ttl=64 (54 bytes)",
            "       +0.001000 journal     Journal: mark: test placesOrder ended",
            "     3 +1.500000 eth0     -- ICMP 10.0.1.10 \u2192 10.0.1.30 echo request id=77 seq=1 ttl=64 (50 bytes, 44 captured)",
            "3 packets; the capture is incomplete: the kernel buffer dropped 3 packets",
            "Drop: [CAPTURE CAPTURE_LOSS] capture lost packets on eth0: 3 dropped by the kernel buffer",
            "Flows: 2 (1 refused by the server, 1 unanswered)",
            "Verdict: [REFUSED, inferred] TCP 10.0.1.10:50122 \u2192 10.0.1.20:1433 was refused by the server 10.0.1.20:"
                    + " it answered the SYN with a reset",
            "  SYN 10.0.1.10:50122 \u2192 10.0.1.20:1433 at +0.000 s refused: RST from 10.0.1.20:1433 at +0.000 s",
            "  the RST from 10.0.1.20 arrived with TTL 64; nothing else from 10.0.1.20 was captured to compare it with:"
                    + " the origin is unverified",
            "Verdict: [UNANSWERED, observed] ICMP echo 10.0.1.10 \u2192 10.0.1.30 id=77 was not answered: 1 request, 0"
                    + " answered; where it was lost is not recorded",
            "  ICMP echo request 10.0.1.10 \u2192 10.0.1.30 id=77 sent 1\u00d7 (seq 1) at +1.500 s, no echo reply",
            "Diagnosis: 10.0.1.20: no ICMP echo was sent; port 1433: TCP 10.0.1.10:50122 \u2192 10.0.1.20:1433 was"
                    + " refused by the server 10.0.1.20: it answered the SYN with a reset \u2014 the server refuses the"
                    + " port (nothing listens, or a rule rejects it)",
            "Diagnosis: 10.0.1.30: ICMP echo not answered",
            "");

    @Test
    void relativeFormat_ofSampleCapture_isPinned() {
        assertThat(TextFormat.relative().format(CapturedTraffic.read(sample(dir)))).isEqualTo(EXPECTED);
    }

    @Test
    void absoluteFormatWithoutFooter_printsUtcInstantsOnly() {
        String text = TextFormat.absolute().withFooter(false).format(CapturedTraffic.read(sample(dir)));

        assertThat(text.lines()).hasSize(4);
        assertThat(text.lines().findFirst().orElseThrow())
                .startsWith("     1 2026-11-23T10:00:00.000001Z eth0     Tx TCP 10.0.1.10:50122");
        assertThat(text).doesNotContain("Drop:");
    }

    @Test
    void filteredTraffic_rendersOnlyMatchingPacketsAndSaysSo() {
        String text = TextFormat.relative().format(CapturedTraffic.read(sample(dir)).filter("icmp"));

        assertThat(text).contains("3 +1.500000 eth0").doesNotContain("[SYN]")
                .contains("1 packet matching \"icmp\"; the capture is incomplete");
    }

    @Test
    void cliFormat_printsTheSameTextAsTheApi() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Pcapunit.run(new String[] {"format", sample(dir).toString()}, new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(EXPECTED);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void cliNoFooterThenAbsolute_listsWithoutFooter_inEitherOrder() {
        for (String[] options : new String[][] {{"--no-footer", "--absolute"}, {"--absolute", "--no-footer"}}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = Pcapunit.run(new String[] {"format", options[0], options[1], sample(dir).toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));

            assertThat(status).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).as(String.join(" ", options))
                    .isEqualTo(TextFormat.absolute().withFooter(false).format(CapturedTraffic.read(sample(dir))))
                    .doesNotContain("packets;").doesNotContain("Verdict:");
        }
    }

    @Test
    void line_ofOnePacket_isItsListingLine() {
        CapturedTraffic traffic = CapturedTraffic.read(sample(dir));
        try (java.util.stream.Stream<io.github.pcapunit.core.packet.DecodedPacket> packets = traffic.packets()) {
            io.github.pcapunit.core.packet.DecodedPacket rst = packets.skip(1).findFirst().orElseThrow();

            assertThat(TextFormat.relative().line(rst, T0)).isEqualTo(EXPECTED.lines().skip(1).findFirst().orElseThrow());
            assertThat(TextFormat.relative().line(rst, null)).startsWith("     2 +0.000000 eth0     Rx TCP");
        }
    }

    @Test
    void cliWithBadArguments_exitsWith2AndSaysWhy() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertThat(Pcapunit.run(new String[] {"formatt", "x"}, o, e)).isEqualTo(2);
        assertThat(Pcapunit.run(new String[] {"format", dir.resolve("missing.pcapng").toString()}, o, e)).isEqualTo(2);
        assertThat(Pcapunit.run(new String[] {"format", "--filter", "tcp port bogus", sample(dir).toString()}, o, e))
                .isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("unknown command 'formatt': the commands are 'format' and 'recover'.")
                .contains("pcapunit format: CapturedTraffic.read(" + dir.resolve("missing.pcapng") + "): no such file.")
                .contains("filter(\"tcp port bogus\") is not supported: port 'bogus' is not a number");
    }

    /**
     * The command line's UTF-8 listing (a one-byte stand-in for the arrow, marker characters of
     * names and journal text escaped) gives the bytes of the text as a UTF-8 Writer would: names
     * and messages with those very characters, non-Latin-1 text, a lone surrogate, padding by
     * the name's own length.
     */
    @Test
    void utf8Listing_isTheTextEncoded_evenWithMarkerCharactersInNamesAndJournal() throws Exception {
        Path file = dir.resolve("names.pcapng");
        String hostile = "a\u0001\u0002b";
        InterfaceDescription odd = InterfaceDescription.builder().linkType(LinkType.ETHERNET).name(hostile).build();
        InterfaceDescription wide = InterfaceDescription.builder().linkType(LinkType.ETHERNET)
                .name("v\u00e9th\u2192\ud83d\ude00").build();
        InterfaceDescription lone = InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("x\ud800").build();
        byte[] syn = ethernet(0x0800, ipv4(6, "10.0.1.10", "10.0.1.20", tcp(50122, 1433, 1000, 0, 0x02, 64240, 0)));
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.builder().build(), odd, wide, lone)) {
            for (int i = 0; i < 3; i++) {
                w.writePacket(i, T0.plusMillis(i), syn.length, syn, 0, syn.length, PacketOptions.none());
            }
            w.writeJournal(JournalEntry.builder(T0.plusNanos(500_000)).field("MESSAGE", "x" + hostile + "\u2192\u00d7")
                    .build());
        }
        CapturedTraffic traffic = CapturedTraffic.read(file);
        for (TextFormat format : new TextFormat[] {TextFormat.relative(), TextFormat.absolute().withFooter(false)}) {
            String text = format.format(traffic);
            assertThat(text).contains(" " + hostile + "     -- ", "\u00d7\n", "journal     Journal: x" + hostile);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            format.writeUtf8(traffic, bytes, () -> { });
            ByteArrayOutputStream viaWriter = new ByteArrayOutputStream();
            try (java.io.Writer w = new java.io.OutputStreamWriter(viaWriter, StandardCharsets.UTF_8)) {
                w.write(text);
            }
            assertThat(bytes.toByteArray()).isEqualTo(viaWriter.toByteArray());
        }
    }
}
