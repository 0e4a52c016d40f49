package io.github.pcapunit.core;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.check.TrafficExpectations;
import io.github.pcapunit.core.check.Violation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.capture.internal.kernel.KernelDrop;
import io.github.pcapunit.core.capture.internal.kernel.KernelDrops;
import io.github.pcapunit.core.capture.internal.kernel.KernelEvent;
import io.github.pcapunit.core.capture.internal.kernel.KernelRecorder;
import io.github.pcapunit.testing.ConnectResult;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.Leftovers;
import io.github.pcapunit.testing.NetLab;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The seed scenario end to end: namespaces app (10.200.1.10) and db (10.200.1.20), a listener on db:1433. */
class KernelEvidenceScenarioTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(1600);

    @BeforeAll
    static void requireRootAndTracefs() {
        NetLab.assumeAvailable();
        assumeThat(KernelRecorder.unavailableReason()).as("kernel evidence").isEmpty();
    }

    @AfterAll
    static void nothingLeftBehind() {
        assertThat(Leftovers.ofThisProcess()).isEmpty();
    }

    @Test
    void nftDropOnAppOutput_recordsNetfilterDropWithFlowAndProcess() {
        try (NetLab lab = NetLab.create()) {
            Host app = seedLab(lab);
            app.firewall().dropOutput("tcp dport 1433");

            List<KernelDrop> drops;
            ConnectResult connect;
            try (KernelRecorder recorder = KernelRecorder.start()) {
                connect = app.connectTcp("10.200.1.20", 1433, CONNECT_TIMEOUT);
                drops = KernelDrops.correlate(recorder.stop());
            }

            assertThat(connect.outcome()).isEqualTo(ConnectResult.Outcome.TIMED_OUT);
            KernelDrop drop = onlyDropTo(drops, connect, 1433);
            assertThat(drop.reason()).isEqualTo("NETFILTER_DROP");
            assertThat(drop.component()).isEqualTo("netfilter (nftables)");
            assertThat(drop.location()).isEqualTo("nft_do_chain");
            assertThat(drop.tcpFlags()).isEqualTo("SYN");
            assertThat(drop.processName()).isEqualTo("python3");
            assertThat(drop.pid()).isPositive();
            // The first SYN and at least one retransmission (RTO 1 s) met the rule.
            assertThat(drop.times()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(drop.line()).startsWith("Drop: reason NETFILTER_DROP, component netfilter (nftables, nft_do_chain), "
                    + "TCP 10.200.1.10:" + connect.localPort() + " \u2192 10.200.1.20:1433 SYN");
        }
    }

    @Test
    void nftDropOnDbInput_recordsNetfilterDropWithFlow() {
        try (NetLab lab = NetLab.create()) {
            Host app = seedLab(lab);
            lab.hostNamed("db").firewall().dropInput("tcp dport 1433");

            List<KernelDrop> drops;
            ConnectResult connect;
            try (KernelRecorder recorder = KernelRecorder.start()) {
                connect = app.connectTcp("10.200.1.20", 1433, CONNECT_TIMEOUT);
                drops = KernelDrops.correlate(recorder.stop());
            }

            assertThat(connect.outcome()).isEqualTo(ConnectResult.Outcome.TIMED_OUT);
            KernelDrop drop = onlyDropTo(drops, connect, 1433);
            assertThat(drop.reason()).isEqualTo("NETFILTER_DROP");
            assertThat(drop.component()).isEqualTo("netfilter (nftables)");
        }
    }

    @Test
    void acceptRuleAddedBeforeDrop_noDropForTheFlow() {
        try (NetLab lab = NetLab.create()) {
            Host app = seedLab(lab);
            app.firewall().dropOutput("tcp dport 1433");
            app.firewall().acceptOutput("tcp dport 1433");

            List<KernelDrop> drops;
            ConnectResult connect;
            try (KernelRecorder recorder = KernelRecorder.start()) {
                connect = app.connectTcp("10.200.1.20", 1433, CONNECT_TIMEOUT);
                drops = KernelDrops.correlate(recorder.stop());
            }

            assertThat(connect.outcome()).isEqualTo(ConnectResult.Outcome.CONNECTED);
            assertThat(drops).noneMatch(d -> d.dport() == 1433 && d.sport() == connect.localPort());
        }
    }

    /**
     * tracefs's kfree_skb names no addresses and ping's echo requests match no TCP transmission:
     * the record names no process (the task running when a packet is freed need not own it).
     */
    @Test
    void icmpEchoDroppedOnAppOutput_recordsNetfilterDrop_namingNoProcess() {
        try (NetLab lab = NetLab.create()) {
            Host app = seedLab(lab);
            app.firewall().dropOutput("icmp type echo-request");

            List<KernelEvent> events;
            boolean answered;
            try (KernelRecorder recorder = KernelRecorder.start()) {
                answered = app.ping("10.200.1.20", 2, Duration.ofSeconds(1));
                events = recorder.stop();
            }

            assertThat(answered).isFalse();
            assertThat(KernelDrops.correlate(events)).noneMatch(d -> d.processName().equals("ping"));
            assertThat(KernelDrops.correlate(events))
                    .filteredOn(d -> d.reason().equals("NETFILTER_DROP") && d.protocol().equals("IPv4"))
                    .singleElement()
                    .satisfies(d -> {
                        assertThat(d.processName()).isEmpty();
                        assertThat(d.pid()).isEqualTo(-1);
                        assertThat(d.observed()).isFalse();
                        assertThat(d.reason()).isEqualTo("NETFILTER_DROP");
                        assertThat(d.component()).isEqualTo("netfilter (nftables)");
                        assertThat(d.protocol()).isEqualTo("IPv4");
                        assertThat(d.times()).hasSizeGreaterThanOrEqualTo(2);
                    });
        }
    }

    @Test
    void icmpEchoDroppedOnDbInput_recordsNetfilterDrop_notChargedToTheSendersProcess() {
        try (NetLab lab = NetLab.create()) {
            Host app = seedLab(lab);
            lab.hostNamed("db").firewall().dropInput("icmp type echo-request");

            List<KernelEvent> events;
            boolean answered;
            try (KernelRecorder recorder = KernelRecorder.start()) {
                answered = app.ping("10.200.1.20", 2, Duration.ofSeconds(1));
                events = recorder.stop();
            }

            assertThat(answered).isFalse();
            // veth delivers in the sender's context, so ping was running when db dropped the
            // request: naming it would blame app's process for db's drop. No process is named.
            assertThat(KernelDrops.correlate(events))
                    .filteredOn(d -> d.reason().equals("NETFILTER_DROP"))
                    .singleElement()
                    .satisfies(d -> {
                        assertThat(d.component()).isEqualTo("netfilter (nftables)");
                        assertThat(d.processName()).isEmpty();
                    });
        }
    }

    @Test
    void stop_removesTheTracingInstance() {
        KernelRecorder recorder = KernelRecorder.start();
        assertThat(recorder.instance()).isDirectory();
        assertThat(Leftovers.ofThisProcess()).anyMatch(s -> s.contains(recorder.instance().getFileName().toString()));

        recorder.stop();

        assertThat(Files.exists(recorder.instance())).isFalse();
        assertThat(Leftovers.ofThisProcess()).isEmpty();
    }

    /**
     * The seed at the level users meet it: a pcapunit capture around app's connect, judged by
     * the expectation behind {@code hasNoDroppedPacketsTo(1433)}. pcapunit captures in the JVM's
     * namespace, so it sees none of app's packets: the kernel's record is the whole story, and the
     * message names the reason, the component and app's 4-tuple. With the seed's allow rule there
     * is no drop; the capture saw no traffic, and the check says so instead of passing vacuously.
     */
    @Test
    void seedThroughTheExpectation_dropOnAppOutputOrDbInput_namesNetfilterAndTheFourTuple_allowRuleHasNoDrop()
            throws Exception {
        for (String side : List.of("app OUTPUT", "db INPUT", "allowed")) {
            try (NetLab lab = NetLab.create()) {
                Host app = seedLab(lab);
                if (side.equals("db INPUT")) {
                    lab.hostNamed("db").firewall().dropInput("tcp dport 1433");
                } else {
                    app.firewall().dropOutput("tcp dport 1433");
                }
                if (side.equals("allowed")) {
                    app.firewall().acceptOutput("ip daddr 10.200.1.20 tcp dport 1433");
                }
                CaptureSpec spec = CaptureSpec.builder().filter("tcp port 1433").kernelEvidence(KernelEvidence.REQUIRED)
                        .output(Files.createTempDirectory("pcapunit-seed").resolve("seed.pcapng")).build();
                CaptureResult result;
                ConnectResult connect;
                try (Capture capture = Capture.start(spec)) {
                    connect = app.connectTcp("10.200.1.20", 1433, CONNECT_TIMEOUT);
                    result = capture.stop();
                }

                java.util.Optional<Violation> verdict = TrafficExpectations.noDropsTo(1433).check(CapturedTraffic.of(result));
                if (side.equals("allowed")) {
                    assertThat(connect.outcome()).isEqualTo(ConnectResult.Outcome.CONNECTED);
                    assertThat(verdict.orElseThrow().message()).as(side)
                            .contains("but no traffic to port 1433 was seen").doesNotContain("Drop: reason");
                    assertThat(TrafficExpectations.noDropsTo(1433).allowingNoTraffic().check(CapturedTraffic.of(result)))
                            .as(side).isEmpty();
                } else {
                    assertThat(connect.outcome()).isEqualTo(ConnectResult.Outcome.TIMED_OUT);
                    assertThat(verdict.orElseThrow().message()).as(side)
                            .contains("to have no dropped packets to port 1433")
                            .contains("Drop: reason NETFILTER_DROP, component netfilter (nftables, nft_do_chain), TCP "
                                    + "10.200.1.10:" + connect.localPort() + " \u2192 10.200.1.20:1433 SYN")
                            .contains(result.file().toString());
                }
                Files.deleteIfExists(result.file());
            }
        }
    }

    private static Host seedLab(NetLab lab) {
        Host app = lab.host("app", "10.200.1.10");
        Host db = lab.host("db", "10.200.1.20");
        lab.link(app, db);
        db.tcpEchoServer(1433);
        return app;
    }

    /** Other tests on the machine may drop packets too: select this connection's 4-tuple. */
    private static KernelDrop onlyDropTo(List<KernelDrop> drops, ConnectResult connect, int port) {
        return assertThat(drops)
                .as("kernel drops %s", drops)
                .filteredOn(d -> d.saddr().equals("10.200.1.10") && d.daddr().equals("10.200.1.20")
                        && d.dport() == port && d.sport() == connect.localPort())
                .singleElement().actual();
    }
}
