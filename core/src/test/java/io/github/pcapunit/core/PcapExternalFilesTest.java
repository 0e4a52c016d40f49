package io.github.pcapunit.core;

import io.github.pcapunit.core.pcapng.DecryptionSecrets;
import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.Packet;
import io.github.pcapunit.core.pcapng.PcapReader;
import io.github.pcapunit.core.pcapng.SectionHeader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by other tools — tcpdump, editcap, mergecap, hand-made big-endian ones — read
 * with the same packet count, lengths and nanosecond timestamps tshark reports.
 */
class PcapExternalFilesTest {

    @TempDir
    Path dir;

    /** "timestampNanos capLen origLen" per packet, from our reader. */
    static List<String> ours(Path f) {
        List<String> rows = new ArrayList<>();
        try (PcapReader r = PcapReader.open(f)) {
            while (r.nextPacket()) {
                rows.add("#" + r.frameNumber() + " " + r.timestampNanos() + " " + r.capturedLength()
                        + " " + r.originalLength());
            }
            assertThat(r.truncatedAt()).isEmpty();
        }
        return rows;
    }

    /** The same from tshark; custom blocks are frames there but not packets (no timestamp). */
    static List<String> tsharks(Path f) {
        List<String> rows = new ArrayList<>();
        for (String line : PcapTools.tsharkFields(f, "frame.number", "frame.time_epoch", "frame.cap_len",
                "frame.len", "frame.cb_pen")) {
            String[] c = line.split("\\|", -1);
            if (c[4].isEmpty()) {
                rows.add("#" + c[0] + " " + PcapTools.epochNanos(c[1]) + " " + c[2] + " " + c[3]);
            }
        }
        return rows;
    }

    static void assertSameAsTshark(Path f, int expectedPackets) {
        List<String> ours = ours(f);
        assertThat(ours).hasSize(expectedPackets);
        assertThat(ours).as("%s read by pcapunit vs tshark", f.getFileName()).isEqualTo(tsharks(f));
    }

    private static int packetsIn(Path f) {
        if (!java.nio.file.Files.exists(f)) {
            return 0;
        }
        try (PcapReader r = PcapReader.open(f)) {
            int n = 0;
            while (r.nextPacket()) {
                n++;
            }
            return n;
        } catch (PcapFormatException e) {
            return 0; // header not written yet
        }
    }

