package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.capture.internal.kernel.RecordFilter.Match;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link RecordFilter}: the capture filter run by libpcap over the header a kernel record
 * describes (no capture, no root): IPv4 and IPv6, TCP flags, UDP, ICMP type; records it cannot
 * judge are UNKNOWN (kept); filters a bare IP header cannot answer narrow nothing and say why.
 */
class KernelRecordFilterTest {

    @Test
    void tcpPort1433_matchesItsDrops_notABystandersUdp_ipv4AndIpv6() {
        try (RecordFilter f = RecordFilter.forFilter(Optional.of("tcp port 1433"))) {
            assertThat(f.narrows()).isTrue();
            assertThat(f.matches(ebpf("IPv4", "TCP", "10.200.1.10", "40000", "10.200.2.20", "1433", "SYN")))
                    .isEqualTo(Match.MATCH);
            assertThat(f.matches(ebpf("IPv4", "TCP", "10.200.2.20", "1433", "10.200.1.10", "40000", "SYN ACK")))
                    .isEqualTo(Match.MATCH);
            assertThat(f.matches(ebpf("IPv4", "UDP", "127.0.0.1", "50000", "127.0.0.1", "9", "")))
                    .isEqualTo(Match.NO_MATCH);
            assertThat(f.matches(ebpf("IPv4", "TCP", "10.200.1.10", "40000", "10.200.2.20", "1434", "SYN")))
                    .isEqualTo(Match.NO_MATCH);
            assertThat(f.matches(ebpf("IPv6", "TCP", "fd00::10", "40000", "fd00::20", "1433", "SYN")))
                    .isEqualTo(Match.MATCH);
            assertThat(f.matches(ebpf("IPv6", "UDP", "fd00::10", "40000", "fd00::20", "1433", "")))
                    .isEqualTo(Match.NO_MATCH);
        }
    }

    @Test
    void flagsHostsAndIcmp_areInTheSynthesizedHeader() {
        try (RecordFilter syn = RecordFilter.forFilter(Optional.of("tcp and dst host 10.200.2.20 and dst port 80"));
                RecordFilter icmp = RecordFilter.forFilter(Optional.of("icmp"));
                RecordFilter net = RecordFilter.forFilter(Optional.of("net 10.200.0.0/16"))) {
            assertThat(syn.matches(ebpf("IPv4", "TCP", "10.200.1.10", "1", "10.200.2.20", "80", "RST ACK")))
                    .isEqualTo(Match.MATCH);
            assertThat(syn.matches(ebpf("IPv4", "TCP", "10.200.2.20", "80", "10.200.1.10", "1", "RST ACK")))
                    .isEqualTo(Match.NO_MATCH);
            KernelEvent ping = ebpf("IPv4", "ICMP", "10.200.1.10", "", "10.200.2.20", "", "type 8 code 0");
            assertThat(icmp.matches(ping)).isEqualTo(Match.MATCH);
            assertThat(net.matches(ping)).isEqualTo(Match.MATCH);
            assertThat(net.matches(ebpf("IPv4", "UDP", "192.168.1.1", "5", "192.168.1.2", "6", "")))
                    .isEqualTo(Match.NO_MATCH);
        }
        // the header's bytes: TCP flags at 13, ICMP type at 0
        byte[] p = RecordFilter.packet("10.0.0.1", "10.0.0.2", 6, "1", "2", "SYN ACK", "63");
        assertThat(p).hasSize(40);
        assertThat(p[0]).isEqualTo((byte) 0x45);
        assertThat(p[8]).as("ttl").isEqualTo((byte) 63);
        assertThat(p[20 + 13]).isEqualTo((byte) 0x12);
        assertThat(RecordFilter.packet("fd00::1", "fd00::2", 58, "", "", "type 128 code 0", "64"))
                .hasSize(48).satisfies(b -> assertThat(b[40]).isEqualTo((byte) 128));
        assertThat(RecordFilter.packet("10.0.0.1", "fd00::2", 6, "1", "2", "", "64")).as("mixed families").isNull();
        assertThat(RecordFilter.packet("db.example", "10.0.0.2", 6, "1", "2", "", "64")).as("a name").isNull();
    }

