package io.github.pcapunit.assertions.synthetic;

import static io.github.pcapunit.assertions.PcapunitAssertions.assertThat;
import static io.github.pcapunit.assertions.synthetic.Expected.NO_KERNEL_EVIDENCE;
import static io.github.pcapunit.assertions.synthetic.Expected.fails;
import static io.github.pcapunit.assertions.synthetic.Expected.head;
import static io.github.pcapunit.assertions.synthetic.Expected.led;
import static io.github.pcapunit.assertions.synthetic.Expected.passes;
import static io.github.pcapunit.assertions.synthetic.TrafficFile.CLIENT;
import static io.github.pcapunit.assertions.synthetic.TrafficFile.SERVER;
import static io.github.pcapunit.assertions.synthetic.TrafficFile.at;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Confidence;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.analysis.Fate;
import io.github.pcapunit.core.analysis.Verdict;
import java.nio.file.Path;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One verdict per flow, from synthetic captures taken at the client of a client — router —
 * server path: the server's packets arrive with TTL/hop limit 63, the client's own and a
 * router's with 64. Each test states what happened, who sent it, and how sure the verdict is.
 */
class VerdictsTest {

    /** The server behind the router, one hop away from the capture point. */
    private static final String FAR = "10.200.3.20";
    /** The router between client and server. */
    private static final String ROUTER = "10.200.2.1";
    private static final String CLIENT6 = "fd00:200:1::10";
    private static final String FAR6 = "fd00:200:3::20";

    @TempDir
    Path dir;

    /** Handshake and a 5-byte request from {@code client}; the server's packets arrive with {@code serverTtl}. */
    private static TrafficFile handshake(TrafficFile f, long t, String client, int sport, String server, int dport,
                                         int serverTtl) {
        return f.tcp(t, client, sport, server, dport, Frames.SYN, 1000, 0, 0, 64)
                .tcp(t + 100, server, dport, client, sport, Frames.SYN | Frames.ACK, 5000, 1001, 0, serverTtl)
                .tcp(t + 150, client, sport, server, dport, Frames.ACK, 1001, 5001, 0, 64)
                .tcp(t + 200, client, sport, server, dport, Frames.PSH | Frames.ACK, 1001, 5001, 5, 64);
    }

    @Test
    void clientResetsAfterAPartialRead_passesEveryNoDropsCheck() {
        // GIVEN the client reads part of a 1000-byte answer and closes: Linux sends RST (unread data);
        // a second client closes at once with SO_LINGER 0: RST instead of FIN.
        TrafficFile f = handshake(TrafficFile.in(dir, "partial-read"), 0, CLIENT, 50500, SERVER, 1433, 64)
                .tcp(300, SERVER, 1433, CLIENT, 50500, Frames.PSH | Frames.ACK, 5001, 1006, 1000, 64)
                .tcp(400, CLIENT, 50500, SERVER, 1433, Frames.RST | Frames.ACK, 1006, 6001, 0, 64);
        CapturedTraffic traffic = handshake(f, 10_000, CLIENT, 50501, SERVER, 1433, 64)
                .tcp(10_300, CLIENT, 50501, SERVER, 1433, Frames.RST | Frames.ACK, 1006, 5001, 0, 64)
                .read();

        // THEN no "no drops" check fails, and the verdict says who closed
        passes(() -> assertThat(traffic).hasNoDroppedPacketsTo(1433).hasNoDroppedPacketsTo(SERVER, 1433).hasNoDrops()
                .isReachable(SERVER, 1433).connections().to(1433).allEstablished().noneReset());
        Assertions.assertThat(traffic.drops()).isEmpty();
        Assertions.assertThat(traffic.verdictsTo(1433)).hasSize(2).allSatisfy(v -> {
            Assertions.assertThat(v.fate()).isEqualTo(Fate.CLOSED_BY_INITIATOR);
            Assertions.assertThat(v.confidence()).isEqualTo(Confidence.OBSERVED);
            Assertions.assertThat(v.isFailure()).isFalse();
            Assertions.assertThat(v.sentence()).contains("was reset by its own initiator 10.200.1.10");
        });
    }

