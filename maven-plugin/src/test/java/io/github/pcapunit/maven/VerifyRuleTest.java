package io.github.pcapunit.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;
import io.github.pcapunit.maven.internal.RuleResult;
import io.github.pcapunit.core.check.TrafficRule;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code capture:verify}'s rules, as Maven injects them, into core's expectations. */
class VerifyRuleTest {

    private final VerifyMojo mojo = new VerifyMojo();

    @Test
    void configuredRules_areNamedInEvaluationOrder() throws Exception {
        mojo.onlyTalksTo = new OnlyTalksTo();
        mojo.onlyTalksTo.setHosts(List.of("127.0.0.0/8", "::1"));
        mojo.noDropsTo = new NoDropsTo(1433);
        mojo.noDropsTo.setHost("10.0.1.20");
        mojo.complete = true;
        mojo.noneReset = 1433;
        mojo.echoRequestsAnswered = false;

        assertThat(VerifyRule.configured(mojo).names()).containsExactly("complete",
                "noDropsTo(10.0.1.20:1433)", "onlyTalksTo[127.0.0.0/8, ::1]",
                "noneReset(port 1433)");
    }

    @Test
    void everyRule_whenSet_isConfiguredUnderItsParameterName() throws Exception {
        mojo.complete = true;
        mojo.noDrops = true;
        mojo.noDropsTo = new NoDropsTo(1433);
        mojo.onlyTalksTo = new OnlyTalksTo();
        mojo.onlyTalksTo.setHosts(List.of("127.0.0.0/8"));
        mojo.noTrafficTo = new NoTrafficTo();
        mojo.noTrafficTo.setHost("10.0.0.0/8");
        mojo.noTrafficTo.setPort(5432);
        mojo.allEstablished = 1;
        mojo.noneReset = 2;
        mojo.noneRetransmitted = 3;
        mojo.echoRequestsAnswered = true;

        List<String> names = VerifyRule.configured(mojo).names();

        assertThat(names).containsExactly("complete", "noDrops", "noDropsTo(port 1433)",
                "onlyTalksTo[127.0.0.0/8]", "noTrafficTo(10.0.0.0/8 port 5432)",
                "allEstablished(port 1)", "noneReset(port 2)", "noneRetransmitted(port 3)",
                "echoRequestsAnswered");
        for (int i = 0; i < names.size(); i++) {
            assertThat(names.get(i)).startsWith(VerifyRule.values()[i].parameter());
        }
    }

    @Test
    void everyCoreRule_isAVerifyParameter_inCoresOrder() {
        assertThat(Arrays.stream(VerifyRule.values()).map(VerifyRule::rule))
                .containsExactly(TrafficRule.values());
    }

    @Test
    void elements_listEveryRuleInEvaluationOrder() {
        assertThat(VerifyRule.elements()).isEqualTo("<complete>, <noDrops>, <noDropsTo>,"
                + " <onlyTalksTo>, <noTrafficTo>, <allEstablished>, <noneReset>,"
                + " <noneRetransmitted>, <echoRequestsAnswered>");
    }

    @Test
    void noRules_evaluateToNothing() throws Exception {
        assertThat(VerifyRule.configured(mojo).names()).isEmpty();
    }

    @Test
    void allowNoTraffic_letsARuleAboutAbsentTrafficPass_otherwiseItFails(@TempDir Path dir)
            throws Exception {
        Path empty = dir.resolve("empty.pcapng");
        PcapngWriter.open(empty, SectionHeader.empty(), InterfaceDescription.builder()
                .linkType(LinkType.ETHERNET).name("lo").build()).close();
        CapturedTraffic nothing = CapturedTraffic.read(empty);
        mojo.noneReset = 1433;

        List<RuleResult> strict = VerifyRule.configured(mojo).evaluate(nothing);
        mojo.allowNoTraffic = true;
        List<RuleResult> lenient = VerifyRule.configured(mojo).evaluate(nothing);

        assertThat(strict).singleElement().satisfies(r -> {
            assertThat(r.failed()).isTrue();
            assertThat(r.rule()).isEqualTo("noneReset(port 1433)");
            assertThat(r.description()).isEqualTo("no connection to port 1433 reset");
            assertThat(r.message().orElseThrow()).contains("1433");
        });
        assertThat(lenient).singleElement().satisfies(r -> {
            assertThat(r.failed()).isFalse();
            assertThat(r.description())
                    .isEqualTo("no connection to port 1433 reset (no traffic allowed)");
        });
    }

    @Test
    void noDropsToWithoutPort_saysHowToWriteIt() {
        mojo.noDropsTo = new NoDropsTo();

        assertThatThrownBy(() -> VerifyRule.configured(mojo))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("<noDropsTo></noDropsTo> needs a port: e.g."
                        + " <noDropsTo><port>1433</port></noDropsTo>");
    }

    @Test
    void portOutOfRange_isRefusedNamingTheElementAndKeepingCoresReason() {
        mojo.noDropsTo = new NoDropsTo(70000);

        assertThatThrownBy(() -> VerifyRule.configured(mojo))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("<noDropsTo><port>70000</port></noDropsTo> is refused: ")
                .hasMessageContaining("70000")
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(e.getCause().getMessage()));
    }

    @Test
    void portRuleOutOfRange_isRefusedAsWritten() {
        mojo.allEstablished = -1;

        assertThatThrownBy(() -> VerifyRule.configured(mojo))
                .hasMessageStartingWith("<allEstablished>-1</allEstablished> is refused: ")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostName_isRefusedAsNotNumeric() {
        mojo.noTrafficTo = new NoTrafficTo();
        mojo.noTrafficTo.setHost("db.example");

        assertThatThrownBy(() -> VerifyRule.configured(mojo))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("<noTrafficTo><host>db.example</host></noTrafficTo> is"
                        + " refused: ")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noTrafficToWithoutHost_saysHowToWriteIt() {
        mojo.noTrafficTo = new NoTrafficTo();
        mojo.noTrafficTo.setPort(5432);

        assertThatThrownBy(() -> VerifyRule.configured(mojo))
                .hasMessage("<noTrafficTo><port>5432</port></noTrafficTo> needs a host or"
                        + " network: e.g. <noTrafficTo><host>10.0.0.0/8</host></noTrafficTo>");
    }

    @Test
    void onlyTalksToWithoutHosts_isRefused() {
        mojo.onlyTalksTo = new OnlyTalksTo();

        assertThatThrownBy(() -> VerifyRule.configured(mojo))
                .hasMessage("<onlyTalksTo><hosts></hosts></onlyTalksTo> needs at least one host or"
                        + " network: e.g. <onlyTalksTo><hosts><host>127.0.0.0/8</host></hosts></onlyTalksTo>");
    }

    @Test
    void badNetwork_namesTheElement() {
        mojo.onlyTalksTo = new OnlyTalksTo();
        mojo.onlyTalksTo.setHosts(List.of("10.0.0.0/99"));

        assertThatThrownBy(() -> VerifyRule.configured(mojo))
                .hasMessageStartingWith("<onlyTalksTo><hosts><host>10.0.0.0/99</host></hosts>"
                        + "</onlyTalksTo> is refused: ")
                .hasMessageContaining("prefix");
    }
}
