package io.github.pcapunit.assertions.synthetic;

import static io.github.pcapunit.assertions.synthetic.TrafficFile.CLIENT;
import static io.github.pcapunit.assertions.synthetic.TrafficFile.SERVER;
import static io.github.pcapunit.assertions.synthetic.TrafficFile.at;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import java.nio.file.Path;

/**
 * The synthetic captures the assertion tests read, one per situation a test meets: a healthy
 * exchange, each way a connection or a ping fails on the wire, kernel evidence of drops that
 * left nothing on the wire, capture loss, and no traffic at all.
 */
final class Scenarios {

    /** Port of the healthy connection. */
    static final int DB = 1433;
    /** A host outside 10.200.1.0/24. */
    static final String OUTSIDE = "10.200.9.9";

    private Scenarios() {
    }

    /** 12 packets: a connection to {@link #DB} (8) and two answered pings (4). */
    static TrafficFile healthy(Path dir, String name) {
        return TrafficFile.in(dir, name)
                .connection(0, CLIENT, 50122, SERVER, DB)
                .echo(10_000, false, CLIENT, SERVER, 7, 1)
                .echo(10_400, true, SERVER, CLIENT, 7, 1)
                .echo(1_010_000, false, CLIENT, SERVER, 7, 2)
                .echo(1_010_350, true, SERVER, CLIENT, 7, 2);
    }

    static CapturedTraffic healthy(Path dir) {
        return healthy(dir, "healthy").read();
    }

    /** The healthy traffic plus two DNS queries to {@link #OUTSIDE}. */
    static CapturedTraffic outside(Path dir) {
        return healthy(dir, "outside")
                .udp(2_000_000, CLIENT, 40000, OUTSIDE, 53)
                .udp(2_500_000, CLIENT, 40000, OUTSIDE, 53)
                .read();
    }

    /** A SYN to port 1434 sent three times (+0, +1.015 s, +3.039 s), never answered. */
    static CapturedTraffic unanswered(Path dir) {
        return TrafficFile.in(dir, "unanswered")
                .tcp(0, CLIENT, 50200, SERVER, 1434, Frames.SYN, 7000, 0, 0)
                .tcp(1_015_000, CLIENT, 50200, SERVER, 1434, Frames.SYN, 7000, 0, 0)
                .tcp(3_039_000, CLIENT, 50200, SERVER, 1434, Frames.SYN, 7000, 0, 0)
                .read();
    }

    /** A SYN to port 1435 refused with a RST. */
    static CapturedTraffic refused(Path dir) {
        return TrafficFile.in(dir, "refused")
                .tcp(0, CLIENT, 50201, SERVER, 1435, Frames.SYN, 7000, 0, 0)
                .tcp(300, SERVER, 1435, CLIENT, 50201, Frames.RST | Frames.ACK, 0, 7001, 0)
                .read();
    }

    /** A SYN to port 1437 rejected with ICMP "administratively prohibited" (a firewall's reject). */
    static CapturedTraffic prohibited(Path dir) {
        byte[] synIp = Frames.ipv4(Frames.TCP, CLIENT, SERVER, Frames.tcp(50202, 1437, 7000, 0, Frames.SYN, 0));
        return TrafficFile.in(dir, "prohibited")
                .tcp(0, CLIENT, 50202, SERVER, 1437, Frames.SYN, 7000, 0, 0)
                .frame(400, Frames.ipv4Frame(Frames.ICMP, SERVER, CLIENT, Frames.icmpError(3, 13, synIp)))
                .read();
    }

