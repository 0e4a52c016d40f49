package io.github.pcapunit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.Endpoint;
import io.github.pcapunit.maven.NoDropsTo;
import io.github.pcapunit.maven.OnlyTalksTo;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

class RulesTest {

    @Test
    void configuredRules_areNamedInConfigurationOrder() throws Exception {
        OnlyTalksTo only = new OnlyTalksTo();
        only.setEndpoints(List.of("127.0.0.1", "[::1]:8080"));
        NoDropsTo drops = new NoDropsTo(1433);
        drops.setHost("10.0.1.20");

        Rules rules = Rules.from(drops, true, only, true, false, false);

        assertThat(rules.names()).containsExactly("complete", "noDropsTo(10.0.1.20:1433)",
                "onlyTalksTo[127.0.0.1, [::1]:8080]", "noResets");
    }

    @Test
    void noRules_evaluateToNothing() throws Exception {
        assertThat(Rules.from(null, null, null, false, null, false).names()).isEmpty();
    }

    @Test
    void noDropsToWithoutPort_saysHowToWriteIt() {
        assertThatThrownBy(() -> Rules.from(new NoDropsTo(), null, null, null, null, false))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("<noDropsTo><port></port></noDropsTo> needs a port 0-65535: e.g."
                        + " <noDropsTo><port>1433</port></noDropsTo>");
    }

    @Test
    void noDropsToPortOutOfRange_isRefused() {
        assertThatThrownBy(() -> Rules.from(new NoDropsTo(70000), null, null, null, null, false))
                .hasMessageStartingWith("<noDropsTo><port>70000</port></noDropsTo> needs a port");
    }

    @Test
    void noDropsToHostName_isRefusedAsNotALiteral() {
        NoDropsTo rule = new NoDropsTo(1433);
        rule.setHost("db.example");

        assertThatThrownBy(() -> Rules.from(rule, null, null, null, null, false))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("<noDropsTo><host>db.example</host></noDropsTo>: ")
                .hasMessageContaining("is not an IP address literal")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyTalksToWithoutEndpoints_isRefused() {
        assertThatThrownBy(() -> Rules.from(null, null, new OnlyTalksTo(), null, null, false))
                .hasMessageStartingWith("<onlyTalksTo> lists no endpoint");
    }

    @Test
    void endpoints_parseAddressesWithAndWithoutPorts() throws Exception {
        assertThat(Rules.endpoint("127.0.0.1")).isEqualTo(Endpoint.of("127.0.0.1", -1));
        assertThat(Rules.endpoint("10.0.1.20:1433")).isEqualTo(Endpoint.of("10.0.1.20", 1433));
        assertThat(Rules.endpoint("::1")).isEqualTo(Endpoint.of("::1", -1));
        assertThat(Rules.endpoint("[::1]:8080")).isEqualTo(Endpoint.of("::1", 8080));
    }

    @Test
    void endpointWithBadPort_namesElementAndFix() {
        assertThatThrownBy(() -> Rules.endpoint("127.0.0.1:http"))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("<onlyTalksTo><endpoints><endpoint>127.0.0.1:http</endpoint>"
                        + "</endpoints></onlyTalksTo>: 'http' is not a port 0-65535; write an"
                        + " address or address:port, e.g. 127.0.0.1 or [::1]:8080");
    }
}