    /** Every byte of the headers, IPv4 and IPv6 (as written by the two builders the one header replaced). */
    @Test
    void synthesizedHeaders_areByteForByteTheSameForBothFamilies() {
        java.util.HexFormat hex = java.util.HexFormat.of();
        assertThat(hex.formatHex(RecordFilter.packet("10.0.0.1", "10.0.0.2", 6, "1", "2", "SYN ACK", "63")))
                .isEqualTo("45000028000000003f0600000a0000010a0000020001000200000000000000005012000000000000");
        assertThat(hex.formatHex(RecordFilter.packet("10.200.1.10", "10.200.1.20", 17, "50000", "53", "", "300")))
                .as("a ttl over 255 is 255").isEqualTo("4500001c00000000ff1100000ac8010a0ac80114c350003500080000");
        assertThat(hex.formatHex(RecordFilter.packet("192.168.1.1", "10.0.0.2", 1, "", "", "type 8 code 0", "")))
                .as("no ttl: 64").isEqualTo("4500001c0000000040010000c0a801010a0000020800000000000000");
        assertThat(hex.formatHex(RecordFilter.packet("fd00::1", "fd00::2", 58, "", "", "type 128 code 0", "64")))
                .isEqualTo("6000000000083a40fd000000000000000000000000000001fd0000000000000000000000000000028000000000000000");
        assertThat(hex.formatHex(RecordFilter.packet("2001:db8::1", "fd00::2", 6, "65535", "1433", "FIN PSH ACK", "1")))
                .isEqualTo("600000000014060120010db8000000000000000000000001fd000000000000000000000000000002ffff059900000000000000005019000000000000");
        assertThat(hex.formatHex(RecordFilter.packet("fd00::1", "fd00::2", 17, "5", "6", "", "")))
                .isEqualTo("6000000000081140fd000000000000000000000000000001fd0000000000000000000000000000020005000600080000");
    }

    @Test
    void recordsWithoutAddressesOrPorts_areUnknown_andKept() {
        try (RecordFilter f = RecordFilter.forFilter(Optional.of("tcp port 1433"))) {
            // a tracefs kfree_skb: reason, location, ethertype only
            Map<String, String> tracefs = new LinkedHashMap<>();
            tracefs.put("reason", "NO_SOCKET");
            tracefs.put("protocol", "IPv4");
            assertThat(f.matches(new KernelEvent("kfree_skb", Instant.EPOCH, 0, -1, "", tracefs)))
                    .isEqualTo(Match.UNKNOWN);
            // GRE (47): ports not recorded
            assertThat(f.matches(ebpf("IPv4", "47", "10.0.0.1", "", "10.0.0.2", "", ""))).isEqualTo(Match.UNKNOWN);
            // a tracefs TCP state change has addresses and protocol=TCP: judged
            Map<String, String> state = new LinkedHashMap<>();
            state.put("saddr", "10.0.0.1");
            state.put("sport", "40000");
            state.put("daddr", "10.0.0.2");
            state.put("dport", "5432");
            state.put("protocol", "TCP");
            assertThat(f.matches(new KernelEvent("inet_sock_set_state", Instant.EPOCH, 0, 1, "x", state)))
                    .isEqualTo(Match.NO_MATCH);
        }
    }

