package io.github.pcapunit.core;

import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.packet.Endpoint;
import io.github.pcapunit.core.packet.Flow;
import io.github.pcapunit.core.packet.IpProtocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.check.internal.DropChecks;
import io.github.pcapunit.core.check.internal.MessageContext;
import io.github.pcapunit.core.check.internal.ShouldAllBeAnswered;
import io.github.pcapunit.core.check.internal.ShouldAllBeEstablished;
import io.github.pcapunit.core.check.internal.ShouldBeComplete;
import io.github.pcapunit.core.check.internal.ShouldHaveNoDrops;
import io.github.pcapunit.core.check.internal.ShouldHaveNoTrafficTo;
import io.github.pcapunit.core.check.internal.ShouldHavePacketCount;
import io.github.pcapunit.core.check.internal.ShouldHaveSeenTraffic;
import io.github.pcapunit.core.check.internal.ShouldNoneBeReset;
import io.github.pcapunit.core.check.internal.ShouldNoneBeRetransmitted;
import io.github.pcapunit.core.check.internal.ShouldOnlyTalkTo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pins the exact text of every failure-message factory: one test per failure kind. */
class ExpectationMessagesTest {

    private static final Path FILE = Path.of("/tmp/pcapunit/DbTest.pcapng");
    private static final MessageContext CTX = MessageContext.none().withFile(FILE);
    private static final String SYN_LINE =
            "SYN 10.0.1.10:50122 \u2192 10.0.1.20:1433 sent 3\u00d7 at +0.000 s, +1.022 s, +3.046 s, no SYN-ACK";
    private static final String VERDICT = "TCP 10.0.1.10:50122 \u2192 10.0.1.20:1433 was not answered (observed)";

    @Test
    void drops_toPort_leadWithTheVerdict_thenEvidence_thenTheFile() {
        String text = ShouldHaveNoDrops.shouldHaveNoDrops(CTX, "port 1433", VERDICT, List.of(SYN_LINE), 1);

        assertThat(text).isEqualTo(VERDICT + ".\n"
                + "  " + SYN_LINE + "\n"
                + "Expecting the traffic captured in /tmp/pcapunit/DbTest.pcapng\n"
                + "to have no dropped packets to port 1433\n"
                + "but found 1 drop (see above)");
    }

    @Test
    void drops_withCaptureLossAndNoKernelEvidence_stateBoth() {
        MessageContext ctx = CTX.withCaptureLoss("The capture is incomplete: it lost 12 packets.")
                .withKernelEvidenceMissing("Kernel drop evidence was not recorded: not running as root.");

        String text = ShouldHaveNoDrops.shouldHaveNoDrops(ctx, null, "2 flows failed: 2 unanswered",
                List.of("a", "b"), 2);

        assertThat(text).isEqualTo("2 flows failed: 2 unanswered.\n"
                + "  a\n"
                + "  b\n"
                + "Expecting the traffic captured in /tmp/pcapunit/DbTest.pcapng\n"
                + "to have no dropped packets\n"
                + "but found 2 drops (see above)\n"
                + "The capture is incomplete: it lost 12 packets.\n"
                + "Kernel drop evidence was not recorded: not running as root.");
    }

    @Test
    void manyEvidenceLines_areCutAtAScreenful() {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            lines.add("line " + i);
        }

        String text = ShouldHaveNoDrops.shouldHaveNoDrops(MessageContext.none(), "port 80", "25 flows failed", lines,
                25);

