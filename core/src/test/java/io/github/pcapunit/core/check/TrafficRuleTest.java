package io.github.pcapunit.core.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one list of rules that {@code capture:verify} and {@code pcapunit check} share. */
class TrafficRuleTest {

    @Test
    void eachRule_standsForItsTrafficExpectationsCheck() {
        assertThat(TrafficRule.COMPLETE.expectation(List.of(), null).description())
                .isEqualTo(TrafficExpectations.complete().description());
        assertThat(TrafficRule.NO_DROPS.expectation(List.of(), null).description())
                .isEqualTo(TrafficExpectations.noDrops().description());
        assertThat(TrafficRule.NO_DROPS_TO.expectation(List.of(), 1433).description())
                .isEqualTo(TrafficExpectations.noDropsTo(1433).description());
        assertThat(TrafficRule.NO_DROPS_TO.expectation(List.of("10.0.1.20"), 1433).description())
                .isEqualTo(TrafficExpectations.noDropsTo("10.0.1.20", 1433).description());
        assertThat(TrafficRule.ONLY_TALKS_TO.expectation(List.of("127.0.0.0/8", "::1"), null).description())
                .isEqualTo(TrafficExpectations.onlyTalksTo("127.0.0.0/8", "::1").description());
        assertThat(TrafficRule.NO_TRAFFIC_TO.expectation(List.of("10.0.0.0/8"), null).description())
                .isEqualTo(TrafficExpectations.noTrafficTo("10.0.0.0/8").description());
        assertThat(TrafficRule.NO_TRAFFIC_TO.expectation(List.of("10.0.0.0/8"), 5432).description())
                .isEqualTo(TrafficExpectations.noTrafficTo("10.0.0.0/8", 5432).description());
        assertThat(TrafficRule.ALL_ESTABLISHED.expectation(List.of(), 1).description())
                .isEqualTo(TrafficExpectations.allEstablished(1).description());
        assertThat(TrafficRule.NONE_RESET.expectation(List.of(), 2).description())
                .isEqualTo(TrafficExpectations.noneReset(2).description());
        assertThat(TrafficRule.NONE_RETRANSMITTED.expectation(List.of(), 3).description())
                .isEqualTo(TrafficExpectations.noneRetransmitted(3).description());
        assertThat(TrafficRule.ECHO_REQUESTS_ANSWERED.expectation(List.of(), null).description())
                .isEqualTo(TrafficExpectations.echoRequestsAnswered().description());
    }

    @Test
    void shownAs_namesTheRuleWithItsArguments() {
        assertThat(TrafficRule.COMPLETE.shownAs(List.of(), null)).isEqualTo("complete");
        assertThat(TrafficRule.NONE_RESET.shownAs(List.of(), 1433)).isEqualTo("noneReset(port 1433)");
        assertThat(TrafficRule.NO_DROPS_TO.shownAs(List.of(), 1433)).isEqualTo("noDropsTo(port 1433)");
        assertThat(TrafficRule.NO_DROPS_TO.shownAs(List.of("10.0.1.20"), 1433))
                .isEqualTo("noDropsTo(10.0.1.20:1433)");
        assertThat(TrafficRule.NO_TRAFFIC_TO.shownAs(List.of("10.0.0.0/8"), 5432))
                .isEqualTo("noTrafficTo(10.0.0.0/8 port 5432)");
        assertThat(TrafficRule.ONLY_TALKS_TO.shownAs(List.of("127.0.0.0/8", "::1"), null))
                .isEqualTo("onlyTalksTo[127.0.0.0/8, ::1]");
    }

    @Test
    void missingArguments_areNamed_andRefusedByExpectation() {
        assertThat(TrafficRule.NO_DROPS_TO.missing(List.of("10.0.1.20"), null)).contains("a port");
        assertThat(TrafficRule.NO_TRAFFIC_TO.missing(List.of(), 5432)).contains("a host or network");
        assertThat(TrafficRule.ONLY_TALKS_TO.missing(List.of(), null)).contains("at least one host or network");
        assertThat(TrafficRule.COMPLETE.missing(List.of(), null)).isEmpty();

        assertThatThrownBy(() -> TrafficRule.NONE_RESET.expectation(List.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("noneReset needs a port");
    }

    @Test
    void argumentsARuleDoesNotTake_areRefused() {
        assertThatThrownBy(() -> TrafficRule.COMPLETE.expectation(List.of(), 80))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("complete takes no port, got 80");
        assertThatThrownBy(() -> TrafficRule.NONE_RESET.expectation(List.of("10.0.0.1"), 80))
                .hasMessage("noneReset takes no host, got [10.0.0.1]");
        assertThatThrownBy(() -> TrafficRule.NO_DROPS_TO.expectation(List.of("10.0.0.1", "10.0.0.2"), 80))
                .hasMessage("noDropsTo takes one host, got [10.0.0.1, 10.0.0.2]");
    }

    @Test
    void coreRefusals_passThrough() {
        assertThatThrownBy(() -> TrafficRule.NO_DROPS_TO.expectation(List.of(), 70000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
    }

    @Test
    void named_findsARuleByItsParameterName() {
        assertThat(TrafficRule.named("noDropsTo")).contains(TrafficRule.NO_DROPS_TO);
        assertThat(TrafficRule.named("noDropTo")).isEmpty();
    }
}
