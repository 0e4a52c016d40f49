package io.github.pcapunit.core.analysis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.DecodeBytes;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large file's scan reads on one thread and decodes and analyses on another
 * ({@code TrafficScan.Handoff}); it must find exactly what the one-thread scan finds: frame
 * counts and times, flows, copies seen at a second interface, drops (wire, epb_verdict), verdicts,
 * with and without a filter. The files here are small, so both ways are asked for explicitly.
 */
class TrafficScanHandoffTest {

    private static final long T0 = 1_764_669_600_000_000_000L;
    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int ACK = 0x10;

    @TempDir
    Path dir;

    private record Frame(long nanos, int iface, byte[] bytes, boolean dropped) {
    }

    private static byte[] tcp(String src, int sport, String dst, int dport, int flags, long seq, long ack, int payload) {
        return DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(6, src, dst,
                DecodeBytes.tcp(sport, dport, seq, ack, flags, 64240, payload)));
    }

    /**
     * Mixed traffic over two interfaces, thousands of frames (many batches): healthy, refused,
     * unanswered and retransmitting connections to 1433, UDP queries (some answered by ICMP port
     * unreachable), pings; about half the frames seen again on the second interface a little later
     * (copies), a few carrying an epb_verdict drop.
     */
    private Path mixed() throws Exception {
        Random rnd = new Random(42);
        List<Frame> frames = new ArrayList<>();
        String server = "10.0.1.20";
        for (int c = 0; c < 600; c++) {
            String client = "10.0.0." + (1 + c % 200);
            int port = 40000 + c;
            long t = c * 300_000L;
            long seq = 1000L * c;
            int kind = rnd.nextInt(10);
            if (kind == 0) { // refused
                frames.add(new Frame(t, 0, tcp(client, port, server, 1433, SYN, seq, 0, 0), false));
                frames.add(new Frame(t + 50_000, 0, tcp(server, 1433, client, port, RST | ACK, 0, seq + 1, 0), false));
                continue;
            }
            if (kind == 1) { // unanswered, the last SYN dropped by XDP
                for (int i = 0; i < 3; i++) {
                    frames.add(new Frame(t + i * 1_000_000_000L, 0, tcp(client, port, server, 1433, SYN, seq, 0, 0), i == 2));
                }
                continue;
            }
            frames.add(new Frame(t, 0, tcp(client, port, server, 1433, SYN, seq, 0, 0), false));
            frames.add(new Frame(t + 40_000, 0, tcp(server, 1433, client, port, SYN | ACK, 9000, seq + 1, 0), false));
            frames.add(new Frame(t + 80_000, 0, tcp(client, port, server, 1433, ACK, seq + 1, 9001, 0), false));
            long s = seq + 1;
            for (int i = 0; i < 3; i++) {
                frames.add(new Frame(t + 100_000 + i * 20_000, 0, tcp(client, port, server, 1433, ACK, s, 9001, 100), false));
                if (kind == 2 && i == 1) { // retransmitted
                    frames.add(new Frame(t + 110_000 + i * 20_000, 0, tcp(client, port, server, 1433, ACK, s, 9001, 100), false));
                }
                s += 100;
                frames.add(new Frame(t + 105_000 + i * 20_000, 0, tcp(server, 1433, client, port, ACK, 9001, s, 0), false));
            }
            frames.add(new Frame(t + 200_000, 0, tcp(client, port, server, 1433, FIN | ACK, s, 9001, 0), false));
            frames.add(new Frame(t + 210_000, 0, tcp(server, 1433, client, port, FIN | ACK, 9001, s + 1, 0), false));
            frames.add(new Frame(t + 220_000, 0, tcp(client, port, server, 1433, ACK, s + 1, 9002, 0), false));
        }
        for (int u = 0; u < 300; u++) {
            long t = 5_000_000L + u * 500_000L;
            byte[] query = DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(17, "10.0.0.9", "10.0.2.53",
                    DecodeBytes.udp(50000 + u, 53, 20)));
            frames.add(new Frame(t, 0, query, false));
            if (u % 3 == 0) {
                frames.add(new Frame(t + 30_000, 0, DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(1, "10.0.2.53", "10.0.0.9",
                        DecodeBytes.icmpError(3, 3, java.util.Arrays.copyOfRange(query, 14, 14 + 28)))), false));
            } else if (u % 3 == 1) {
                frames.add(new Frame(t + 30_000, 0, DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(17, "10.0.2.53", "10.0.0.9",
                        DecodeBytes.udp(53, 50000 + u, 40))), false));
            }
            frames.add(new Frame(t + 1_000, 0, DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(1, "10.0.0.9", server,
                    DecodeBytes.icmpEcho(8, 7, u))), false));
            if (u % 5 != 0) {
                frames.add(new Frame(t + 2_000, 0, DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(1, server, "10.0.0.9",
                        DecodeBytes.icmpEcho(0, 7, u))), false));
            }
        }
        List<Frame> all = new ArrayList<>(frames);
        for (Frame f : frames) {
            if (rnd.nextBoolean()) {
                all.add(new Frame(f.nanos() + 7_000, 1, f.bytes(), false)); // the same packet at the second interface
            }
        }
        all.sort(Comparator.comparingLong(Frame::nanos));
        Path file = dir.resolve("mixed.pcapng");
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.empty(),
                InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("veth-a").build(),
                InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("veth-b").build())) {
            for (Frame f : all) {
                PacketOptions o = f.dropped() ? PacketOptions.builder()
                        .verdict(PacketOptions.VERDICT_LINUX_EBPF_XDP, 1).build() : PacketOptions.none();
                w.writePacket(f.iface(), T0 + f.nanos(), f.bytes().length, f.bytes(), 0, f.bytes().length, o);
            }
        }
        assertThat(all.size()).isGreaterThan(5_000);
        return file;
    }

    /** Everything a scan found that the public answers are made of, as text. */
    private static String found(TrafficScan.Scan s) {
        StringBuilder b = new StringBuilder();
        AnalysisResult w = s.wire;
        b.append(w.packets).append(' ').append(w.truncated).append(' ').append(w.malformed).append(' ')
                .append(w.firstNanos).append(' ').append(w.lastNanos).append(' ').append(s.baseNanos).append('\n');
        w.tcp.forEach(c -> b.append(c.summary()).append(' ').append(c.allRetransmissions()).append('\n'));
        w.udp.forEach(u -> b.append(u.flow()).append(' ').append(u.requests).append(' ').append(u.responses)
                .append(' ').append(u.unreachable).append('\n'));
        b.append(w.echoes.size()).append(' ').append(w.echoRequests).append(' ').append(w.echoReplies).append(' ')
                .append(w.unreachable.size()).append(' ').append(w.destinations.destinations()).append('\n');
        s.drops.forEach(d -> b.append(d).append('\n'));
        s.verdicts().all().forEach(v -> b.append(v).append(' ').append(v.evidence()).append('\n'));
        b.append(s.verdicts().fates()).append(' ').append(s.journal.size()).append(' ').append(s.incompleteness());
        return b.toString();
    }

    @Test
    void twoThreads_findWhatOneThreadFinds() throws Exception {
        List<Path> files = new ArrayList<>(List.of(mixed()));
        String inputs = "/io/github/pcapunit/core/fuzz/CapturedTrafficFuzzTestInputs/"
                + "anyFile_isAnalysedOrRejectedWithDocumentedException/";
        for (String name : List.of("loopback-60k.pcap", "loopback-tcp-udp-icmp.pcap", "epb-verdicts.pcapng",
                "all-blocks.pcapng")) {
            Path f = dir.resolve(name);
            try (InputStream in = getClass().getResourceAsStream(inputs + name)) {
                Files.copy(Objects.requireNonNull(in, name), f);
            }
            files.add(f);
        }
        for (Path file : files) {
            for (String filter : List.of("", "tcp", "udp or icmp", "port 1433 and host 10.0.0.7")) {
                PacketMatcher m = filter.isEmpty() ? null : PacketMatcher.parse(filter);
                String one = found(TrafficScan.scan(file, m, null, false));
                String two = found(TrafficScan.scan(file, m, null, true));
                assertThat(two).as(file.getFileName() + " " + filter).isEqualTo(one);
            }
        }
        TrafficScan.Scan s = TrafficScan.scan(files.get(0), null, null, true);
        assertThat(s.wire.tcp).hasSize(600);
        assertThat(s.drops).anySatisfy(d -> assertThat(d.toString()).contains("XDP_DROP"));
        assertThat(s.wire.packets).isGreaterThan(5_000);
    }

    /**
     * A second interface defined mid-section, then a non-IP frame on it, then an IP packet on the
     * first interface and its copy on the second: both scans see two interfaces when the packet is
     * read and fold the copy into it (before, the one-thread scan refreshed its interface count
     * only on IP packets and counted the packet twice, the two-thread one once).
     */
    @Test
    void interfaceAddedMidSection_copiesFoldedAlikeOnOneAndTwoThreads() throws Exception {
        Path file = dir.resolve("late-interface.pcapng");
        byte[] arp = DecodeBytes.ethernet(0x0806, new byte[28]);
        byte[] syn = tcp("10.0.0.1", 40000, "10.0.1.20", 1433, SYN, 0, 0, 0);
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.empty(),
                InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("veth-a").build())) {
            w.writePacket(0, T0, syn.length, syn, 0, syn.length, PacketOptions.none());
            int b = w.addInterface(InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("veth-b").build());
            w.writePacket(b, T0 + 1_000, arp.length, arp, 0, arp.length, PacketOptions.none());
            byte[] again = tcp("10.0.0.1", 40001, "10.0.1.20", 1433, SYN, 0, 0, 0);
            w.writePacket(0, T0 + 2_000, again.length, again, 0, again.length, PacketOptions.none());
            w.writePacket(b, T0 + 9_000, again.length, again, 0, again.length, PacketOptions.none());
        }
        TrafficScan.Scan one = TrafficScan.scan(file, null, null, false);
        assertThat(found(TrafficScan.scan(file, null, null, true))).isEqualTo(found(one));
        assertThat(one.wire.tcp).as("the copy is not a retransmission").allSatisfy(
                c -> assertThat(c.allRetransmissions()).isZero());
    }

    @Test
    void largePackets_areHandedOverInBatchesOfBoundedSize_withTheSameResult() throws Exception {
        Path file = dir.resolve("jumbo.pcapng");
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.empty(),
                InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("eth0").snaplen(65535).build())) {
            long t = 0;
            for (int c = 0; c < 40; c++) {
                int port = 41000 + c;
                List<byte[]> frames = new ArrayList<>();
                frames.add(tcp("10.0.0.1", port, "10.0.1.20", 1433, SYN, 0, 0, 0));
                frames.add(tcp("10.0.1.20", 1433, "10.0.0.1", port, SYN | ACK, 500, 1, 0));
                frames.add(tcp("10.0.0.1", port, "10.0.1.20", 1433, ACK, 1, 501, 0));
                for (int i = 0; i < 20; i++) { // 9,000-byte segments, every fifth sent twice
                    byte[] seg = tcp("10.0.0.1", port, "10.0.1.20", 1433, ACK, 1 + 9000L * i, 501, 9000);
                    frames.add(seg);
                    if (i % 5 == 4) {
                        frames.add(seg);
                    }
                }
                for (byte[] f : frames) {
                    w.writePacket(0, T0 + (t += 10_000), f.length, f, 0, f.length, PacketOptions.none());
                }
            }
        }
        assertThat(Files.size(file)).isGreaterThan(7_000_000); // batches handed over by size, not count
        String one = found(TrafficScan.scan(file, null, null, false));
        assertThat(found(TrafficScan.scan(file, null, null, true))).isEqualTo(one);
        assertThat(one).contains("retransmissions");
    }

    @Test
    void aFileThatCannotBeRead_failsTheSameWay_andEndsTheAnalysingThread() throws Exception {
        Path file = mixed();
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.pcapng");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2 + 3));
        // cut mid-record: analysed up to the cut, the truncation said
        assertThat(found(TrafficScan.scan(cut, null, null, true))).isEqualTo(found(TrafficScan.scan(cut, null, null, false)));
        Path bad = dir.resolve("bad.pcapng");
        byte[] broken = bytes.clone();
        // a block length in the middle that is not a multiple of 4
        int at = findEpb(broken, broken.length / 2);
        broken[at + 4] = 0x3;
        Files.write(bad, broken);
        Throwable one = catchIt(() -> TrafficScan.scan(bad, null, null, false));
        Throwable two = catchIt(() -> TrafficScan.scan(bad, null, null, true));
        assertThat(two).isNotNull().hasSameClassAs(one).hasMessage(one.getMessage());
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("pcapunit-analysis"));
    }

    /** Offset of the first Enhanced Packet Block at or after {@code from} (little-endian file). */
    private static int findEpb(byte[] b, int from) {
        int p = 0;
        while (p + 8 <= b.length) {
            int type = (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
            int len = (b[p + 4] & 0xff) | (b[p + 5] & 0xff) << 8 | (b[p + 6] & 0xff) << 16 | (b[p + 7] & 0xff) << 24;
            if (type == 6 && p >= from) {
                return p;
            }
            p += len;
        }
        throw new AssertionError("no EPB after " + from);
    }

    private static Throwable catchIt(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
