package io.github.pcapunit.core;

import io.github.pcapunit.core.packet.DecodedPacket;
import io.github.pcapunit.core.packet.IpProtocol;
import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.LinkType;

import static io.github.pcapunit.core.DecodeBytes.ethernet;
import static io.github.pcapunit.core.DecodeBytes.icmpEcho;
import static io.github.pcapunit.core.DecodeBytes.icmpError;
import static io.github.pcapunit.core.DecodeBytes.ipv4;
import static io.github.pcapunit.core.DecodeBytes.ipv6;
import static io.github.pcapunit.core.DecodeBytes.tcp;
import static io.github.pcapunit.core.DecodeBytes.udp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecodeTest {

    private static final byte[] SYN = ipv4(6, "10.0.1.10", "10.0.1.20",
            tcp(50122, 1433, 1000, 0, 0x02, 64240, 0));

    @Test
    void ethernetIpv4TcpSyn_decodesEveryField() {
        DecodedPacket p = DecodedPacket.decode(ethernet(0x0800, SYN), LinkType.ETHERNET);

        assertThat(p.ipVersion()).isEqualTo(4);
        assertThat(p.sourceAddress().orElseThrow().getHostAddress()).isEqualTo("10.0.1.10");
        assertThat(p.destinationAddress().orElseThrow().getHostAddress()).isEqualTo("10.0.1.20");
        assertThat(p.ttl()).isEqualTo(64);
        assertThat(p.protocol()).isEqualTo(IpProtocol.TCP);
        assertThat(p.sourcePort()).isEqualTo(50122);
        assertThat(p.destinationPort()).isEqualTo(1433);
        assertThat(p.isSyn()).isTrue();
        assertThat(p.isAck()).isFalse();
        assertThat(p.sequenceNumber()).isEqualTo(1000);
        assertThat(p.window()).isEqualTo(64240);
        assertThat(p.payloadLength()).isZero();
        assertThat(p.isFragment() || p.isTruncated() || p.isMalformed()).isFalse();
        assertThat(p.flow().orElseThrow()).hasToString("TCP 10.0.1.10:50122 \u2192 10.0.1.20:1433");
        assertThat(p.summary()).isEqualTo("TCP 10.0.1.10:50122 \u2192 10.0.1.20:1433 [SYN] seq=1000 win=64240 len=0 ttl=64");
    }

    @Test
    void vlanAndQinQTags_areSkipped() {
        byte[] single = DecodeBytes.of().zeros(12).u16(0x8100).u16(42).u16(0x0800).bytes(SYN).build();
        byte[] qinq = DecodeBytes.of().zeros(12).u16(0x88A8).u16(7).u16(0x8100).u16(42).u16(0x0800).bytes(SYN).build();

        assertThat(DecodedPacket.decode(single, LinkType.ETHERNET).destinationPort()).isEqualTo(1433);
        assertThat(DecodedPacket.decode(qinq, LinkType.ETHERNET).destinationPort()).isEqualTo(1433);
    }

    @Test
    void ethernetPadding_isNotPayload() {
        byte[] small = ipv4(6, "10.0.0.1", "10.0.0.2", tcp(1, 2, 0, 0, 0x10, 1, 0));
        byte[] padded = ethernet(0x0800, Arrays.copyOf(small, small.length + 6));

        DecodedPacket p = DecodedPacket.decode(padded, LinkType.ETHERNET);

        assertThat(p.payloadLength()).isZero();
        assertThat(p.isMalformed()).isFalse();
    }

    @Test
    void linuxSll_outgoingPacketType_isOutbound() {
        byte[] sll = DecodeBytes.of().u16(4).u16(1).u16(6).zeros(8).u16(0x0800).bytes(SYN).build();
        byte[] sllIn = DecodeBytes.of().u16(0).u16(1).u16(6).zeros(8).u16(0x0800).bytes(SYN).build();

        assertThat(DecodedPacket.decode(sll, LinkType.LINUX_SLL).direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(DecodedPacket.decode(sllIn, LinkType.LINUX_SLL).direction()).isEqualTo(Direction.INBOUND);
        assertThat(DecodedPacket.decode(sll, LinkType.LINUX_SLL).destinationPort()).isEqualTo(1433);
    }

    @Test
    void linuxSll2_carriesProtocolInterfaceAndDirection() {
        byte[] v6 = ipv6(17, "fd00::1", "fd00::2", 255, new byte[0], udp(5353, 53, 3));
        byte[] sll2 = DecodeBytes.of().u16(0x86DD).u16(0).u32(3).u16(1).u8(4).u8(6).zeros(8).bytes(v6).build();

        DecodedPacket p = DecodedPacket.decode(sll2, LinkType.LINUX_SLL2);

        assertThat(p.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(p.ipVersion()).isEqualTo(6);
        assertThat(p.ttl()).isEqualTo(255);
        assertThat(p.protocol()).isEqualTo(IpProtocol.UDP);
        assertThat(p.payloadLength()).isEqualTo(3);
        assertThat(p.summary()).isEqualTo("UDP [fd00::1]:5353 \u2192 [fd00::2]:53 len=3 hlim=255");
    }

    @Test
    void bsdNullAndLoop_readTheAddressFamilyInTheirByteOrder() {
        byte[] nullLe = DecodeBytes.of().u8(2).u8(0).u8(0).u8(0).bytes(SYN).build();
        byte[] nullBe = DecodeBytes.of().u32(2).bytes(SYN).build();
        byte[] loop6 = DecodeBytes.of().u32(24).bytes(ipv6(6, "::1", "::1", 64, new byte[0],
                tcp(40000, 8080, 1, 0, 0x02, 100, 0))).build();

        assertThat(DecodedPacket.decode(nullLe, LinkType.NULL).destinationPort()).isEqualTo(1433);
        assertThat(DecodedPacket.decode(nullBe, LinkType.NULL).destinationPort()).isEqualTo(1433);
        DecodedPacket p = DecodedPacket.decode(loop6, LinkType.LOOP);
        assertThat(p.ipVersion()).isEqualTo(6);
        assertThat(p.destinationPort()).isEqualTo(8080);
    }

    @Test
    void rawIpv4AndIpv6LinkTypes_decode() {
        byte[] v6 = ipv6(6, "fd00::a", "fd00::b", 64, new byte[0], tcp(1, 22, 5, 6, 0x12, 9, 0));

        assertThat(DecodedPacket.decode(SYN, LinkType.RAW).destinationPort()).isEqualTo(1433);
        assertThat(DecodedPacket.decode(v6, LinkType.RAW).ipVersion()).isEqualTo(6);
        assertThat(DecodedPacket.decode(SYN, LinkType.IPV4).destinationPort()).isEqualTo(1433);
        DecodedPacket p = DecodedPacket.decode(v6, LinkType.IPV6);
        assertThat(p.isSyn() && p.isAck()).isTrue();
        assertThat(p.acknowledgmentNumber()).isEqualTo(6);
    }

    @Test
    void nflog_walksTlvsToThePayloadAndTakesTheInboundDevice() {
        byte[] prefix = "drop\0\0\0\0".getBytes();
        byte[] nflog = DecodeBytes.of().u8(2).u8(0).u16(0)
                .u16le(4 + 4).u16le(1).u16(0x0800).u8(1).u8(0) // NFULA_PACKET_HDR
                .u16le(4 + 5).u16le(10).bytes(Arrays.copyOf(prefix, 8)) // NFULA_PREFIX, padded to 12
                .u16le(8).u16le(4).u32(7) // NFULA_IFINDEX_INDEV
                .u16le(4 + SYN.length).u16le(9).bytes(SYN).build();

        DecodedPacket p = DecodedPacket.decode(nflog, LinkType.NFLOG);

        assertThat(p.destinationPort()).isEqualTo(1433);
        assertThat(p.direction()).isEqualTo(Direction.INBOUND);
        assertThat(p.isTruncated()).isFalse();
    }

    @Test
    void ipv4Options_areSkipped() {
        byte[] options = {1, 1, 1, 0}; // NOP NOP NOP EOL
        byte[] pkt = ipv4(17, "10.0.0.1", "10.0.0.2", 3, 0, options, udp(1000, 53, 12));

        DecodedPacket p = DecodedPacket.decode(pkt, LinkType.RAW);

        assertThat(p.destinationPort()).isEqualTo(53);
        assertThat(p.payloadLength()).isEqualTo(12);
        assertThat(p.ttl()).isEqualTo(3);
    }

    @Test
    void ipv4Fragments_areFlagged_laterFragmentsHaveNoPorts() {
        byte[] first = ipv4(17, "10.0.0.1", "10.0.0.2", 64, 0x2000, new byte[0], udp(1000, 53, 16));
        byte[] later = ipv4(17, "10.0.0.1", "10.0.0.2", 64, 3, new byte[0], new byte[24]);

        DecodedPacket f = DecodedPacket.decode(first, LinkType.RAW);
        DecodedPacket l = DecodedPacket.decode(later, LinkType.RAW);

        assertThat(f.isFragment()).isTrue();
        assertThat(f.destinationPort()).isEqualTo(53);
        assertThat(l.isFragment()).isTrue();
        assertThat(l.destinationPort()).isEqualTo(-1);
        assertThat(l.payloadLength()).isEqualTo(24);
        assertThat(l.isTruncated() || l.isMalformed()).isFalse();
    }

    @Test
    void ipv6ExtensionHeaders_hopByHopRoutingDestOptsFragment_leadToTcp() {
        byte[] ext = DecodeBytes.of()
                .u8(43).u8(0).zeros(6) // hop-by-hop → routing
                .u8(60).u8(0).u8(0).u8(0).zeros(4) // routing → dest opts
                .u8(44).u8(0).zeros(6) // dest opts → fragment
                .u8(6).u8(0).u16(1).u32(99) // fragment (offset 0, M=1) → TCP
                .build();
        byte[] pkt = ipv6(0, "2001:db8::1", "2001:db8::2", 17, ext, tcp(4444, 443, 1, 2, 0x18, 500, 10));

        DecodedPacket p = DecodedPacket.decode(pkt, LinkType.IPV6);

        assertThat(p.protocol()).isEqualTo(IpProtocol.TCP);
        assertThat(p.destinationPort()).isEqualTo(443);
        assertThat(p.payloadLength()).isEqualTo(10);
        assertThat(p.isFragment()).isTrue();
        assertThat(p.ttl()).isEqualTo(17);
        assertThat(p.isPsh()).isTrue();
    }

    @Test
    void icmpEcho_keepsIdentifierAndSequence() {
        DecodedPacket req = DecodedPacket.decode(ipv4(1, "10.200.1.10", "10.200.1.20", icmpEcho(8, 4711, 3)), LinkType.RAW);
        DecodedPacket rep = DecodedPacket.decode(ipv6(58, "fd00::2", "fd00::1", 64, new byte[0], icmpEcho(129, 9, 1)),
                LinkType.RAW);

        assertThat(req.isEchoRequest()).isTrue();
        assertThat(req.icmpIdentifier()).isEqualTo(4711);
        assertThat(req.icmpSequence()).isEqualTo(3);
        assertThat(req.summary()).isEqualTo("ICMP 10.200.1.10 \u2192 10.200.1.20 echo request id=4711 seq=3 ttl=64");
        assertThat(rep.isEchoReply()).isTrue();
        assertThat(rep.protocol()).isEqualTo(IpProtocol.ICMPV6);
    }

    @Test
    void icmpPortUnreachable_decodesTheQuotedUdpPacket() {
        byte[] quoted = ipv4(17, "10.200.1.10", "10.200.1.20", udp(40000, 53, 30));
        byte[] err = ipv4(1, "10.200.1.20", "10.200.1.10", icmpError(3, 3, Arrays.copyOf(quoted, 28)));

        DecodedPacket p = DecodedPacket.decode(err, LinkType.RAW);

        assertThat(p.isUnreachable()).isTrue();
        assertThat(p.icmpCode()).isEqualTo(3);
        DecodedPacket o = p.icmpOriginal().orElseThrow();
        assertThat(o.flow().orElseThrow()).hasToString("UDP 10.200.1.10:40000 \u2192 10.200.1.20:53");
        assertThat(p.isTruncated()).isFalse();
        assertThat(p.summary()).isEqualTo("ICMP 10.200.1.20 \u2192 10.200.1.10 destination unreachable (port unreachable)"
                + " for UDP 10.200.1.10:40000 \u2192 10.200.1.20:53 ttl=64");
    }

    @Test
    void icmpTimeExceededAndAdminProhibited_quoteTcpWithOnlyEightBytes() {
        byte[] quoted = Arrays.copyOf(SYN, 28); // IP header + 8 bytes of TCP, as routers quote
        DecodedPacket te = DecodedPacket.decode(ipv4(1, "10.0.0.254", "10.0.1.10", icmpError(11, 0, quoted)), LinkType.RAW);
        DecodedPacket ap = DecodedPacket.decode(ipv4(1, "10.0.1.20", "10.0.1.10", icmpError(3, 13, quoted)), LinkType.RAW);

        assertThat(te.icmpOriginal().orElseThrow().destinationPort()).isEqualTo(1433);
        assertThat(te.icmpOriginal().orElseThrow().sequenceNumber()).isEqualTo(1000);
        assertThat(ap.summary()).contains("(admin prohibited) for TCP 10.0.1.10:50122 \u2192 10.0.1.20:1433");
    }

    @Test
    void icmpv6UnreachableAndPacketTooBig_quoteIpv6() {
        byte[] quoted = ipv6(6, "fd00::1", "fd00::2", 64, new byte[0], tcp(5000, 1433, 1, 0, 2, 10, 0));
        DecodedPacket un = DecodedPacket.decode(ipv6(58, "fd00::2", "fd00::1", 64, new byte[0], icmpError(1, 1, quoted)),
                LinkType.RAW);
        DecodedPacket big = DecodedPacket.decode(ipv6(58, "fd00::9", "fd00::1", 64, new byte[0], icmpError(2, 0, quoted)),
                LinkType.RAW);

        assertThat(un.isUnreachable()).isTrue();
        assertThat(un.summary()).contains("destination unreachable (admin prohibited) for TCP [fd00::1]:5000");
        assertThat(big.icmpOriginal().orElseThrow().destinationPort()).isEqualTo(1433);
        assertThat(big.isUnreachable()).isFalse();
    }

    @Test
    void cutShortFrames_areTruncated_keepingWhatWasRead() {
        byte[] eth = ethernet(0x0800, SYN);
        DecodedPacket tooShortForEthernet = DecodedPacket.decode(Arrays.copyOf(eth, 10), LinkType.ETHERNET);
        DecodedPacket cutInTcp = DecodedPacket.decode(Arrays.copyOf(eth, 14 + 20 + 6), LinkType.ETHERNET);

        assertThat(tooShortForEthernet.isTruncated()).isTrue();
        assertThat(tooShortForEthernet.problem()).contains("Ethernet header needs 14 bytes, frame has 10");
        assertThat(cutInTcp.isTruncated()).isTrue();
        assertThat(cutInTcp.destinationPort()).isEqualTo(1433);
        assertThat(cutInTcp.summary()).endsWith("[truncated: TCP header needs 20 bytes, 6 captured]");
    }

    @Test
    void impossibleHeaderValues_areMalformed() {
        byte[] badIhl = SYN.clone();
        badIhl[0] = 0x43;
        byte[] badDoff = SYN.clone();
        badDoff[20 + 12] = 0x20;
        byte[] badVersion = SYN.clone();
        badVersion[0] = 0x55;

        assertThat(DecodedPacket.decode(badIhl, LinkType.IPV4).problem()).contains("IPv4 header length 12 below 20");
        assertThat(DecodedPacket.decode(badDoff, LinkType.IPV4).problem()).contains("TCP data offset 8 below 20");
        assertThat(DecodedPacket.decode(badDoff, LinkType.IPV4).isMalformed()).isTrue();
        assertThat(DecodedPacket.decode(badVersion, LinkType.IPV4).isMalformed()).isTrue();
        assertThat(DecodedPacket.decode(badVersion, LinkType.RAW).problem()).contains("raw IP frame with IP version 5");
    }

    @Test
    void everyPrefixAndRandomBytes_neverThrow() {
        List<LinkType> types = List.of(LinkType.NULL, LinkType.ETHERNET, LinkType.RAW, LinkType.LOOP, LinkType.LINUX_SLL,
                LinkType.NFLOG, LinkType.IPV4, LinkType.IPV6, LinkType.LINUX_SLL2, LinkType.of(147));
        byte[] icmp = ethernet(0x0800, ipv4(1, "10.0.0.2", "10.0.0.1", icmpError(3, 3, Arrays.copyOf(SYN, 28))));
        Random random = new Random(42);
        for (LinkType t : types) {
            for (int len = 0; len <= icmp.length; len++) {
                byte[] prefix = Arrays.copyOf(icmp, len);
                assertThatCode(() -> DecodedPacket.decode(prefix, t).summary()).doesNotThrowAnyException();
            }
            for (int i = 0; i < 2000; i++) {
                byte[] junk = new byte[random.nextInt(120)];
                random.nextBytes(junk);
                assertThatCode(() -> DecodedPacket.decode(junk, t).summary()).as("%s %s", t, Arrays.toString(junk))
                        .doesNotThrowAnyException();
            }
        }
    }

    @Test
    void nonIpFrames_haveNoAddressesAndSayWhatTheyAre() {
        DecodedPacket arp = DecodedPacket.decode(ethernet(0x0806, new byte[28]), LinkType.ETHERNET);

        assertThat(arp.ipVersion()).isZero();
        assertThat(arp.protocol()).isEqualTo(IpProtocol.NONE);
        assertThat(arp.sourceAddress()).isEmpty();
        assertThat(arp.flow()).isEmpty();
        assertThat(arp.summary()).isEqualTo("ARP");
    }
}
