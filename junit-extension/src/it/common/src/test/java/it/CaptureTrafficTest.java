package it;

import static io.github.pcapunit.assertions.PcapunitAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.junit.CaptureTraffic;
import io.github.pcapunit.junit.Keep;
import io.github.pcapunit.junit.OnUnavailable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The extension's main paths in a user's build, shared by every IT project: pass (file deleted),
 * fail (file kept and named), parameterized/repeated names, SKIP with a filter; and which JUnit ran.
 */
class CaptureTrafficTest {

    private static final int OPEN_PORT = 29441;
    private static final int CLOSED_PORT = 29442;

    @Test
    void junitOnTheClassPath_isTheUsersOneRelease() {
        String expected = System.getProperty("expected.jupiter");
        String api = version("org.junit.jupiter.api.Test");
        String engine = version("org.junit.jupiter.engine.JupiterTestEngine");
        String platform = version("org.junit.platform.commons.JUnitException");
        String launcher = version("org.junit.platform.launcher.Launcher");
        // 5.x pairs with platform 1.x (5.13.4 with 1.13.4); from 6.0 on, all share one version.
        String platformExpected = expected.startsWith("5.") ? "1." + expected.substring(2) : expected;
        assertEquals(List.of(true, true, true, true), List.of(api.startsWith(expected), engine.equals(api),
                platform.startsWith(platformExpected), launcher.equals(platform)),
                "jupiter-api " + api + ", jupiter-engine " + engine + ", platform-commons " + platform
                        + ", platform-launcher " + launcher + "; expected Jupiter " + expected);
    }

    @Test
    @CaptureTraffic(filter = "tcp port " + OPEN_PORT, interfaces = "lo")
    void healthyConnection_passes(CapturedTraffic traffic) throws Exception {
        exchange();
        assertThat(traffic).hasNoDroppedPacketsTo(OPEN_PORT).connections().to(OPEN_PORT).allEstablished();
    }

    @Test
    @CaptureTraffic(filter = "tcp port " + CLOSED_PORT, interfaces = "lo")
    void refusedConnection_failsWithPcapunitsMessage(CapturedTraffic traffic) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), CLOSED_PORT), 2_000);
        } catch (IOException expected) {
            // refused: nobody listens
        }
        assertThat(traffic).hasNoDroppedPacketsTo(CLOSED_PORT);
    }

    @Test
    @CaptureTraffic(filter = "tcp port " + OPEN_PORT, interfaces = "lo")
    void failsForAnotherReason_keptFileIsNamedInTheOutput() throws Exception {
        exchange();
        assertEquals("expected", "actual", "the application's own assertion fails");
    }

    @Test
    @CaptureTraffic(filter = "tcp port " + OPEN_PORT, onUnavailable = OnUnavailable.SKIP)
    void skipWhereNoCapture_runsWhereCaptureIs() throws Exception {
        exchange();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "b"})
    @CaptureTraffic(filter = "tcp port " + OPEN_PORT, interfaces = "lo", keep = Keep.ALWAYS)
    void parameterized_keptPerInvocation(String value) throws Exception {
        exchange();
    }

    @RepeatedTest(2)
    @CaptureTraffic(filter = "tcp port " + OPEN_PORT, interfaces = "lo", keep = Keep.ALWAYS)
    void repeated_keptPerRepetition() throws Exception {
        exchange();
    }

    private static String version(String className) {
        try {
            return String.valueOf(Class.forName(className).getPackage().getImplementationVersion());
        } catch (ClassNotFoundException e) {
            return "absent";
        }
    }

    private static void exchange() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), OPEN_PORT));
            Thread echo = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write(s.getInputStream().read());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            echo.start();
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), OPEN_PORT)) {
                client.getOutputStream().write(42);
                InputStream in = client.getInputStream();
                assertEquals(42, in.read());
            }
            echo.join(5_000);
        }
    }
}
