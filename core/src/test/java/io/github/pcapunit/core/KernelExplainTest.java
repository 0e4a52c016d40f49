package io.github.pcapunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.internal.kernel.NftExplain;
import io.github.pcapunit.testing.ConnectResult;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.Leftovers;
import io.github.pcapunit.testing.NetLab;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Explain mode: nftrace names the table, chain, handle and comment of the rule that dropped. */
class KernelExplainTest {

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
}
