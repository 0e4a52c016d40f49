package io.github.pcapunit.core;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureFilter;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;

import static io.github.pcapunit.core.capture.CaptureFilter.anyTransport;
import static io.github.pcapunit.core.capture.CaptureFilter.bpf;
import static io.github.pcapunit.core.capture.CaptureFilter.dstHost;
import static io.github.pcapunit.core.capture.CaptureFilter.ethertype;
import static io.github.pcapunit.core.capture.CaptureFilter.host;
import static io.github.pcapunit.core.capture.CaptureFilter.icmp;
import static io.github.pcapunit.core.capture.CaptureFilter.icmp6;
import static io.github.pcapunit.core.capture.CaptureFilter.mac;
import static io.github.pcapunit.core.capture.CaptureFilter.net;
import static io.github.pcapunit.core.capture.CaptureFilter.not;
import static io.github.pcapunit.core.capture.CaptureFilter.srcHost;
import static io.github.pcapunit.core.capture.CaptureFilter.tcp;
import static io.github.pcapunit.core.capture.CaptureFilter.udp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed filter renders the BPF that pktmon's and netsh's filters mean, and libpcap accepts it. */
class FilterTest {

    @TempDir
    Path dir;

    @Test
    void seedFilters_renderToTheTcpdumpEquivalent() {
        // pktmon filter add -t tcp -p 1433 ; netsh Protocol=TCP IPv4.Address=10.0.1.20
        assertThat(tcp().port(1433).and(host("10.0.1.20")).bpf()).isEqualTo("(tcp port 1433) and (host 10.0.1.20)");
        // pktmon filter add -p 80 (any transport)
        assertThat(anyTransport().port(80).bpf()).isEqualTo("port 80");
        // pktmon filter add -t icmp / icmpv6
        assertThat(icmp().or(icmp6()).bpf()).isEqualTo("(icmp) or (icmp6)");
        // netsh Ethernet.Type=IPv4 / pktmon -d ARP
        assertThat(ethertype(CaptureFilter.EtherType.IPV4).bpf()).isEqualTo("ip");
        assertThat(ethertype(CaptureFilter.EtherType.IPV6).bpf()).isEqualTo("ip6");
        assertThat(ethertype(CaptureFilter.EtherType.ARP).bpf()).isEqualTo("arp");
        assertThat(ethertype(0x88CC).bpf()).isEqualTo("ether proto 0x88cc");
        // netsh IPv4.SourceAddress / IPv4.DestinationAddress
        assertThat(srcHost("192.0.2.1").bpf()).isEqualTo("src host 192.0.2.1");
        assertThat(dstHost("2001:db8::1").bpf()).isEqualTo("dst host 2001:db8::1");
        assertThat(udp().dstPort(53).bpf()).isEqualTo("udp dst port 53");
        assertThat(tcp().srcPort(5000).dstPort(1433).bpf()).isEqualTo("tcp src port 5000 and dst port 1433");
        assertThat(net("10.200.0.0/16").bpf()).isEqualTo("net 10.200.0.0/16");
        assertThat(mac("02-00-0A-C8-00-01").bpf()).isEqualTo("ether host 02:00:0a:c8:00:01");
        assertThat(not(udp().port(53)).bpf()).isEqualTo("not (udp port 53)");
        assertThat(anyTransport().bpf()).isEqualTo("tcp or udp or sctp");
    }

    @Test
    void everyRenderedFilter_compilesInLibpcap() {
        EngineTools.assumeCapture();
        List<CaptureFilter> all = List.of(tcp().port(1433).and(host("10.0.1.20")), anyTransport().port(80),
                icmp().or(icmp6()), ethertype(CaptureFilter.EtherType.ARP), ethertype(0x88CC), srcHost("192.0.2.1"),
                dstHost("2001:db8::1"), udp().dstPort(53), tcp().srcPort(1).dstPort(2), net("10.200.0.0/16"),
                net("2001:db8::/32"), not(udp().port(53)), anyTransport(), bpf("tcp[tcpflags] & tcp-syn != 0"));
        for (CaptureFilter f : all) {
            assertThat(CaptureSpec.builder().filter(f).build().validate().filter()).contains(f.bpf());
        }
        // a MAC filter needs a link layer with MAC addresses: fine on lo (Ethernet), refused on "any"
        assertThat(CaptureSpec.builder().interfaces("lo").filter(mac("02:00:0a:c8:00:01")).build().validate()
                .filter()).contains("ether host 02:00:0a:c8:00:01");
        assertThatThrownBy(() -> CaptureSpec.builder().filter(mac("02:00:0a:c8:00:01")).build().validate())
                .isInstanceOf(InvalidFilterException.class)
                .hasMessageContaining("ethernet addresses supported only on ethernet");
    }

    @Test
    void badPieces_failNamingMethodAndValue() {
        assertThatThrownBy(() -> tcp().port(70000)).isInstanceOfSatisfying(InvalidCaptureSpecException.class, e -> {
            assertThat(e.parameter()).isEqualTo("port");
            assertThat(e.value()).isEqualTo("70000");
        }).hasMessage("port(70000) is not a port: use 0-65535, e.g. tcp().port(1433)");
        assertThatThrownBy(() -> icmp().port(7)).isInstanceOf(InvalidCaptureSpecException.class)
                .hasMessageContaining("needs a protocol with ports, but this filter is \"icmp\"");
        assertThatThrownBy(() -> host("db.example.com")).isInstanceOf(InvalidCaptureSpecException.class)
                .hasMessageStartingWith("host(\"db.example.com\") is not an IP address")
                .hasMessageContaining("never queries DNS");
        assertThatThrownBy(() -> host("10.0.0.256")).isInstanceOf(InvalidCaptureSpecException.class);
        assertThatThrownBy(() -> net("10.0.0.0/33")).isInstanceOf(InvalidCaptureSpecException.class)
                .hasMessageContaining("net(\"10.0.0.0/33\") is not a network in CIDR notation");
        assertThatThrownBy(() -> mac("02:00")).hasMessageStartingWith("mac(\"02:00\") is not a MAC address");
        assertThatThrownBy(() -> ethertype(0x10)).hasMessageStartingWith("ethertype(0x10) is not an ethertype");
        assertThatThrownBy(() -> bpf(" ")).hasMessageStartingWith("bpf(\"\") is empty");
    }

    @Test
    void hostFilterOnRealTraffic_keepsOnlyThatDestination() throws IOException {
        EngineTools.assumeCapture();
        int port = EngineTools.freeUdpPort();
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo")
                .filter(udp().dstPort(port).and(dstHost("127.0.0.2")))
                .output(dir.resolve("host.pcapng")).build();
        CaptureResult result;
        try (Capture capture = Capture.start(spec); DatagramSocket s = new DatagramSocket()) {
            for (int i = 0; i < 10; i++) {
                for (String to : List.of("127.0.0.1", "127.0.0.2", "127.0.0.3")) {
                    byte[] b = {(byte) i};
                    s.send(new DatagramPacket(b, 1, new InetSocketAddress(InetAddress.getByName(to), port)));
                }
            }
            result = capture.stop();
        }
        assertThat(EngineTools.tshark(result.file(), null, "ip.dst")).hasSize(10).containsOnly("127.0.0.2");
        assertThat(EngineTools.tshark(result.file(), null, "frame.interface_name")).containsOnly("lo");
    }
}
