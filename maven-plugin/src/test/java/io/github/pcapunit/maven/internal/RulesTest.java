package io.github.pcapunit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.maven.NoDropsTo;
import io.github.pcapunit.maven.NoTrafficTo;
import io.github.pcapunit.maven.OnlyTalksTo;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

class RulesTest {

    @Test
    void configuredRules_areNamedInEvaluationOrder() throws Exception {
        Rules.Config c = new Rules.Config();
        c.onlyTalksTo = new OnlyTalksTo();
        c.onlyTalksTo.setHosts(List.of("127.0.0.0/8", "::1"));
        c.noDropsTo = new NoDropsTo(1433);
        c.noDropsTo.setHost("10.0.1.20");
        c.complete = true;
        c.noneReset = 1433;
        c.echoRequestsAnswered = false;

        assertThat(Rules.from(c).names()).containsExactly("complete",
                "noDropsTo(10.0.1.20:1433)", "onlyTalksTo[127.0.0.0/8, ::1]",
                "noneReset(port 1433)");
    }

    @Test
    void noRules_evaluateToNothing() throws Exception {
        assertThat(Rules.from(new Rules.Config()).names()).isEmpty();
    }

    @Test
    void noDropsToWithoutPort_saysHowToWriteIt() {
        Rules.Config c = new Rules.Config();
        c.noDropsTo = new NoDropsTo();

        assertThatThrownBy(() -> Rules.from(c))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("<noDropsTo></noDropsTo> needs a port: e.g."
                        + " <noDropsTo><port>1433</port></noDropsTo>");
    }

    @Test
    void portOutOfRange_isRefusedNamingTheElementAndKeepingCoresReason() {
        Rules.Config c = new Rules.Config();
        c.noDropsTo = new NoDropsTo(70000);

        assertThatThrownBy(() -> Rules.from(c))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("<noDropsTo><port>70000</port></noDropsTo> is refused: ")
                .hasMessageContaining("70000")
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(e.getCause().getMessage()));
    }

    @Test
    void hostName_isRefusedAsNotNumeric() {
        Rules.Config c = new Rules.Config();
        c.noTrafficTo = new NoTrafficTo();
        c.noTrafficTo.setHost("db.example");

        assertThatThrownBy(() -> Rules.from(c))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("<noTrafficTo><host>db.example</host></noTrafficTo> is"
                        + " refused: ")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyTalksToWithoutHosts_isRefused() {
        Rules.Config c = new Rules.Config();
        c.onlyTalksTo = new OnlyTalksTo();

        assertThatThrownBy(() -> Rules.from(c))
                .hasMessage("<onlyTalksTo><hosts></hosts></onlyTalksTo> lists no host: name the"
                        + " allowed hosts or networks, e.g. <onlyTalksTo><hosts><host>127.0.0.0/8"
                        + "</host></hosts></onlyTalksTo>");
    }

    @Test
    void badNetwork_namesTheElement() {
        Rules.Config c = new Rules.Config();
        c.onlyTalksTo = new OnlyTalksTo();
        c.onlyTalksTo.setHosts(List.of("10.0.0.0/99"));

        assertThatThrownBy(() -> Rules.from(c))
                .hasMessageStartingWith("<onlyTalksTo><hosts><host>10.0.0.0/99</host></hosts>"
                        + "</onlyTalksTo> is refused: ")
                .hasMessageContaining("prefix");
    }
}