    @Test
    void serverResetsAfterTheHandshake_stillFails() {
        CapturedTraffic traffic = handshake(TrafficFile.in(dir, "server-reset"), 0, CLIENT, 50502, SERVER, 1433, 64)
                .tcp(300, SERVER, 1433, CLIENT, 50502, Frames.RST | Frames.ACK, 5001, 1006, 0, 64)
                .read();

        Assertions.assertThat(traffic.verdictsTo(1433)).singleElement()
                .satisfies(v -> Assertions.assertThat(v.fate()).isEqualTo(Fate.RESET_BY_PEER))
                .satisfies(v -> Assertions.assertThat(v.confidence()).isEqualTo(Confidence.OBSERVED));
        Assertions.assertThatThrownBy(() -> assertThat(traffic).hasNoDroppedPacketsTo(1433))
                .hasMessageStartingWith("TCP 10.200.1.10:50502 \u2192 10.200.1.20:1433 was reset by the server"
                        + " 10.200.1.20 at +0.000 s (frame 5) after the handshake (observed).\n");
    }

    @Test
    void routerRejectsWithTcpReset_isAttributedToThePathWithTheHopDistance() {
        // GIVEN the server answers on port 80 (its packets arrive with TTL 63); a RST for port 1433
        // claiming to come from it arrives with TTL 64: sent one hop closer, by the router
        CapturedTraffic traffic = handshake(TrafficFile.in(dir, "router-reset"), 0, CLIENT, 50400, FAR, 80, 63)
                .tcp(300, FAR, 80, CLIENT, 50400, Frames.ACK, 5001, 1006, 0, 63)
                .tcp(100_000, CLIENT, 50401, FAR, 1433, Frames.SYN, 7000, 0, 0, 64)
                .tcp(100_200, FAR, 1433, CLIENT, 50401, Frames.RST | Frames.ACK, 0, 7001, 0, 64)
                .read();

        Verdict v = traffic.verdictsTo(1433).get(0);
        Assertions.assertThat(v.fate()).isEqualTo(Fate.RESET_BY_PATH);
        Assertions.assertThat(v.confidence()).isEqualTo(Confidence.INFERRED);
        Assertions.assertThat(v.where()).hasValue("1 hop closer than 10.200.3.20");
        Assertions.assertThat(traffic.dropsTo(1433)).extracting(d -> d.kind()).containsExactly(DropKind.RESET_BY_PATH);
        String lead = "TCP 10.200.1.10:50401 \u2192 10.200.3.20:1433 was reset by a device on the path, not by"
                + " 10.200.3.20: the RST that claims to come from 10.200.3.20 was sent by a device 1 hop closer than"
                + " 10.200.3.20 (its TTL gives it away) (inferred).";
        fails(() -> assertThat(traffic).hasNoDroppedPacketsTo(1433), led(traffic, head(lead,
                        "  SYN 10.200.1.10:50401 \u2192 10.200.3.20:1433 at +0.100 s refused: RST from 10.200.3.20:1433"
                                + " at +0.100 s, sent by a device 1 hop closer than 10.200.3.20, not by 10.200.3.20",
                        "  the RST from 10.200.3.20 arrived with TTL 64, 1 hop closer than 10.200.3.20's own packets"
                                + " (TTL 63): sent by a device 1 hop closer than 10.200.3.20, not by 10.200.3.20"),
                "to have no dropped packets to port 1433",
                "but found 1 drop (see above)",
                NO_KERNEL_EVIDENCE));
        passes(() -> assertThat(traffic).hasNoDroppedPacketsTo(80));
    }

    @Test
    void serverRefusesWithTheTtlOfItsOwnPackets_isRefusedObserved() {
        CapturedTraffic traffic = handshake(TrafficFile.in(dir, "server-refuses"), 0, CLIENT, 50402, FAR, 80, 63)
                .tcp(100_000, CLIENT, 50403, FAR, 1433, Frames.SYN, 7000, 0, 0, 64)
                .tcp(100_200, FAR, 1433, CLIENT, 50403, Frames.RST | Frames.ACK, 0, 7001, 0, 63)
                .read();

        Verdict v = traffic.verdictsTo(1433).get(0);
        Assertions.assertThat(v.fate()).isEqualTo(Fate.REFUSED);
        Assertions.assertThat(v.confidence()).isEqualTo(Confidence.OBSERVED);
        Assertions.assertThat(v.evidence()).contains("the RST from 10.200.3.20 arrived with TTL 63, as 10.200.3.20's"
                + " own packets did: sent by 10.200.3.20");
    }