        assertThat(text).startsWith("25 flows failed.\n  line 1\n")
                .contains("  line 20\n  ... and 5 more\nExpecting the captured traffic\n")
                .doesNotContain("line 21");
        assertThat(text.lines()).hasSize(1 + 20 + 1 + 3);
    }

    @Test
    void noTraffic_explainsWhereThePacketsWentAndHowToAllowIt() {
        MessageContext ctx = CTX.withKernelEvidenceMissing(
                "Kernel drop evidence was not recorded: tracefs is not mounted.");

        String text = ShouldHaveSeenTraffic.shouldHaveSeenTraffic(ctx, "to have no dropped packets to port 1433",
                "port 1433");

        assertThat(text).isEqualTo("Expecting the traffic captured in /tmp/pcapunit/DbTest.pcapng\n"
                + "to have no dropped packets to port 1433\n"
                + "but no traffic to port 1433 was seen: if the code did connect, the packets were dropped"
                + " before reaching a captured interface (e.g. by a local firewall).\n"
                + "Kernel drop evidence was not recorded: tracefs is not mounted.\n"
                + "If no traffic is a valid outcome here, allow it explicitly: allowingNoTraffic() in assertions,"
                + " <allowNoTraffic>true</allowNoTraffic> in capture:verify.");
    }

    @Test
    void noTrafficAtAll_saysSoWithoutATarget() {
        String text = ShouldHaveSeenTraffic.shouldHaveSeenTraffic(MessageContext.none(), "to have no dropped packets",
                null);

        assertThat(text).isEqualTo("Expecting the captured traffic\n"
                + "to have no dropped packets\n"
                + "but no traffic was seen at all: if the code did send packets, they were dropped before"
                + " reaching a captured interface (e.g. by a local firewall) or the capture filter excludes them.\n"
                + ShouldHaveSeenTraffic.HOW_TO_ALLOW);
    }

    @Test
    void kernelDrops_countForNoDropsOnlyWhenTiedToTheCapture() {
        Flow ours = Flow.of(IpProtocol.TCP, Endpoint.of("10.200.1.10", 50122), Endpoint.of("10.200.1.20", 1433));
        Flow elsewhere = Flow.of(IpProtocol.TCP, Endpoint.of("10.200.9.10", 40000), Endpoint.of("10.200.9.20", 1433));
        java.util.Set<java.net.InetAddress> seen = java.util.Set.of(ours.source().address());
        Drop.Builder kernel = Drop.builder(DropKind.KERNEL_DROP, EvidenceSource.KERNEL).reason("NETFILTER_DROP");

        assertThat(DropChecks.attributable(kernel.flow(ours).build(), seen)).isTrue();
        assertThat(DropChecks.attributable(kernel.flow(elsewhere).build(), seen)).isFalse();
        assertThat(DropChecks.attributable(kernel.flow(elsewhere).build(), java.util.Set.of())).isTrue();
        assertThat(DropChecks.attributable(Drop.builder(DropKind.KERNEL_DROP, EvidenceSource.KERNEL).build(), seen))
                .isFalse();
        assertThat(DropChecks.attributable(Drop.builder(DropKind.REFUSED, EvidenceSource.WIRE).flow(elsewhere).build(),
                seen)).isTrue();
    }

    @Test
    void noEchoRequest_saysWhatWasMissing() {
        String text = ShouldHaveSeenTraffic.shouldHaveSeen(CTX, "to have all ICMP echo requests answered",
                "ICMP echo request");

        assertThat(text).isEqualTo("Expecting the traffic captured in /tmp/pcapunit/DbTest.pcapng\n"
                + "to have all ICMP echo requests answered\n"
                + "but no ICMP echo request was seen: if the code did send one, it was dropped before reaching a"
                + " captured interface (e.g. by a local firewall).\n"
                + ShouldHaveSeenTraffic.HOW_TO_ALLOW);
    }

    @Test
    void noEchoRequestButUntiedFirewallDrops_listsThemAsTheLikelyCause() {
        String drop = "Drop: reason NETFILTER_DROP, component netfilter (nftables, nft_do_chain), IPv4 packet,"
                + " 3 packets, process ping (pid 4242)";

        String text = ShouldHaveSeenTraffic.shouldHaveSeenButUntiedDrops(CTX, "to have all ICMP echo requests answered",
                "ICMP echo request", List.of(drop), 1);

        assertThat(text).isEqualTo("Expecting the traffic captured in /tmp/pcapunit/DbTest.pcapng\n"
                + "to have all ICMP echo requests answered\n"
                + "but no ICMP echo request was seen, while the firewall dropped packets that the kernel could"
                + " not tie to a flow (its drop events name no addresses; explainFirewall names the rule and both"
                + " hosts):\n"
                + "  " + drop);
    }

    @Test
    void noConnectionButKernelDrops_listsTheDrops_countingThePacketsTheyStandFor() {
        String drop = "Drop: reason NETFILTER_DROP, component netfilter (nftables, nft_do_chain),"
                + " TCP 10.200.1.10:50122 \u2192 10.200.1.20:1433 SYN, 3 packets, process java (pid 4242)";

        String text = ShouldHaveSeenTraffic.shouldHaveSeenButDropped(CTX,
                "to have all connections to port 1433 established", "TCP connection to port 1433", List.of(drop), 1, 3);

        assertThat(text).isEqualTo("Expecting the traffic captured in /tmp/pcapunit/DbTest.pcapng\n"
                + "to have all connections to port 1433 established\n"
                + "but no TCP connection to port 1433 was seen, only 3 drops:\n"
                + "  " + drop);
    }

    @Test
    void incompleteCapture_listsLossPerInterface_once() {
        MessageContext ctx = CTX.withCaptureLoss("The capture is incomplete: it lost 12 packets.");

        String text = ShouldBeComplete.shouldBeComplete(ctx, 12,
                List.of("interface any: 12 dropped by the kernel buffer, 0 by the interface"));

        assertThat(text).isEqualTo("Expecting the traffic captured in /tmp/pcapunit/DbTest.pcapng\n"
                + "to be complete (no packet lost by the capture)\n"
                + "but the capture lost 12 packets:\n"
                + "  interface any: 12 dropped by the kernel buffer, 0 by the interface");
    }

    @Test
    void onlyTalksTo_listsTheOtherFlows() {
        String text = ShouldOnlyTalkTo.shouldOnlyTalkTo(CTX, List.of("127.0.0.0/8", "::1"),
                List.of("TCP 127.0.0.1:40000 \u2192 10.9.9.9:443, 3 packets, first at +0.120 s"), 1);

        assertThat(text).isEqualTo("Expecting the traffic captured in /tmp/pcapunit/DbTest.pcapng\n"
                + "to only talk to 127.0.0.0/8, ::1\n"
                + "but found 1 flow to other hosts:\n"
                + "  TCP 127.0.0.1:40000 \u2192 10.9.9.9:443, 3 packets, first at +0.120 s");
    }

    @Test
    void noTrafficTo_listsTheFlows() {
        String text = ShouldHaveNoTrafficTo.shouldHaveNoTrafficTo(CTX, "10.9.9.9:443", List.of("x", "y"), 2);

        assertThat(text).isEqualTo("Expecting the traffic captured in /tmp/pcapunit/DbTest.pcapng\n"
                + "to have no traffic to 10.9.9.9:443\n"
                + "but found 2 flows:\n"
                + "  x\n"
                + "  y");
    }

    @Test
    void notEstablished_countsAndLists() {
        String text = ShouldAllBeEstablished.shouldAllBeEstablished(CTX, VERDICT, "connections to port 1433", 3,
                List.of(SYN_LINE), 1);

        assertThat(text).isEqualTo(VERDICT + ".\n"
                + "  " + SYN_LINE + "\n"
                + "Expecting the traffic captured in /tmp/pcapunit/DbTest.pcapng\n"
                + "to have all 3 connections to port 1433 established\n"
                + "but 1 of 3 was not");
    }

    @Test
    void reset_countsAndLists() {
        String text = ShouldNoneBeReset.shouldNoneBeReset(CTX, "2 flows to port 1433 failed: 2 refused by the server",
                "connections to port 1433", 2, List.of("r1", "r2"), 2);

        assertThat(text).isEqualTo("2 flows to port 1433 failed: 2 refused by the server.\n"
                + "  r1\n"
                + "  r2\n"
                + "Expecting the traffic captured in /tmp/pcapunit/DbTest.pcapng\n"
                + "to have none of the 2 connections to port 1433 reset\n"
                + "but 2 were");
    }

    @Test
    void retransmitted_countsAndLists() {
        String text = ShouldNoneBeRetransmitted.shouldNoneBeRetransmitted(CTX, "C completed", "connections to port 1433",
                4, List.of("t1"), 1);

        assertThat(text).isEqualTo("C completed.\n"
                + "  t1\n"
                + "Expecting the traffic captured in /tmp/pcapunit/DbTest.pcapng\n"
                + "to have none of the 4 connections to port 1433 retransmitted\n"
                + "but 1 was");
    }

    @Test
    void unansweredEcho_countsAndLists() {
        String text = ShouldAllBeAnswered.shouldAllBeAnswered(CTX, "E was not answered", "10.0.0.20", 4,
                List.of("Echo request 10.0.0.10 \u2192 10.0.0.20 id 7 seq 1 at +0.000 s, no reply"), 1);

        assertThat(text).isEqualTo("E was not answered.\n"
                + "  Echo request 10.0.0.10 \u2192 10.0.0.20 id 7 seq 1 at +0.000 s, no reply\n"
                + "Expecting the traffic captured in /tmp/pcapunit/DbTest.pcapng\n"
                + "to have all 4 ICMP echo requests to 10.0.0.20 answered\n"
                + "but 1 of 4 got no echo reply");
    }

    @Test
    void packetCounts_sizeEmptyNotEmptyAllAny() {
        String selection = "packets matching \"tcp port 1433\"";

        assertThat(ShouldHavePacketCount.shouldHaveSize(CTX, selection, 3, 1, List.of("p1")))
                .isEqualTo("Expecting the traffic captured in /tmp/pcapunit/DbTest.pcapng\n"
                        + "to have 3 packets matching \"tcp port 1433\"\n"
                        + "but found 1:\n"
                        + "  p1");
        assertThat(ShouldHavePacketCount.shouldBeEmpty(CTX, selection, 2, List.of("p1", "p2")))
                .isEqualTo("Expecting the traffic captured in /tmp/pcapunit/DbTest.pcapng\n"
                        + "to have no packets matching \"tcp port 1433\"\n"
                        + "but found 2:\n"
                        + "  p1\n"
                        + "  p2");
        assertThat(ShouldHavePacketCount.shouldNotBeEmpty(CTX, selection))
                .isEqualTo("Expecting the traffic captured in /tmp/pcapunit/DbTest.pcapng\n"
                        + "to have at least one of the packets matching \"tcp port 1433\"\n"
                        + "but found none.");
        assertThat(ShouldHavePacketCount.shouldAllMatch(CTX, selection, "to have the SYN flag", List.of("p9"), 1, 5))
                .isEqualTo("Expecting the traffic captured in /tmp/pcapunit/DbTest.pcapng\n"
                        + "to have all 5 packets matching \"tcp port 1433\" to have the SYN flag\n"
                        + "but 1 did not:\n"
                        + "  p9");
        assertThat(ShouldHavePacketCount.shouldAnyMatch(CTX, selection, "to have the SYN flag", 5))
                .isEqualTo("Expecting the traffic captured in /tmp/pcapunit/DbTest.pcapng\n"
                        + "to have at least one of the 5 packets matching \"tcp port 1433\" to have the SYN flag\n"
                        + "but none did.");
    }
}