    /** Captures {@code count} UDP datagrams to 127.0.0.1 with tcpdump. */
    private Path tcpdump(String name, int count, String... extra) throws Exception {
        Path out = dir.resolve(name);
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = receiver.getLocalPort();
            List<String> cmd = new ArrayList<>(List.of("tcpdump", "-i", "lo", "-n", "-U", "--immediate-mode",
                    // immediate mode uses one ring slot per snaplen: a small snaplen keeps bursts
                    "-s", "512", "-B", "8192", "-w", out.toString()));
            cmd.addAll(List.of(extra));
            cmd.addAll(List.of("udp", "and", "dst", "port", Integer.toString(port)));
            Process p = new ProcessBuilder(cmd).start();
            try {
                CountDownLatch listening = new CountDownLatch(1);
                Thread t = new Thread(() -> {
                    try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                        for (String l; (l = err.readLine()) != null;) {
                            if (l.contains("listening on")) {
                                listening.countDown();
                            }
                        }
                    } catch (java.io.IOException ignored) {
                        // process ended
                    }
                });
                t.setDaemon(true);
                t.start();
                assertThat(listening.await(20, TimeUnit.SECONDS)).as("tcpdump started").isTrue();
                for (int i = 0; i < count; i++) {
                    byte[] payload = ("datagram " + i + " ").repeat(1 + i % 7).getBytes(StandardCharsets.UTF_8);
                    sender.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port));
                }
                // --immediate-mode + -U: each packet reaches the file on its own; wait until all did
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (packetsIn(out) < count && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            } finally {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            }
        }
        return out;
    }

    @Test
    void tcpdumpMicroAndNanoFiles_readLikeTshark() throws Exception {
        Path us = tcpdump("lo-us.pcap", 40);
        Path ns = tcpdump("lo-ns.pcap", 30, "--time-stamp-precision=nano");
        assertSameAsTshark(us, 40);
        assertSameAsTshark(ns, 30);
        try (PcapReader r = PcapReader.open(ns)) {
            assertThat(r.isPcapng()).isFalse();
            assertThat(r.interfaces().get(0).linkType()).isEqualTo(LinkType.ETHERNET);
            assertThat(r.interfaces().get(0).tsresol()).isEqualTo(InterfaceDescription.TSRESOL_NANOS);
        }

        // editcap rewrites into every classic flavour and pcapng; mergecap merges both into pcapng
        Path pcap = dir.resolve("e.pcap");
        Path nsec = dir.resolve("e-nsec.pcap");
        Path png = dir.resolve("e.pcapng");
        Path merged = dir.resolve("merged.pcapng");
        PcapTools.run("editcap", "-F", "pcap", ns.toString(), pcap.toString());
        PcapTools.run("editcap", "-F", "nseclibpcap", us.toString(), nsec.toString());
        PcapTools.run("editcap", "-F", "pcapng", ns.toString(), png.toString());
        PcapTools.run("mergecap", "-w", merged.toString(), us.toString(), ns.toString());
        assertSameAsTshark(pcap, 30);
        assertSameAsTshark(nsec, 40);
        assertSameAsTshark(png, 30);
        assertSameAsTshark(merged, 70);
        try (PcapReader r = PcapReader.open(merged)) {
            r.nextPacket();
            assertThat(r.isPcapng()).isTrue();
            assertThat(r.interfaces()).hasSize(2);
        }
    }

    @Test
    void bigEndianClassicPcap_microAndNano_readLikeTshark() {
        long t = 1_714_558_530_123_456_789L;
        long[] ts = {t, t + 1_000, t + 2_000_000_001L};
        byte[][] frames = {PcapTools.udpFrame(60, 1), PcapTools.udpFrame(61, 2), PcapTools.udpFrame(90, 3)};
        int[] orig = {60, 61, 1500};
        Path beUs = PcapTools.write(dir.resolve("be-us.pcap"),
                PcapTools.classicPcap(ByteOrder.BIG_ENDIAN, false, 1, 65535, ts, frames, orig));
        Path beNs = PcapTools.write(dir.resolve("be-ns.pcap"),
                PcapTools.classicPcap(ByteOrder.BIG_ENDIAN, true, 1, 65535, ts, frames, orig));
        Path leNs = PcapTools.write(dir.resolve("le-ns.pcap"),
                PcapTools.classicPcap(ByteOrder.LITTLE_ENDIAN, true, 1, 65535, ts, frames, orig));
        assertSameAsTshark(beUs, 3);
        assertSameAsTshark(beNs, 3);
        assertSameAsTshark(leNs, 3);
        assertThat(ours(beNs).get(0)).isEqualTo("#1 " + t + " 60 60");
        assertThat(ours(beUs).get(0)).isEqualTo("#1 " + (t - 789) + " 60 60");
        try (PcapReader r = PcapReader.open(beNs)) {
            assertThat(r.sectionHeader().byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        }
    }

    @Test
    void bigEndianPcapng_withEveryBlockType_readLikeTshark() {
        byte[] a = PcapTools.udpFrame(60, 1);
        byte[] ip = java.util.Arrays.copyOfRange(PcapTools.udpFrame(70, 2), 14, 70);
        PcapTools.Blocks b = new PcapTools.Blocks(ByteOrder.BIG_ENDIAN).shb("big endian section")
                .idb(1, 65535, "eth0", 9)            // nanoseconds
                .idb(101, 0, "tun0", 0x80 | 10)      // 2^-10 s units
                .epb(0, 1_714_558_530_123_456_789L, a, 60, 2)
                .epb(1, (1_714_558_530L << 10) | 512, ip, 56, 1); // .5 s
        // obsolete Packet Block on interface 0: ifid(16) drops(16) ts caplen origlen data
        b.begin().u16(0).u16(0).u32(1_714_558_531_000_000_000L >>> 32).u32(1_714_558_531_000_000_000L)
                .u32(a.length).u32(a.length).bytes(a).end(2);
        // Name Resolution Block with one IPv4 record, then end of records
        b.begin().u16(1).u16(14).bytes(new byte[] {127, 0, 0, 1, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't', 0})
                .u16(0).u16(0).end(4);
        // Decryption Secrets Block (TLS key log), custom block, unknown block type
        byte[] keylog = "CLIENT_RANDOM 00 00\n".getBytes(StandardCharsets.US_ASCII);
        b.begin().u32(0x544c534b).u32(keylog.length).bytes(keylog).end(10);
        b.begin().u32(32473).bytes(new byte[] {1, 2, 3}).end(0x00000BAD);
        b.begin().u32(42).end(0x0000_7777);
        // Interface Statistics Block: if 0, ifdrop = 9
        b.begin().u32(0).u32(0).u32(0).u16(5).u16(8).u64(9).endOpts().end(5);
        // a second, little-endian section with one interface in microseconds (no if_tsresol)
        PcapTools.Blocks le = new PcapTools.Blocks(ByteOrder.LITTLE_ENDIAN).shb(null)
                .idb(1, 262144, "eth1", -1)
                .epb(0, 1_714_558_532_000_001L, a, 60, null);
        byte[] first = b.toByteArray();
        byte[] second = le.toByteArray();
        byte[] all = new byte[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        Path f = PcapTools.write(dir.resolve("be.pcapng"), all);

        assertSameAsTshark(f, 4);
        try (PcapReader r = PcapReader.open(f)) {
            List<Packet> ps = new ArrayList<>();
            int stats = 0;
            for (PcapReader.RecordKind k = r.next(); k != PcapReader.RecordKind.END; k = r.next()) {
                if (k == PcapReader.RecordKind.STATISTICS) {
                    assertThat(r.statistics().ifDrop()).hasValue(9);
                    stats++;
                } else {
                    ps.add(r.packet());
                }
            }
            assertThat(stats).isEqualTo(1);
            assertThat(ps).extracting(Packet::linkType).containsExactly(LinkType.ETHERNET, LinkType.RAW,
                    LinkType.ETHERNET, LinkType.ETHERNET);
            assertThat(ps).extracting(Packet::direction).containsExactly(Direction.OUTBOUND,
                    Direction.INBOUND, Direction.UNKNOWN, Direction.UNKNOWN);
            assertThat(ps.get(1).timestampNanos()).isEqualTo(1_714_558_530_500_000_000L);
            assertThat(ps.get(3).timestampNanos()).isEqualTo(1_714_558_532_000_001_000L);
            assertThat(r.sections()).extracting(SectionHeader::byteOrder)
                    .containsExactly(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN);
            assertThat(r.sections().get(0).comments()).containsExactly("big endian section");
            assertThat(r.nameResolutions()).containsExactly(
                    java.util.Map.entry(java.net.InetAddress.getLoopbackAddress(), List.of("localhost")));
            assertThat(r.decryptionSecrets()).singleElement().satisfies(d -> {
                assertThat(d.type()).isEqualTo(DecryptionSecrets.TLS_KEY_LOG);
                assertThat(d.text()).isEqualTo("CLIENT_RANDOM 00 00\n");
            });
        }
    }

    @Test
    void simplePacketBlocks_readWithLengthsLikeTshark_andSnaplenCutsThem() {
        byte[] a = PcapTools.udpFrame(60, 1);
        byte[] big = PcapTools.udpFrame(300, 2);
        PcapTools.Blocks b = new PcapTools.Blocks(ByteOrder.LITTLE_ENDIAN).shb("simple packets")
                .idb(1, 200, "eth0", 9);
        // Simple Packet Block: original length, then the data (cut to the interface's snaplen 200)
        b.begin().u32(a.length).bytes(a).end(3);
        b.begin().u32(big.length).bytes(java.util.Arrays.copyOf(big, 200)).end(3);
        Path f = PcapTools.write(dir.resolve("spb.pcapng"), b.toByteArray());

        // An SPB has no timestamp (tshark shows none, pcapunit the epoch): compare the lengths.
        assertThat(PcapTools.tsharkFields(f, "frame.number", "frame.cap_len", "frame.len"))
                .containsExactly("1|60|60", "2|200|300");
        try (PcapReader r = PcapReader.open(f)) {
            List<Packet> ps = new ArrayList<>();
            for (PcapReader.RecordKind k = r.next(); k != PcapReader.RecordKind.END; k = r.next()) {
                ps.add(r.packet());
            }
            assertThat(ps).extracting(Packet::originalLength).containsExactly(60, 300);
            assertThat(ps).extracting(Packet::timestampNanos).containsOnly(0L);
            assertThat(ps).extracting(Packet::capturedLength).containsExactly(60, 200);
            assertThat(ps).extracting(Packet::direction).containsOnly(Direction.UNKNOWN);
        }
    }
}
