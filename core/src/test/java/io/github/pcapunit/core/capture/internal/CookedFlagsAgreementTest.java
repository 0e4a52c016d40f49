package io.github.pcapunit.core.capture.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.PcapTools;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureAvailability;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapConversion;
import io.github.pcapunit.core.pcapng.PcapReader;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same Linux cooked packet gets the same {@code epb_flags} whichever path writes it: the
 * engine's conversion of its native pcap files, {@link PcapConversion}, and {@link PcapngWriter}
 * with {@link PacketOptions.Builder#flagsFromCookedHeader}; tshark is the referee.
 */
class CookedFlagsAgreementTest {

    private static final long T = 1_714_558_530_000_000_000L;
    /** Linux packet types PACKET_HOST, BROADCAST, MULTICAST, OTHERHOST, OUTGOING. */
    private static final int[] TYPES = {0, 1, 2, 3, 4};
    /** What tshark shows for them: direction | reception type. */
    private static final List<String> EXPECTED = List.of("0x00000001|1", "0x00000001|3", "0x00000001|2",
            "0x00000001|4", "0x00000002|0");

    @TempDir
    Path dir;

    @Test
    void sll2Packet_getsTheSameFlags_fromTheEngine_theConversionApi_andTheWriter() {
        byte[][] frames = Arrays.stream(TYPES).mapToObj(CookedFlagsAgreementTest::sll2).toArray(byte[][]::new);
        assertAllPathsAgree(LinkType.LINUX_SLL2, "sll2", frames);
    }

    @Test
    void sllPacket_getsTheSameFlags_fromTheEngine_theConversionApi_andTheWriter() {
        byte[][] frames = Arrays.stream(TYPES).mapToObj(CookedFlagsAgreementTest::sll).toArray(byte[][]::new);
        assertAllPathsAgree(LinkType.LINUX_SLL, "sll", frames);
    }

    @Test
    void liveCaptureOnAny_engineFlags_matchTheWritersRuleForEveryPacket() throws Exception {
        CaptureAvailability a = CaptureAvailability.check();
        Assumptions.assumeTrue(a.isAvailable(), a.reason());
        int port = 40_000 + (int) (ProcessHandle.current().pid() % 20_000);
        CaptureSpec spec = CaptureSpec.builder().interfaces("any").filter("udp port " + port)
                .kernelEvidence(KernelEvidence.OFF).output(dir.resolve("any.pcapng")).build();
        CaptureResult result;
        try (Capture capture = Capture.start(spec); DatagramSocket s = new DatagramSocket()) {
            for (int i = 0; i < 3; i++) {
                s.send(new DatagramPacket(new byte[20], 20, InetAddress.getLoopbackAddress(), port));
            }
            result = capture.stop();
        }
        Path rewritten = dir.resolve("rewritten.pcapng");
        try (PcapReader r = PcapReader.open(result.file());
                PcapngWriter w = PcapngWriter.open(rewritten, SectionHeader.empty(),
                        InterfaceDescription.builder().linkType(LinkType.LINUX_SLL2).build())) {
            while (r.nextPacket()) {
                byte[] d = r.packet().data();
                assertThat(r.linkType()).isEqualTo(LinkType.LINUX_SLL2);
                w.writePacket(0, r.timestampNanos(), r.originalLength(), d, 0, d.length,
                        PacketOptions.builder().flagsFromCookedHeader(LinkType.LINUX_SLL2, d, 0, d.length).build());
            }
        }
        // the engine's file also holds journal entries (frames without flags): compare the packets
        List<String> engine = PcapTools.tsharkFields(result.file(), "udp.dstport", "frame.packet_flags_direction",
                "frame.packet_flags_reception_type").stream().filter(l -> !l.startsWith("|")).toList();
        // loopback on "any": libpcap keeps the arriving copy of each datagram (PACKET_HOST)
        String host = port + "|0x00000001|1";
        assertThat(engine).containsExactly(host, host, host);
        assertThat(PcapTools.tsharkFields(rewritten, "udp.dstport", "frame.packet_flags_direction",
                "frame.packet_flags_reception_type")).isEqualTo(engine);
    }

    private void assertAllPathsAgree(LinkType linkType, String name, byte[][] frames) {
        long[] ts = new long[frames.length];
        int[] orig = new int[frames.length];
        for (int i = 0; i < frames.length; i++) {
            ts[i] = T + i * 1000L;
            orig[i] = frames[i].length;
        }
        Path pcap = PcapTools.write(dir.resolve(name + ".pcap"),
                PcapTools.classicPcap(ByteOrder.LITTLE_ENDIAN, true, linkType.value(), 65535, ts, frames, orig));

        Path engine = dir.resolve(name + "-engine.pcapng");
        Conversion.convert(engine, List.of(new Conversion.Source("any", linkType.value(), 65535, pcap, 0, -1, null,
                new long[3])), 0, Long.MAX_VALUE, List.of(), "flags test", "pcapunit test", 0, -1, null);

        Path api = dir.resolve(name + "-api.pcapng");
        PcapConversion.builder().addInput(pcap).build().convert(api);

        Path writer = dir.resolve(name + "-writer.pcapng");
        try (PcapngWriter w = PcapngWriter.open(writer, SectionHeader.empty(),
                InterfaceDescription.builder().linkType(linkType).snaplen(65535).build())) {
            for (int i = 0; i < frames.length; i++) {
                w.writePacket(0, ts[i], frames[i].length, frames[i], 0, frames[i].length, PacketOptions.builder()
                        .flagsFromCookedHeader(linkType, frames[i], 0, frames[i].length).build());
            }
        }

        assertThat(flags(engine)).as("engine conversion").isEqualTo(EXPECTED);
        assertThat(flags(api)).as("PcapConversion").isEqualTo(EXPECTED);
        assertThat(flags(writer)).as("PcapngWriter").isEqualTo(EXPECTED);
        assertThat(PcapTools.tsharkFields(engine, "frame.packet_flags"))
                .isEqualTo(PcapTools.tsharkFields(api, "frame.packet_flags"))
                .isEqualTo(PcapTools.tsharkFields(writer, "frame.packet_flags"));
    }

    private static List<String> flags(Path file) {
        return PcapTools.tsharkFields(file, "frame.packet_flags_direction", "frame.packet_flags_reception_type");
    }

    /** LINUX_SLL2 header (20 bytes) of an IPv4 UDP packet with Linux packet type {@code type}. */
    private static byte[] sll2(int type) {
        ByteBuffer b = ByteBuffer.allocate(20 + 28);
        b.putShort((short) 0x0800).putShort((short) 0).putInt(2).putShort((short) 1)
                .put((byte) type).put((byte) 6).put(new byte[8]);
        b.put(Arrays.copyOfRange(PcapTools.udpFrame(42, type), 14, 42));
        return b.array();
    }

    /** LINUX_SLL header (16 bytes) of an IPv4 UDP packet with Linux packet type {@code type}. */
    private static byte[] sll(int type) {
        ByteBuffer b = ByteBuffer.allocate(16 + 28);
        b.putShort((short) type).putShort((short) 1).putShort((short) 6).put(new byte[8]).putShort((short) 0x0800);
        b.put(Arrays.copyOfRange(PcapTools.udpFrame(42, type), 14, 42));
        return b.array();
    }
}
