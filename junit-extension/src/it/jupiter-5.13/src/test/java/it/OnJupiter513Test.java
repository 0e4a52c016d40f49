package it;

import static io.github.pcapunit.assertions.PcapunitAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.junit.CaptureTraffic;
import io.github.pcapunit.junit.Keep;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The extension's main paths on JUnit Jupiter 5.13: pass (file deleted), fail (file kept), names. */
class OnJupiter513Test {

    private static final int OPEN_PORT = 29441;
    private static final int CLOSED_PORT = 29442;

    @Test
    void runsOnJupiter513() {
        String version = Test.class.getPackage().getImplementationVersion();
        assertTrue(version != null && version.startsWith("5.13."), "JUnit Jupiter on the class path: " + version);
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