    @Test
    void routerResetOverIpv6_isAttributedByTheHopLimit() {
        CapturedTraffic traffic = handshake(TrafficFile.in(dir, "router-reset-v6"), 0, CLIENT6, 50410, FAR6, 80, 63)
                .tcp(100_000, CLIENT6, 50411, FAR6, 1433, Frames.SYN, 7000, 0, 0, 64)
                .tcp(100_200, FAR6, 1433, CLIENT6, 50411, Frames.RST | Frames.ACK, 0, 7001, 0, 64)
                .read();

        Verdict v = traffic.verdictsTo(1433).get(0);
        Assertions.assertThat(v.fate()).isEqualTo(Fate.RESET_BY_PATH);
        Assertions.assertThat(v.evidence()).contains("the RST from fd00:200:3::20 arrived with hop limit 64, 1 hop"
                + " closer than fd00:200:3::20's own packets (hop limit 63): sent by a device 1 hop closer than"
                + " fd00:200:3::20, not by fd00:200:3::20");
        Assertions.assertThatThrownBy(() -> assertThat(traffic).isReachable(FAR6, 1433))
                .hasMessageStartingWith("fd00:200:3::20: no ICMP echo was sent; port 1433: TCP [fd00:200:1::10]:50411"
                        + " \u2192 [fd00:200:3::20]:1433 was reset by a device on the path")
                .hasMessageContaining(" \u2014 a device on the path resets it, not the server.\n");
        passes(() -> assertThat(traffic).isReachable(FAR6, 80));
    }

    @Test
    void routerAnswersWithAdminProhibited_namesTheRouterAndItsDistance() {
        byte[] synIp = Frames.ipv4(Frames.TCP, CLIENT, FAR, Frames.tcp(50404, 1433, 7000, 0, Frames.SYN, 0));
        CapturedTraffic traffic = handshake(TrafficFile.in(dir, "router-prohibits"), 0, CLIENT, 50405, FAR, 80, 63)
                .tcp(100_000, CLIENT, 50404, FAR, 1433, Frames.SYN, 7000, 0, 0, 64)
                .frame(100_300, Frames.ipv4Frame(Frames.ICMP, ROUTER, CLIENT, Frames.icmpError(3, 13, synIp), 64))
                .read();

        Verdict v = traffic.verdictsTo(1433).get(0);
        Assertions.assertThat(v.fate()).isEqualTo(Fate.UNREACHABLE);
        Assertions.assertThat(v.sentence()).isEqualTo("TCP 10.200.1.10:50404 \u2192 10.200.3.20:1433 is unreachable:"
                + " ICMP admin prohibited (type 3 code 13) sent by 10.200.2.1, 1 hop closer than 10.200.3.20");
        Assertions.assertThat(v.evidence()).contains("the ICMP admin prohibited (type 3 code 13) from 10.200.2.1"
                + " arrived with TTL 64; nothing else from 10.200.2.1 was captured to compare it with: the origin is"
                + " unverified");
    }

    @Test
    void fullSizeSegmentsNeverAcknowledged_isAPathMtuBlackHole() {
        // GIVEN small segments get through; the 1448-byte one is sent 4 times and never acknowledged,
        // while the router's "fragmentation needed" was captured but never acted upon
        TrafficFile f = handshake(TrafficFile.in(dir, "pmtu"), 0, CLIENT, 50406, FAR, 443, 63)
                .tcp(300, FAR, 443, CLIENT, 50406, Frames.PSH | Frames.ACK, 5001, 1006, 100, 63)
                .tcp(400, CLIENT, 50406, FAR, 443, Frames.ACK, 1006, 5101, 0, 64);
        for (int i = 0; i < 4; i++) {
            f.tcp(1_000 + i * 200_000L, CLIENT, 50406, FAR, 443, Frames.PSH | Frames.ACK, 1006, 5101, 1448, 64);
        }
        byte[] big = Frames.ipv4(Frames.TCP, CLIENT, FAR, Frames.tcp(50406, 443, 1006, 5101, Frames.ACK, 0));
        CapturedTraffic traffic = f.frame(1_100, Frames.ipv4Frame(Frames.ICMP, ROUTER, CLIENT,
                Frames.icmpError(3, 4, big), 64)).read();

        Verdict v = traffic.verdictsTo(443).get(0);
        Assertions.assertThat(v.fate()).isEqualTo(Fate.PMTU_BLACK_HOLE);
        Assertions.assertThat(v.confidence()).isEqualTo(Confidence.INFERRED);
        Assertions.assertThat(v.sentence()).isEqualTo("TCP 10.200.1.10:50406 \u2192 10.200.3.20:443 stalled in a"
                + " path-MTU black hole: 10.200.1.10's segments of 1448 bytes never got through while segments of up"
                + " to 5 bytes were acknowledged, and no working \"packet too big\" signal came back");
        Assertions.assertThat(v.evidence()).contains("3 retransmissions by 10.200.1.10 of segments up to 1448 bytes,"
                + " never acknowledged");
        Assertions.assertThat(v.evidence()).anyMatch(e -> e.startsWith("ICMP fragmentation needed from 10.200.2.1"));
        Assertions.assertThatThrownBy(() -> assertThat(traffic).hasNoDroppedPacketsTo(443))
                .hasMessageStartingWith("TCP 10.200.1.10:50406 \u2192 10.200.3.20:443 stalled in a path-MTU black hole");
    }

