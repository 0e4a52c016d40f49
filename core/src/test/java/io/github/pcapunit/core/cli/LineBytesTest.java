package io.github.pcapunit.core.cli;

import static io.github.pcapunit.core.DecodeBytes.ethernet;
import static io.github.pcapunit.core.DecodeBytes.icmpEcho;
import static io.github.pcapunit.core.DecodeBytes.icmpError;
import static io.github.pcapunit.core.DecodeBytes.ipv4;
import static io.github.pcapunit.core.DecodeBytes.ipv6;
import static io.github.pcapunit.core.DecodeBytes.tcp;
import static io.github.pcapunit.core.DecodeBytes.udp;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.packet.internal.PacketDecoder;
import io.github.pcapunit.core.packet.internal.PacketFields;
import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte renderer of the command line's listing writes, for every line it renders, the bytes
 * of the text line ({@link PacketListing#text}) encoded as UTF-8, and declines only lines with
 * text outside printable ASCII.
 */
class LineBytesTest {

    @TempDir
    Path dir;

    private static final int ETHERNET = 1;
    private static final int RAW = 101;
    private static final int SLL2 = 276;

    /** Frames of every kind the decoder knows, each with its link type. */
    private static List<Object[]> frames() {
        List<Object[]> frames = new ArrayList<>();
        byte[] tcp4 = ipv4(6, "10.0.1.10", "10.0.1.20", tcp(50122, 1433, 4_000_000_000L, 3_999_999_999L, 0x12, 65535, 7));
        byte[] udp4 = ipv4(17, "192.168.255.1", "8.8.8.8", udp(5353, 53, 33));
        byte[] ping = ipv4(1, "10.0.1.10", "10.0.1.30", icmpEcho(8, 65535, 0));
        byte[] pong = ipv4(1, "10.0.1.30", "10.0.1.10", icmpEcho(0, 0, 65535));
        byte[] portUnreachable = ipv4(1, "10.0.1.20", "10.0.1.10", icmpError(3, 3, udp4));
        byte[] adminProhibited = ipv4(1, "10.0.1.1", "10.0.1.10", icmpError(3, 13, tcp4));
        byte[] unknownCode = ipv4(1, "10.0.1.1", "10.0.1.10", icmpError(3, 200, tcp4));
        byte[] timeExceeded = ipv4(1, "10.0.1.1", "10.0.1.10", icmpError(11, 1, tcp4));
        byte[] otherType = ipv4(1, "10.0.1.1", "10.0.1.10", icmpError(42, 7, new byte[0]));
        byte[] gre = ipv4(47, "10.0.0.1", "10.0.0.2", new byte[24]);
        byte[] fragment = ipv4(17, "10.0.0.1", "10.0.0.2", 3, 0x2000, new byte[0], udp(1, 2, 100));
        byte[] laterFragment = ipv4(17, "10.0.0.1", "10.0.0.2", 3, 0x0010, new byte[0], new byte[16]);
        byte[] options = ipv4(6, "10.0.0.1", "10.0.0.2", 1, 0x4000, new byte[] {1, 1, 1, 0},
                tcp(1, 65535, 0, 0, 0xff, 0, 1460));
        byte[] tcp6 = ipv6(6, "2001:db8::1", "2001:db8:0:1:0:0:0:2", 64, new byte[0], tcp(443, 60000, 1, 2, 0x11, 512, 0));
        byte[] udp6 = ipv6(17, "fe80::1:2:3:4", "ff02::fb", 255, new byte[0], udp(5353, 5353, 0));
        byte[] full6 = ipv6(17, "2001:db8:1:2:3:4:5:6", "::", 1, new byte[0], udp(0, 0, 1));
        byte[] zeros6 = ipv6(6, "1:0:0:2:0:0:0:3", "0:0:1::", 1, new byte[0], tcp(0, 0, 0, 0, 0, 0, 0));
        byte[] echo6 = ipv6(58, "::1", "::1", 64, new byte[0], icmpEcho(128, 7, 9));
        byte[] unreachable6 = ipv6(58, "fd00::1", "fd00::2", 64, new byte[0], icmpError(1, 4, udp6));
        byte[] neighbor6 = ipv6(58, "fd00::1", "ff02::1:ff00:2", 255, new byte[0], icmpError(135, 0, new byte[16]));
        for (byte[] ip : List.of(tcp4, udp4, ping, pong, portUnreachable, adminProhibited, unknownCode, timeExceeded,
                otherType, gre, fragment, laterFragment, options, tcp6, udp6, full6, zeros6, echo6, unreachable6,
                neighbor6)) {
            boolean v6 = (ip[0] >> 4) == 6;
            frames.add(new Object[] {ethernet(v6 ? 0x86DD : 0x0800, ip), ETHERNET});
            frames.add(new Object[] {ip, RAW});
            frames.add(new Object[] {sll2(v6 ? 0x86DD : 0x0800, ip), SLL2});
        }
        frames.add(new Object[] {ethernet(0x0806, new byte[28]), ETHERNET}); // ARP
        frames.add(new Object[] {ethernet(0x88cc, new byte[40]), ETHERNET}); // LLDP: an EtherType
        frames.add(new Object[] {ethernet(0x0800, new byte[] {0x45, 0, 0, 20}), ETHERNET}); // malformed
        frames.add(new Object[] {new byte[] {0x70, 1, 2}, RAW}); // IP version 7
        frames.add(new Object[] {new byte[30], 147}); // a link type the decoder does not know
        return frames;
    }

    /** A LINUX_SLL2 header (protocol, interface index 3, outgoing) before {@code payload}. */
    private static byte[] sll2(int protocol, byte[] payload) {
        byte[] b = new byte[20 + payload.length];
        b[0] = (byte) (protocol >> 8);
        b[1] = (byte) protocol;
        b[7] = 3;
        b[9] = 1;
        b[10] = 4;
        b[11] = 6;
        System.arraycopy(payload, 0, b, 20, payload.length);
        return b;
    }

    @Test
    void everyKindOfPacket_everyCut_rendersTheTextLineAsUtf8() {
        Random random = new Random(15);
        String[] names = {"eth0", null, "any", "a-long-interface-name", "", "v\u00e9th0", "a\u0001b", "tab\tname"};
        long[] frameNumbers = {1, 99_999, 999_999, 1_000_000, 1_234_567_890_123L, Long.MAX_VALUE, 0, -5};
        long base = Instant.parse("2026-11-23T10:00:00.000001Z").getEpochSecond() * 1_000_000_000L + 1000;
        long[] offsets = {0, 1, 999, 1000, 41_000, 1_500_000_000L, 86_400_000_000_123L, -1, -2_000_000_001L,
                999_999_999L, 1_000_000_000L};
        PacketFields f = new PacketFields();
        int rendered = 0;
        int declined = 0;
        for (boolean absolute : new boolean[] {false, true}) {
            PacketListing text = new PacketListing(absolute);
            LineBytes bytes = new LineBytes(absolute, 1 << 10);
            for (Object[] frame : frames()) {
                byte[] data = (byte[]) frame[0];
                int link = (Integer) frame[1];
                for (int cut = 0; cut <= data.length; cut++) {
                    String name = names[random.nextInt(names.length)];
                    f.frameNumber = frameNumbers[random.nextInt(frameNumbers.length)];
                    f.epochNanos = base + offsets[random.nextInt(offsets.length)];
                    f.interfaceId = random.nextInt(4);
                    f.interfaceName = name;
                    f.direction = Direction.values()[random.nextInt(Direction.values().length)];
                    f.capturedLength = cut;
                    f.originalLength = random.nextInt(4) == 0 ? cut : data.length;
                    PacketDecoder.decode(data, 0, cut, link, f);
                    byte[] expected = (text.text(f, base) + "\n").getBytes(StandardCharsets.UTF_8);
                    int before = bytes.len;
                    boolean done = bytes.packet(f, base, LineBytes.nameBytes(name));
                    if (done) {
                        rendered++;
                        assertThat(new String(Arrays.copyOfRange(bytes.buf, before, bytes.len), StandardCharsets.UTF_8))
                                .as("link %d, %d of %d bytes", link, cut, data.length)
                                .isEqualTo(new String(expected, StandardCharsets.UTF_8));
                        assertThat(Arrays.copyOfRange(bytes.buf, before, bytes.len)).isEqualTo(expected);
                    } else {
                        declined++;
                        assertThat(bytes.len).isEqualTo(before);
                        assertThat(name != null && LineBytes.nameBytes(name) == null).as(new String(expected,
                                StandardCharsets.UTF_8)).isTrue();
                    }
                    if (bytes.len > 1 << 16) {
                        bytes.len = 0;
                    }
                }
            }
        }
        assertThat(rendered).isGreaterThan(declined);
        assertThat(declined).isPositive();
    }

    @Test
    void anyTimeAndNumber_rendersAsTheJdkWritesIt() {
        Random random = new Random(42);
        PacketFields f = new PacketFields();
        byte[] data = ethernet(0x0800, ipv4(6, "1.2.3.4", "5.6.7.8", tcp(1, 2, 3, 4, 0x10, 5, 6)));
        for (boolean absolute : new boolean[] {false, true}) {
            PacketListing text = new PacketListing(absolute);
            LineBytes bytes = new LineBytes(absolute, 1 << 10);
            for (int i = 0; i < 20_000; i++) {
                f.frameNumber = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(10_000_000);
                long nanos = random.nextInt(4) == 0 ? random.nextLong() / 4
                        : 1_700_000_000_000_000_000L + random.nextInt(1000) * (random.nextBoolean() ? 1_000_000L
                                : random.nextBoolean() ? 1000L : 1L);
                f.epochNanos = nanos;
                f.interfaceName = null;
                f.interfaceId = random.nextInt();
                f.direction = Direction.UNKNOWN;
                f.capturedLength = random.nextInt();
                f.originalLength = random.nextInt();
                PacketDecoder.decode(data, 0, data.length, 1, f);
                f.seq = random.nextLong() >>> random.nextInt(64);
                f.ack = random.nextLong() >>> random.nextInt(64);
                f.window = random.nextInt() >>> random.nextInt(32);
                f.payloadLength = random.nextInt() >>> random.nextInt(32);
                random.nextBytes(f.src); // every octet value, over the runs
                random.nextBytes(f.dst);
                f.srcPort = random.nextInt(65536);
                long base = random.nextBoolean() ? nanos - random.nextInt() : random.nextLong() / 4;
                bytes.len = 0;
                assertThat(bytes.packet(f, base, null)).isTrue();
                assertThat(new String(bytes.buf, 0, bytes.len, StandardCharsets.UTF_8))
                        .isEqualTo(text.text(f, base) + "\n");
            }
        }
    }

    /**
     * Absolute times at both ends of a long, in an order that makes the cached second's
     * difference overflow (2262's last second, then 1677's first): the same text as the JDK's,
     * or the renderer declines the line (the text path writes it).
     */
    @Test
    void extremeAbsoluteTimes_neverReuseTheWrongSecond() {
        PacketFields f = new PacketFields();
        byte[] data = ethernet(0x0800, ipv4(17, "1.2.3.4", "5.6.7.8", udp(1, 2, 0)));
        PacketListing text = new PacketListing(true);
        LineBytes bytes = new LineBytes(true, 1 << 10);
        long[] times = {Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1_000_000_000L,
            Long.MAX_VALUE, -1, 0, 999_999_999L, 1_000_000_000L, Long.MIN_VALUE + 2_000_000_000L, Long.MAX_VALUE};
        int rendered = 0;
        for (long t : times) {
            f.epochNanos = t;
            f.frameNumber = 1;
            f.interfaceName = null;
            f.direction = Direction.UNKNOWN;
            f.capturedLength = data.length;
            f.originalLength = data.length;
            PacketDecoder.decode(data, 0, data.length, 1, f);
            bytes.len = 0;
            if (bytes.packet(f, 0, null)) {
                rendered++;
                assertThat(new String(bytes.buf, 0, bytes.len, StandardCharsets.UTF_8))
                        .as("time %d", t).isEqualTo(text.text(f, 0) + "\n");
            }
        }
        assertThat(rendered).isGreaterThanOrEqualTo(times.length - 2);
    }

    /**
     * A whole file through the command line's UTF-8 path: Ethernet, an unnamed and an "any"
     * (LINUX_SLL2) interface, journal entries between the packets, a truncated packet: the same
     * bytes as the text written through a UTF-8 Writer, relative and absolute, filtered or not.
     */
    @Test
    void fileListing_isTheTextEncoded() throws Exception {
        Path file = dir.resolve("mixed.pcapng");
        InterfaceDescription eth = InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("eth0").build();
        InterfaceDescription unnamed = InterfaceDescription.builder().linkType(LinkType.RAW).build();
        InterfaceDescription any = InterfaceDescription.builder().linkType(LinkType.LINUX_SLL2).name("any").build();
        Instant t0 = Instant.parse("2026-11-23T10:00:00.000001Z");
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.builder().build(), eth, unnamed, any)) {
            int i = 0;
            for (Object[] frame : frames()) {
                byte[] data = (byte[]) frame[0];
                int link = (Integer) frame[1];
                int iface = link == ETHERNET ? 0 : link == RAW ? 1 : link == SLL2 ? 2 : -1;
                if (iface < 0) {
                    continue;
                }
                int captured = i % 7 == 3 ? Math.min(data.length, 30) : data.length;
                w.writePacket(iface, t0.plusNanos(i * 1_234_567L), data.length, data, 0, captured,
                        PacketOptions.builder().direction(i % 3 == 0 ? Direction.INBOUND : Direction.OUTBOUND)
                                .build());
                if (i % 10 == 5) {
                    w.writeJournal(JournalEntry.builder(t0.plusNanos(i * 1_234_567L + 1))
                            .field("MESSAGE", "step " + i).field("PCAPUNIT_EVENT", "mark").build());
                }
                i++;
            }
        }
        CapturedTraffic traffic = CapturedTraffic.read(file);
        for (CapturedTraffic t : new CapturedTraffic[] {traffic, traffic.filter("icmp"), traffic.filter("udp")}) {
            for (TextFormat format : new TextFormat[] {TextFormat.relative(), TextFormat.absolute().withFooter(false),
                    TextFormat.relative().withFooter(false)}) {
                String text = format.format(t);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                format.writeUtf8(t, bytes, () -> { });
                ByteArrayOutputStream viaWriter = new ByteArrayOutputStream();
                try (Writer w = new OutputStreamWriter(viaWriter, StandardCharsets.UTF_8)) {
                    w.write(text);
                }
                assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(text);
                assertThat(bytes.toByteArray()).isEqualTo(viaWriter.toByteArray());
                if (t == traffic) {
                    assertThat(text).contains(" if1      ", " any      ", "Journal: mark: step 5", "captured)");
                }
            }
        }
    }
}