    /** A connection to {@link #DB} whose 5 data bytes are sent again 200 ms later. */
    static CapturedTraffic retransmitted(Path dir) {
        return TrafficFile.in(dir, "retransmitted")
                .tcp(0, CLIENT, 50203, SERVER, DB, Frames.SYN, 1000, 0, 0)
                .tcp(100, SERVER, DB, CLIENT, 50203, Frames.SYN | Frames.ACK, 5000, 1001, 0)
                .tcp(150, CLIENT, 50203, SERVER, DB, Frames.ACK, 1001, 5001, 0)
                .tcp(200, CLIENT, 50203, SERVER, DB, Frames.PSH | Frames.ACK, 1001, 5001, 5)
                .tcp(200_200, CLIENT, 50203, SERVER, DB, Frames.PSH | Frames.ACK, 1001, 5001, 5)
                .tcp(200_300, SERVER, DB, CLIENT, 50203, Frames.ACK, 5001, 1006, 0)
                .read();
    }

    /** An established connection to {@link #DB} that the server resets. */
    static CapturedTraffic reset(Path dir) {
        return TrafficFile.in(dir, "reset")
                .tcp(0, CLIENT, 50204, SERVER, DB, Frames.SYN, 1000, 0, 0)
                .tcp(100, SERVER, DB, CLIENT, 50204, Frames.SYN | Frames.ACK, 5000, 1001, 0)
                .tcp(150, CLIENT, 50204, SERVER, DB, Frames.ACK, 1001, 5001, 0)
                .tcp(250_000, SERVER, DB, CLIENT, 50204, Frames.RST | Frames.ACK, 5001, 1001, 0)
                .read();
    }

    /** Two echo requests (id 9, seq 1 and 2) without reply. */
    static CapturedTraffic unansweredPing(Path dir) {
        return TrafficFile.in(dir, "unanswered-ping")
                .echo(0, false, CLIENT, SERVER, 9, 1)
                .echo(1_000_000, false, CLIENT, SERVER, 9, 2)
                .read();
    }

    /**
     * The healthy connection to {@link #DB}, while the JVM's own firewall drops its three SYNs to
     * port 1438 (+1 s, then retransmitted at +2.015 s and +4.039 s): nothing to 1438 on the wire,
     * only the kernel's {@code kfree_skb} records.
     */
    static CapturedTraffic outboundFirewallDrop(Path dir) {
        return TrafficFile.in(dir, "outbound-drop").kernelEvidenceRecorded()
                .connection(0, CLIENT, 50122, SERVER, DB)
                .journal(KernelEvents.connect(at(1_000_000), CLIENT, SERVER, 1438))
                .journal(KernelEvents.drop(at(1_000_011), "NETFILTER_DROP", "nft_do_chain"))
                .journal(KernelEvents.retransmitSyn(at(2_015_000), CLIENT, 50300, SERVER, 1438))
                .journal(KernelEvents.dropInSoftirq(at(2_015_040), "NETFILTER_DROP", "nft_do_chain"))
                .journal(KernelEvents.retransmitSyn(at(4_039_000), CLIENT, 50300, SERVER, 1438))
                .journal(KernelEvents.dropInSoftirq(at(4_039_040), "NETFILTER_DROP", "nft_do_chain"))
                .journal(KernelEvents.giveUp(at(5_000_000), CLIENT, 50300, SERVER, 1438))
                .read();
    }

    /**
     * {@code ping}'s two echo requests eaten by the JVM host's firewall: no packet on the wire, two
     * {@code kfree_skb} records the kernel cannot tie to a flow (they name no addresses).
     */
    static CapturedTraffic pingDroppedByFirewall(Path dir) {
        return TrafficFile.in(dir, "ping-dropped").kernelEvidenceRecorded()
                .journal(KernelEvents.drop(at(0), "NETFILTER_DROP", "nft_do_chain", "4243", "ping"))
                .journal(KernelEvents.drop(at(1_000_000), "NETFILTER_DROP", "nft_do_chain", "4243", "ping"))
                .read();
    }

    /** The healthy traffic, while the kernel buffer dropped 3 packets. */
    static CapturedTraffic lossy(Path dir) {
        return healthy(dir, "lossy").captureLoss(3).read();
    }

    /** No packet at all. */
    static CapturedTraffic empty(Path dir) {
        return TrafficFile.in(dir, "empty").read();
    }
}