    @Test
    void pingPassesTcpDroppedOnThisHost_isOneAssertion() {
        // GIVEN ping to the server is answered, while this host's firewall drops every SYN to 1438
        CapturedTraffic traffic = Scenarios.healthy(dir, "ping-passes").kernelEvidenceRecorded()
                .journal(KernelEvents.connect(at(2_000_000), CLIENT, SERVER, 1438))
                .journal(KernelEvents.drop(at(2_000_011), "NETFILTER_DROP", "nft_do_chain"))
                .journal(KernelEvents.retransmitSyn(at(3_015_000), CLIENT, 50300, SERVER, 1438))
                .journal(KernelEvents.dropInSoftirq(at(3_015_040), "NETFILTER_DROP", "nft_do_chain"))
                .journal(KernelEvents.giveUp(at(4_000_000), CLIENT, 50300, SERVER, 1438))
                .read();

        passes(() -> assertThat(traffic).isReachable(SERVER, 1433));
        fails(() -> assertThat(traffic).isReachable(SERVER, 1438), led(traffic, head(
                "10.200.1.20: ICMP echo answered (the network path works); port 1438: TCP 10.200.1.10:50300"
                        + " \u2192 10.200.1.20:1438 was dropped on this host: the kernel dropped 2 packets of it"
                        + " (NETFILTER_DROP at nft_do_chain) and none reached a captured interface \u2014 the cause is"
                        + " on this host, not the server.",
                "  [COMPLETED, observed] ICMP echo 10.200.1.10 \u2192 10.200.1.20 id=7 answered: 2 requests, 2 answered",
                "  Drop: reason NETFILTER_DROP, component netfilter (nftables, nft_do_chain), TCP 10.200.1.10:50300"
                        + " \u2192 10.200.1.20:1438 SYN, 2 packets, process java (pid 4242)"),
                "to have 10.200.1.20:1438 reachable",
                "but 1 of 1 flow to it failed"));
    }

    @Test
    void pingPassesSynUnanswered_saysIcmpGetsThroughButTcpDoesNot() {
        CapturedTraffic traffic = Scenarios.healthy(dir, "ping-passes-syn-lost")
                .tcp(2_000_000, CLIENT, 50200, SERVER, 1434, Frames.SYN, 7000, 0, 0)
                .tcp(3_015_000, CLIENT, 50200, SERVER, 1434, Frames.SYN, 7000, 0, 0)
                .read();

        Assertions.assertThat(traffic.diagnosis(SERVER, 1434).sentence()).isEqualTo("10.200.1.20: ICMP echo answered"
                + " (the network path works); port 1434: TCP 10.200.1.10:50200 \u2192 10.200.1.20:1434 was not"
                + " answered: SYN sent 2\u00d7 at +2.000 s, +3.015 s, and no SYN-ACK, reset or ICMP error came back;"
                + " where it was lost is not recorded \u2014 ICMP gets through but this traffic does not: a"
                + " port-specific filter on the path or at the server (kernel evidence would say where)");
        Assertions.assertThat(traffic.diagnosis(SERVER, 1434).isReachable()).isFalse();
        Assertions.assertThat(traffic.diagnosis(SERVER, 1433).isReachable()).isTrue();
    }
}
