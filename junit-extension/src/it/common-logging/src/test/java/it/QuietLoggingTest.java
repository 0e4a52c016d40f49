package it;

import static io.github.pcapunit.assertions.PcapunitAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.junit.CaptureTraffic;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * A passing captured test in a user's build, with or without an SLF4J binding (the slf4j-* IT
 * projects): the verify.groovy of each reads the console. SLF4J is first touched by pcapunit
 * (through pcap4j); the user's own code logs only after it, in {@code @AfterAll}, so that a
 * warning in the log of a project without a binding can only have come from pcapunit.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuietLoggingTest {

    private static final int PORT = 29443;

    @Test
    @Order(1)
    @CaptureTraffic(filter = "tcp port " + PORT, interfaces = "lo")
    void capturedExchange_passes(CapturedTraffic traffic) throws Exception {
        exchange();
        assertThat(traffic).hasNoDroppedPacketsTo(PORT).connections().to(PORT).allEstablished();
    }

    @Test
    @Order(2)
    void slf4jApiOnTheClassPath_isTheOneTheProjectResolves() {
        String expected = System.getProperty("expected.slf4j");
        String jar = LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        assertTrue(jar.endsWith("/slf4j-api-" + expected + ".jar"), "slf4j-api from " + jar + ", expected " + expected);
    }

    @AfterAll
    static void usersOwnCode_logsThroughTheUsersBinding() {
        LoggerFactory.getLogger("it.UsersCode").info("the user's own log line");
    }

    private static void exchange() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT));
            Thread echo = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write(s.getInputStream().read());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            echo.start();
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), PORT)) {
                client.getOutputStream().write(42);
                InputStream in = client.getInputStream();
                assertEquals(42, in.read());
            }
            echo.join(5_000);
        }
    }
}
