package io.github.pcapunit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link RoutedPath}: the router forwards and its FORWARD rules count; nothing is left when setup fails half way. */
class RoutedPathTest {

    @BeforeAll
    static void requireLab() {
        NetLab.assumeAvailable();
    }

    @AfterAll
    static void nothingLeftBehind() {
        assertThat(Leftovers.ofThisProcess()).isEmpty();
    }

    @Test
    void clientReachesServerThroughTheRouter_aForwardDropIsCountedThere() {
        try (RoutedPath path = RoutedPath.create(41, p -> p.server().tcpEchoServer(1501))) {
            assertThat(path.server().address()).isEqualTo("10.200.42.20");
            assertThat(path.client().connectTcp("10.200.42.20", 1501, Duration.ofSeconds(3)).outcome())
                    .isEqualTo(ConnectResult.Outcome.CONNECTED);
            path.forward("tcp dport 1501 counter drop");

            assertThat(path.client().connectTcp("10.200.42.20", 1501, Duration.ofMillis(1500)).outcome())
                    .isEqualTo(ConnectResult.Outcome.TIMED_OUT);
            assertThat(RoutedPath.counter(path.router(), "tcp dport 1501")).isPositive();
        }
        assertThat(Leftovers.ofThisProcess()).isEmpty();
    }

    @Test
    void setupThatFailsHalfWay_leavesNoNamespaceBehind_andABadNetCreatesNothing() {
        assertThatThrownBy(() -> RoutedPath.create(43, p -> {
            p.server().tcpEchoServer(1502);
            p.forward("this is not nft");
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("this is not nft");
        assertThat(Leftovers.ofThisProcess()).as("after a failed setup").isEmpty();

        assertThatThrownBy(() -> RoutedPath.create(255)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("net 255").hasMessageContaining("RoutedPath.create(61)");
        assertThat(Leftovers.ofThisProcess()).isEmpty();
    }
}