    /**
     * A tracefs socket event's saddr/daddr are the socket's local and remote ends, not a packet's
     * source and destination: it matches a directional filter when either direction does. The
     * client 10.0.0.2:40000 of a server 10.0.0.1:1433; the RST the client received came from :1433.
     */
    @Test
    void socketEvents_matchEitherDirection_ebpfPacketsOne() {
        KernelEvent clientReceivedReset = socket("tcp_receive_reset", "10.0.0.2", "40000", "10.0.0.1", "1433");
        KernelEvent serverStateChange = socket("inet_sock_set_state", "10.0.0.1", "1433", "10.0.0.2", "40000");
        KernelEvent serverSentReset = socket("tcp_send_reset", "10.0.0.1", "1433", "10.0.0.2", "40000");
        try (RecordFilter src = RecordFilter.forFilter(Optional.of("tcp src port 1433"));
                RecordFilter dst = RecordFilter.forFilter(Optional.of("tcp dst port 1433"));
                RecordFilter srcHost = RecordFilter.forFilter(Optional.of("src host 10.0.0.2"));
                RecordFilter v6 = RecordFilter.forFilter(Optional.of("ip6 and tcp src port 1433"));
                RecordFilter other = RecordFilter.forFilter(Optional.of("tcp src port 1434"))) {
            assertThat(src.matches(clientReceivedReset)).as("the RST came from :1433").isEqualTo(Match.MATCH);
            assertThat(dst.matches(serverStateChange)).as("the server socket's packets go to :1433")
                    .isEqualTo(Match.MATCH);
            assertThat(dst.matches(serverSentReset)).isEqualTo(Match.MATCH);
            assertThat(srcHost.matches(clientReceivedReset)).as("the client's received reset, src host client")
                    .isEqualTo(Match.MATCH);
            assertThat(srcHost.matches(serverStateChange)).as("the client's packets reach the server socket")
                    .isEqualTo(Match.MATCH);
            assertThat(v6.matches(socket("tcp_receive_reset", "fd00::2", "40000", "fd00::1", "1433")))
                    .isEqualTo(Match.MATCH);
            assertThat(other.matches(clientReceivedReset)).as("neither end is :1434").isEqualTo(Match.NO_MATCH);
            assertThat(srcHost.matches(socket("inet_sock_set_state", "10.0.0.3", "1", "10.0.0.4", "2")))
                    .isEqualTo(Match.NO_MATCH);
            // an eBPF drop is one packet: the RST from :1433 is not a packet to :1433, in either cache order
            KernelEvent rst = ebpf("IPv4", "TCP", "10.0.0.1", "1433", "10.0.0.2", "40000", "RST");
            assertThat(src.matches(rst)).isEqualTo(Match.MATCH);
            assertThat(dst.matches(rst)).isEqualTo(Match.NO_MATCH);
            assertThat(dst.matches(ebpf("IPv4", "TCP", "10.0.0.2", "40000", "10.0.0.1", "1433", "RST")))
                    .isEqualTo(Match.MATCH);
            assertThat(srcHost.matches(rst)).isEqualTo(Match.NO_MATCH);
        }
        // the same fields as a socket event and as an eBPF packet: cached apart
        try (RecordFilter src = RecordFilter.forFilter(Optional.of("tcp src port 1433"))) {
            KernelEvent sock = socket("tcp_receive_reset", "10.0.0.2", "40000", "10.0.0.1", "1433");
            Map<String, String> packetFields = new LinkedHashMap<>(sock.fields());
            packetFields.put("source", BpfLines.EBPF);
            KernelEvent packet = new KernelEvent(KernelJournal.KFREE_SKB, Instant.EPOCH, -1, -1, "", packetFields);
            assertThat(src.matches(sock)).isEqualTo(Match.MATCH);
            assertThat(src.matches(packet)).isEqualTo(Match.NO_MATCH);
            assertThat(src.matches(sock)).isEqualTo(Match.MATCH);
        }
    }

    /** A tracefs TCP socket event's fields, as {@link TraceLines} makes them (protocol=TCP, local end first). */
    private static KernelEvent socket(String name, String local, String localPort, String remote, String remotePort) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("saddr", local);
        f.put("sport", localPort);
        f.put("daddr", remote);
        f.put("dport", remotePort);
        f.put("protocol", "TCP");
        return new KernelEvent(name, Instant.EPOCH, 0, 1, "x", f);
    }

    @Test
    void filtersABareIpHeaderCannotAnswer_narrowNothing_andSayWhy() {
        for (String filter : new String[] {"ether host 02:00:0a:c8:00:01", "vlan and tcp", "arp",
                "tcp[13] & 2 != 0", "greater 1000", "inbound", "ip multicast", "ether proto 0x0800 and tcp port 1433"}) {
            try (RecordFilter f = RecordFilter.forFilter(Optional.of(filter))) {
                assertThat(f.narrows()).as(filter).isFalse();
                assertThat(f.notNarrowed()).as(filter).isPresent();
                assertThat(f.matches(ebpf("IPv4", "UDP", "127.0.0.1", "1", "127.0.0.1", "9", ""))).as(filter)
                        .isEqualTo(Match.UNKNOWN);
            }
        }
        try (RecordFilter none = RecordFilter.forFilter(Optional.empty())) {
            assertThat(none.narrows()).isFalse();
            assertThat(none.notNarrowed()).as("no filter: nothing to say").isEmpty();
        }
    }

    @Test
    void afterClose_unknown_neverACrash() {
        RecordFilter f = RecordFilter.forFilter(Optional.of("udp"));
        f.close();
        f.close();
        assertThat(f.matches(ebpf("IPv4", "UDP", "127.0.0.1", "1", "127.0.0.1", "9", ""))).isEqualTo(Match.UNKNOWN);
    }

    /** An eBPF drop record's fields, as {@link BpfLines} makes them. */
    private static KernelEvent ebpf(String protocol, String ipproto, String saddr, String sport, String daddr,
            String dport, String flags) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("source", BpfLines.EBPF);
        f.put("reason", "NETFILTER_DROP");
        f.put("protocol", protocol);
        f.put("ipproto", ipproto);
        f.put("saddr", saddr);
        f.put("daddr", daddr);
        if (!sport.isEmpty()) {
            f.put("sport", sport);
            f.put("dport", dport);
        }
        if (!flags.isEmpty()) {
            f.put("flags", flags);
        }
        f.put("ttl", "64");
        return new KernelEvent(KernelJournal.KFREE_SKB, Instant.EPOCH, -1, -1, "", f);
    }
}
