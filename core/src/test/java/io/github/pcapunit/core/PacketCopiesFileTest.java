package io.github.pcapunit.core;

import static io.github.pcapunit.core.DecodeBytes.ethernet;
import static io.github.pcapunit.core.DecodeBytes.icmpEcho;
import static io.github.pcapunit.core.DecodeBytes.ipv4;
import static io.github.pcapunit.core.DecodeBytes.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.analysis.TcpConnection;
import io.github.pcapunit.core.check.TrafficExpectations;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copies of one packet at two interfaces of a file (hand-built frames, two capture points) are
 * one packet to the flow analysis; the same bytes sent again through the same interface are a
 * retransmission, and so is a copy at the other interface more than a second after the last one.
 */
class PacketCopiesFileTest {

    private static final long T0 = 1_764_000_000_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;

    @TempDir
    Path dir;

    @Test
    void eachPacketAtClientAndServer_isOnePacket_andTheSameBytesResentAtTheClient_areOneRetransmission() {
        Path file = dir.resolve("two-points.pcapng");
        try (Points p = new Points(file)) {
            p.both(0, toServer(1000, 0, SYN, 0));
            p.both(1, toClient(5000, 1001, SYN | ACK));
            p.both(2, toServer(1001, 5001, ACK, 0));
            p.both(3, toServer(1001, 5001, PSH | ACK, 10));
            p.both(203, toServer(1001, 5001, PSH | ACK, 10)); // the same bytes again: a retransmission
            p.both(204, toClient(5001, 1011, ACK));
            p.both(300, echo(8, "10.200.9.10", "10.200.9.20"));
            p.both(301, echo(0, "10.200.9.20", "10.200.9.10"));
        }

        CapturedTraffic traffic = CapturedTraffic.read(file);

        assertThat(traffic.packetCount()).as("frames in the file").isEqualTo(16);
        TcpConnection c = traffic.connectionsTo(5432).get(0);
        assertThat(c.packets()).as(c.summary()).isEqualTo(6);
        assertThat(c.synRetransmissions()).isZero();
        assertThat(c.dataRetransmissions()).as(c.summary()).isEqualTo(1);
        assertThat(c.retransmissions()).isEqualTo(1);
        assertThat(traffic.drops()).extracting(d -> d.kind()).containsExactly(DropKind.RETRANSMITTED);
        assertThat(traffic.icmpEchoes()).singleElement().satisfies(e -> {
            assertThat(e.isAnswered()).isTrue();
            assertThat(e.requestCount()).isEqualTo(1);
        });
        assertThat(TrafficExpectations.echoRequestsAnswered().check(traffic)).isEmpty();
        assertThat(TrafficExpectations.allEstablished(5432).check(traffic)).isEmpty();
    }

    @Test
    void aCopyMoreThanASecondAfterTheLastSighting_isAnotherPacket() {
        Path file = dir.resolve("late.pcapng");
        try (Points p = new Points(file)) {
            p.both(0, toServer(1000, 0, SYN, 0));
            p.both(1, toClient(5000, 1001, SYN | ACK));
            p.both(2, toServer(1001, 5001, ACK, 0));
            byte[] data = toServer(1001, 5001, PSH | ACK, 10);
            p.at(0, 3, data, 64);
            p.at(1, 3 + 1100, data, 63); // 1.1 s later at the server: not forwarded, sent again
        }

        TcpConnection c = CapturedTraffic.read(file).connectionsTo(5432).get(0);

        assertThat(c.dataRetransmissions()).as(c.summary()).isEqualTo(1);
    }

    @Test
    void oneInterfaceOnly_theSameBytesTwice_areARetransmission() {
        Path file = dir.resolve("one.pcapng");
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.empty(),
                InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("eth0").build())) {
            long t = T0;
            for (byte[] f : new byte[][] {toServer(1000, 0, SYN, 0), toClient(5000, 1001, SYN | ACK),
                    toServer(1001, 5001, ACK, 0), toServer(1001, 5001, PSH | ACK, 10), toServer(1001, 5001, PSH | ACK, 10)}) {
                byte[] frame = ethernet(0x0800, f);
                w.writePacket(0, t += 100 * MS, frame.length, frame, 0, frame.length, PacketOptions.none());
            }
        }

        TcpConnection c = CapturedTraffic.read(file).connectionsTo(5432).get(0);

        assertThat(c.dataRetransmissions()).as(c.summary()).isEqualTo(1);
    }

    private static byte[] toServer(long seq, long ack, int flags, int payload) {
        return ipv4(6, "10.200.9.10", "10.200.9.20", tcp(40000, 5432, seq, ack, flags, 512, payload));
    }

    private static byte[] toClient(long seq, long ack, int flags) {
        return ipv4(6, "10.200.9.20", "10.200.9.10", tcp(5432, 40000, seq, ack, flags, 512, 0));
    }

    private static byte[] echo(int type, String src, String dst) {
        return ipv4(1, src, dst, icmpEcho(type, 77, 1));
    }

    /** A file with two capture points, client/eth0 (0) and server/eth0 (1). */
    private static final class Points implements AutoCloseable {
        private final PcapngWriter w;

        Points(Path file) {
            w = PcapngWriter.open(file, SectionHeader.empty(),
                    InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("client/eth0").build(),
                    InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("server/eth0").build());
        }

        /**
         * The packet at its sender's point, then 50 µs later one hop on at the other point, with
         * TTL one lower and a transport checksum only the second copy has.
         */
        void both(long ms, byte[] ip) {
            boolean fromClient = ip[15] == 10;
            at(fromClient ? 0 : 1, ms, ip, 64);
            byte[] forwarded = ip.clone();
            int sum = (ip[0] & 0x0f) * 4 + (ip[9] == 6 ? 16 : 2);
            forwarded[sum] = (byte) 0xab;
            at(fromClient ? 1 : 0, ms, forwarded, 63, 50_000);
        }

        void at(int iface, long ms, byte[] ip, int ttl) {
            at(iface, ms, ip, ttl, 0);
        }

        private void at(int iface, long ms, byte[] ip, int ttl, long extraNanos) {
            byte[] copy = ip.clone();
            copy[8] = (byte) ttl;
            byte[] frame = ethernet(0x0800, copy);
            w.writePacket(iface, T0 + ms * MS + extraNanos, frame.length, frame, 0, frame.length, PacketOptions.none());
        }

        @Override
        public void close() {
            w.close();
        }
    }
}
