package io.github.pcapunit.core;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.packet.Endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.capture.internal.kernel.NftExplain;
import io.github.pcapunit.testing.ConnectResult;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.JvmLink;
import io.github.pcapunit.testing.Leftovers;
import io.github.pcapunit.testing.NetLab;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Explain mode: nftrace names the table, chain, handle and comment of the rule that dropped —
 * directly through {@code NftExplain}, and through the capture API
 * ({@code explainFirewall("tcp dport 1433")}), in the JVM's own namespace and in a lab namespace,
 * as FIREWALL drop records and journal entries of the pcapng.
 */
class KernelExplainTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void requireLab() {
        NetLab.assumeAvailable();
    }

    @AfterAll
    static void nothingLeftBehind() {
        assertThat(Leftovers.ofThisProcess()).isEmpty();
    }

    @Test
    void dropOnAppOutput_explainNamesTheRuleAndTheFlow() {
        try (NetLab lab = NetLab.create()) {
            Host app = lab.host("app", "10.200.1.10");
            Host db = lab.host("db", "10.200.1.20");
            lab.link(app, db);
            db.tcpEchoServer(1433);
            app.firewall().dropOutput("tcp dport 1433");

            List<NftExplain.Verdict> verdicts;
            ConnectResult connect;
            String explainTable;
            try (NftExplain explain = NftExplain.start(app.namespace(), "tcp dport 1433")) {
                explainTable = explain.table();
                assertThat(app.exec("nft", "list", "tables").stdout()).contains(explainTable);
                connect = app.connectTcp("10.200.1.20", 1433, Duration.ofMillis(1200));
                verdicts = explain.stop();
            }

            assertThat(connect.outcome()).isEqualTo(ConnectResult.Outcome.TIMED_OUT);
            assertThat(verdicts).isNotEmpty().allSatisfy(v -> {
                assertThat(v.family() + " " + v.table()).isEqualTo("inet " + app.firewall().table());
                assertThat(v.chain()).isEqualTo("output");
                assertThat(v.handle()).isPositive();
                assertThat(v.comment()).isEqualTo("pcapunit lab: drop tcp dport 1433");
                assertThat(v.packet()).containsEntry("daddr", "10.200.1.20").containsEntry("dport", "1433")
                        .containsEntry("sport", Integer.toString(connect.localPort()));
            });
            assertThat(verdicts.get(0).line()).startsWith("Drop: verdict drop by rule table inet " + app.firewall().table()
                    + " chain output handle ").contains("TCP 10.200.1.10:" + connect.localPort() + " \u2192 10.200.1.20:1433 SYN");
            assertThat(verdicts.get(0).journalFields()).containsEntry("PCAPUNIT_EVENT", "nftrace")
                    .containsEntry("PCAPUNIT_NFT_CHAIN", "output");
            // Always removed: the firewall is as the test left it.
            assertThat(app.exec("nft", "list", "tables").stdout()).doesNotContain(explainTable);
        }
    }

    @Test
    void matchWithSeveralStatements_isRejectedBeforeAnyTableIsAdded() {
        assertThatThrownBy(() -> NftExplain.start(null, "tcp dport 1433; flush ruleset"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"tcp dport 1433; flush ruleset\"").hasMessageContaining("tcp dport 1433");
        assertThat(Leftovers.ofThisProcess()).isEmpty();
    }

    // Through the capture API: CaptureSpec.explainFirewall / explainNamespaces.

    @Test
    void dropOnTheJvmsOutput_namesTheRule() throws IOException {
        try (NetLab lab = NetLab.create()) {
            JvmLink db = lab.linkToJvm("db");
            db.host().tcpEchoServer(1433);
            CaptureSpec spec = CaptureSpec.builder().interfaces(db.interfaceName()).filter("tcp port 1433")
                    .explainFirewall("tcp dport 1433").output(dir.resolve("explain-out.pcapng")).build();

            CaptureResult result;
            int localPort;
            try (Capture capture = Capture.start(spec)) {
                // The rule comes after the trace monitor started (as in a test that sets up its
                // firewall after @CaptureTraffic began): nft reports it by handle only.
                db.firewall().dropOutput("tcp dport 1433");
                localPort = connectTimesOut(db.host().address());
                result = capture.stop();
            }

            List<Drop> firewall = CapturedTraffic.of(result).drops().stream()
                    .filter(d -> d.source() == EvidenceSource.FIREWALL).toList();
            assertThat(firewall).isNotEmpty().allSatisfy(d -> {
                Drop.FirewallRule rule = d.firewallRule().orElseThrow();
                assertThat(rule.table()).isEqualTo("inet " + db.firewall().table());
                assertThat(rule.chain()).isEqualTo("output");
                assertThat(rule.handle()).isPositive();
                assertThat(rule.comment()).contains("pcapunit lab: drop tcp dport 1433");
                assertThat(d.flow().orElseThrow().destination()).isEqualTo(Endpoint.of(db.host().address(), 1433));
            });
            assertThat(firewall.get(0).description()).startsWith("Drop: verdict drop by rule table inet "
                    + db.firewall().table() + " chain output handle ")
                    .contains(db.jvmAddress() + ":" + localPort + " \u2192 " + db.host().address() + ":1433 SYN");
            assertThat(result.kernelEvidenceStatus()).contains("firewall explain traced \"tcp dport 1433\"");
            // tshark shows the verdicts in the timeline.
            assertThat(EngineTools.tshark(result.file(), "systemd_journal", "systemd_journal.message"))
                    .anyMatch(m -> m.startsWith("Drop: verdict drop by rule table inet " + db.firewall().table()));
        }
    }

    @Test
    void dropOnAnotherNamespacesInput_isTracedThere() throws IOException {
        try (NetLab lab = NetLab.create()) {
            JvmLink db = lab.linkToJvm("db");
            db.host().tcpEchoServer(1433);
            db.host().firewall().dropInput("tcp dport 1433");
            CaptureSpec spec = CaptureSpec.builder().interfaces(db.interfaceName()).filter("tcp port 1433")
                    .explainFirewall("tcp dport 1433").explainNamespaces(db.host().namespace())
                    .kernelEvidence(KernelEvidence.OFF)   // explain mode needs no tracefs
                    .output(dir.resolve("explain-in.pcapng")).build();

            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                connectTimesOut(db.host().address());
                result = capture.stop();
            }

            assertThat(CapturedTraffic.of(result).drops()).filteredOn(d -> d.source() == EvidenceSource.FIREWALL)
                    .isNotEmpty()
                    .allSatisfy(d -> assertThat(d.firewallRule().orElseThrow().chain()).isEqualTo("input"));
            assertThat(result.kernelEvidenceStatus()).startsWith("kernel evidence off; firewall explain traced"
                    + " \"tcp dport 1433\" in the JVM's namespace and " + db.host().namespace() + ": ");
            // The SYNs on the wire that the rule then dropped carry the verdict as their comment.
            assertThat(EngineTools.tshark(result.file(), "tcp.flags.syn == 1", "frame.comment"))
                    .isNotEmpty().allMatch(c -> c.contains("Drop: verdict drop by rule"));
        }
    }

    @Test
    void badExplainOptions_areRejectedBeforeAnythingStarts() {
        assertThatThrownBy(() -> CaptureSpec.builder().explainFirewall("tcp dport 1433; flush ruleset").build())
                .isInstanceOf(InvalidCaptureSpecException.class)
                .hasMessage("explainFirewall \"tcp dport 1433; flush ruleset\" is not one nftables match expression:"
                        + " use nft syntax for the packets to trace, e.g. explainFirewall(\"tcp dport 1433\")");
        assertThatThrownBy(() -> CaptureSpec.builder().explainNamespaces("db").build())
                .isInstanceOf(InvalidCaptureSpecException.class)
                .hasMessageContaining("explainNamespaces [db] needs explain mode");

        Path out = dir.resolve("never.pcapng");
        CaptureSpec unknownNamespace = CaptureSpec.builder().interfaces("lo").explainFirewall("tcp dport 1433")
                .explainNamespaces("pcapunit-no-such-ns").output(out).build();
        assertThatThrownBy(() -> Capture.start(unknownNamespace))
                .isInstanceOf(InvalidCaptureSpecException.class)
                .hasMessage("explainNamespaces: network namespace \"pcapunit-no-such-ns\" does not exist"
                        + " (no /run/netns/pcapunit-no-such-ns): name one that 'ip netns list' shows");
        assertThat(out).doesNotExist();
        assertThat(Files.exists(dir)).isTrue();
        assertThat(Leftovers.ofThisProcess()).isEmpty();
    }

    private static int connectTimesOut(String address) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(null);
            int port = socket.getLocalPort();
            assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, 1433), 1200))
                    .isInstanceOf(SocketTimeoutException.class);
            return port;
        }
    }
}
